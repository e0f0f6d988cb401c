// Test helper: the hostile module shapes of tests/fuzz/hostile_wasm.py, built in memory at a
// chosen count, so unit tests can show the reader's bounds by what it kept (counts, sizes)
// rather than by wall-clock time. See docs/doctor.md, "Bounds".
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tests/unit/wasm_builder.hpp"

namespace wasmdev::test::hostile {

// One abbreviation: code, DW_TAG_compile_unit, no children, then (attribute, form) pairs.
inline Bytes cu_abbrev(std::uint64_t code, std::vector<std::pair<std::uint64_t, std::uint64_t>> attrs = {}) {
    Bytes b;
    b.uleb(code).uleb(0x11).u8(0);
    for (auto [a, f] : attrs) b.uleb(a).uleb(f);
    return b.u8(0).u8(0);
}

// A DWARF 4 unit whose unit DIE is `code` followed by attr_bytes.
inline Bytes cu_v4(std::uint64_t code, Bytes const& attr_bytes = {}) {
    Bytes body;
    body.u16(4).u32(0).u8(4).uleb(code).bytes(attr_bytes);
    return with_length(body);
}

// A DWARF 5 line table naming `n` directories and `n` files, each a 4-byte line_strp to the
// same 4 KiB string: 8 bytes of input per 8 KiB of copied strings before the fix.
inline std::vector<std::uint8_t> line_amplify(std::size_t n) {
    Bytes formats;
    formats.u8(1).uleb(1).uleb(0x1f);  // DW_LNCT_path, DW_FORM_line_strp
    Bytes header;
    header.u8(1).u8(1).u8(1).u8(0xfb).u8(14).u8(13);
    for (int i = 0; i < 12; ++i) header.u8(0);
    header.bytes(formats).uleb(n);
    for (std::size_t i = 0; i < n; ++i) header.u32(0);
    header.bytes(formats).uleb(n);
    for (std::size_t i = 0; i < n; ++i) header.u32(0);
    Bytes body;
    body.u16(5).u8(4).u8(0).u32(header.size()).bytes(header);
    Bytes abbrev = cu_abbrev(1, {{0x10, 0x17}});
    abbrev.u8(0);
    return module({{0, custom(".debug_info", cu_v4(1, Bytes{}.u32(0)))},
                   {0, custom(".debug_abbrev", abbrev)},
                   {0, custom(".debug_line", with_length(body))},
                   {0, custom(".debug_line_str", Bytes{}.cstr(std::string(4096, 'a')))}});
}

// One table of `entries` abbreviations and `units` units asking for a code past its end.
inline std::vector<std::uint8_t> abbrev_rescan(std::size_t entries, std::size_t units) {
    Bytes abbrev;
    for (std::size_t c = 1; c <= entries; ++c) abbrev.bytes(cu_abbrev(c));
    abbrev.u8(0);
    Bytes info;
    auto const unit = cu_v4(entries + 1);
    for (std::size_t i = 0; i < units; ++i) info.bytes(unit);
    return module({{0, custom(".debug_info", info)}, {0, custom(".debug_abbrev", abbrev)}});
}

// `units` units whose DW_AT_name is a strp to a `length`-byte string.
inline std::vector<std::uint8_t> strp_rescan(std::size_t units, std::size_t length) {
    Bytes abbrev = cu_abbrev(1, {{0x03, 0x0e}});
    abbrev.u8(0);
    Bytes info;
    auto const unit = cu_v4(1, Bytes{}.u32(0));
    for (std::size_t i = 0; i < units; ++i) info.bytes(unit);
    return module({{0, custom(".debug_info", info)},
                   {0, custom(".debug_abbrev", abbrev)},
                   {0, custom(".debug_str", Bytes{}.cstr(std::string(length, 's')))}});
}

// `n` empty custom sections all named "x".
inline std::vector<std::uint8_t> dup_sections(std::size_t n) {
    Bytes m;
    m.raw(std::string_view("\0asm", 4)).u32(1);
    for (std::size_t i = 0; i < n; ++i) m.u8(0).u8(2).u8(1).raw("x");
    return m.v;
}

// `n` minimal units (14 bytes each).
inline std::vector<std::uint8_t> many_units(std::size_t n) {
    Bytes abbrev = cu_abbrev(1);
    abbrev.u8(0);
    Bytes info;
    auto const unit = cu_v4(1);
    for (std::size_t i = 0; i < n; ++i) info.bytes(unit);
    return module({{0, custom(".debug_info", info)}, {0, custom(".debug_abbrev", abbrev)}});
}

}  // namespace wasmdev::test::hostile
