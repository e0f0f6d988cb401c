// Fuzz target: the wasm section reader (server/wasm/sections, memory) on arbitrary bytes.
// Invariants: never crashes or reads out of bounds (ASan), every payload lies inside the
// input at its stated offset, a module that is not wasm has no sections.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "server/wasm/memory.hpp"
#include "server/wasm/problem_log.hpp"
#include "server/wasm/sections.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::span<std::uint8_t const> in(data, size);
    auto m = wasmdev::wasm::read_sections(in);
    if (!m.is_wasm && !m.sections.empty()) __builtin_trap();
    std::size_t last_end = 8;
    for (auto const& s : m.sections) {
        if (s.payload.data() != data + s.offset) __builtin_trap();
        if (s.offset < last_end || s.offset + s.payload.size() > size) __builtin_trap();
        last_end = s.offset + s.payload.size();
        if (s.id == wasmdev::wasm::custom_section_id) (void)wasmdev::wasm::read_url_payload(s.payload);
    }
    // Bounded by kind, not by input: one line per kind of warning, sections kept up to the cap.
    if (m.warnings.size() > wasmdev::wasm::ProblemLog::max_kinds + 2) __builtin_trap();
    if (m.sections.size() > wasmdev::wasm::max_sections || m.sections.size() > m.section_count) __builtin_trap();
    auto mem = wasmdev::wasm::read_memory(m);
    if (mem.shared && !mem.present) __builtin_trap();
    return 0;
}
