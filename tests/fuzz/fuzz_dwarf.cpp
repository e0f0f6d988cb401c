// Fuzz target: the DWARF reader (server/wasm/dwarf_*) on arbitrary section contents.
// The input is six sections back to back, split by five little-endian u16 lengths at the
// front (info, abbrev, line, str, line_str; str_offsets gets the rest), so the fuzzer mutates
// DWARF rather than wasm framing. Invariants: no crash or out-of-bounds read (ASan), no path
// longer than the reader's cap, units in increasing offset order.
#include <cstdint>
#include <span>

#include "server/wasm/dwarf_units.hpp"
#include "server/wasm/problem_log.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    using wasmdev::dwarf::Bytes;
    std::span<std::uint8_t const> in(data, size);
    if (in.size() < 10) return 0;
    Bytes parts[6];
    std::size_t at = 10;
    for (int i = 0; i < 5; ++i) {
        std::size_t len = std::size_t(in[2 * i]) | (std::size_t(in[2 * i + 1]) << 8);
        if (len > in.size() - at) len = in.size() - at;
        parts[i] = in.subspan(at, len);
        at += len;
    }
    parts[5] = in.subspan(at);
    wasmdev::dwarf::DwarfSections s{parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]};
    auto info = wasmdev::dwarf::read_units(s);
    // Problems are one line per kind; units are kept up to their cap.
    if (info.problems.size() > wasmdev::wasm::ProblemLog::max_kinds + 1) __builtin_trap();
    if (info.units.size() > (1u << 16)) __builtin_trap();
    std::uint64_t last = 0;
    bool first = true;
    for (auto const& u : info.units) {
        if (!first && u.offset <= last) __builtin_trap();
        first = false;
        last = u.offset;
        if (u.offset >= s.info.size()) __builtin_trap();
        for (auto const& f : u.files)
            if (f.size() > 4096) __builtin_trap();
        if (u.name.size() > 4096 || u.comp_dir.size() > 4096) __builtin_trap();
    }
    return 0;
}
