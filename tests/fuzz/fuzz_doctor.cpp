// Fuzz target: the doctor end to end (server/doctor/) on hostile debug info: module bytes whose
// section strings become URLs and paths, or (input starting with '{') a source map's JSON.
// Every file "exists" under the fake ROOT and reads back as the input, so the external debug
// file and the source map are attacker-controlled too. Invariants: no crash, no out-of-bounds
// read, counts add up to the sources, the JSON renders, the text report holds no control
// byte, findings stay few.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "server/doctor/diagnose.hpp"
#include "server/doctor/render.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    using namespace wasmdev::doctor;
    std::vector<std::uint8_t> input(data, data + size);
    std::vector<std::uint8_t> module = input;
    if (!input.empty() && input[0] == '{') {
        // "\0asm" 1, custom section "sourceMappingURL" -> "a.map"; the map is the input.
        module = {0,   'a', 's', 'm', 1,   0,   0,   0,   0,   23,  16, 's', 'o', 'u', 'r', 'c', 'e',
                  'M', 'a', 'p', 'p', 'i', 'n', 'g', 'U', 'R', 'L', 5,  'a', '.', 'm', 'a', 'p'};
    }
    FileAccess files;
    files.exists = [](std::string const&) { return true; };
    files.read = [&](std::string const&) -> std::optional<std::vector<std::uint8_t>> { return input; };
    Context ctx{{"/home/u/proj", "/"}, *parse_url("http://127.0.0.1:8000/")};
    auto report = diagnose("build/app.wasm", read_module_facts(module), ctx, files);
    std::size_t total = 0;
    for (auto n : report.counts) total += n;
    if (total != report.sources.size()) __builtin_trap();
    std::vector<Report> reports{report};
    if (render_json(reports, {}).empty()) __builtin_trap();
    // The text report holds no control byte but newlines, whatever the module's strings hold.
    auto text = render_text(reports, {});
    if (text.empty()) __builtin_trap();
    for (char c : text)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f) __builtin_trap();
    // Findings are capped per kind (the module's and its debug file's problems, one line each).
    if (report.findings.size() > 120) __builtin_trap();
    return 0;
}
