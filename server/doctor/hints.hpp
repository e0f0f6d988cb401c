// What other parts of wasmdev ask the doctor: the debug URLs a debugger will request for a
// module (so the server can warn once when one of them is missing), and the DevTools hint for
// `wasmdev build ... repl` of a -debug profile. referenced_debug_urls is pure; repl_hint reads
// files under ROOT through loader.hpp.
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/doctor/facts.hpp"

namespace wasmdev::doctor {

struct ReferencedUrl {
    std::string role{};     // "external_debug_info", "source map", "dwp", "dwo"
    std::string url{};      // absolute, as DevTools resolves it against module_url
    bool optional = false;  // a .dwp: a 404 is normal and not worth a warning
};

// From the module's own bytes: its external_debug_info target, its source map, the .dwp
// DevTools always tries beside the file holding the DWARF, and the .dwo files of DWARF 5
// split units whose skeletons are in these bytes (a separate debug file's .dwo names are in
// that file: call this again on its bytes with its URL). Empty for non-wasm bytes.
std::vector<ReferencedUrl> referenced_debug_urls(std::span<std::uint8_t const> module_bytes,
                                                 std::string_view module_url);
// The same from facts already read (the serve-time lane reads a module once for both).
std::vector<ReferencedUrl> referenced_debug_urls(ModuleFacts const& facts, std::string_view module_url);

struct ReplHint {
    std::string substitutions_json{};  // "[{"from":"/abs/checkout/","to":"http://127.0.0.1:8000/"}]" or "[]"
    std::string paragraph{};           // one paragraph to print under the REPL URL
    int exit_code = 0;                 // the doctor's verdict for this module
};

// For module_file under root served at root_url ("http://127.0.0.1:8000/").
ReplHint repl_hint(std::filesystem::path const& module_file, std::filesystem::path const& root,
                   std::string_view root_url);

}  // namespace wasmdev::doctor
