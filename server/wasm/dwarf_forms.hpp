// DWARF 4 and 5 attribute forms (DWARF5 §7.5.6): reads or skips one attribute value of a
// given form from untrusted bytes, with the unit's offset and address sizes. String forms come
// back as what they point at (a .debug_str offset, a str_offsets index); resolving them against
// the string sections is dwarf_sections.hpp's job. Unknown forms are reported, never guessed.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "server/wasm/byte_reader.hpp"

namespace wasmdev::dwarf {

enum class ValueKind {
    unsigned_int,   // constants, flags, section offsets, references, addresses
    signed_int,     // sdata, implicit_const
    inline_string,  // DW_FORM_string: text is the string itself
    strp,           // offset into .debug_str
    line_strp,      // offset into .debug_line_str
    strx,           // index into .debug_str_offsets (strx*, GNU_str_index)
    block,          // blocks and exprloc, skipped
};

struct FormValue {
    ValueKind kind = ValueKind::unsigned_int;
    std::uint64_t u = 0;
    std::int64_t s = 0;
    std::string_view text{};  // inline_string only; a view into the section bytes
};

struct FormContext {
    std::uint16_t version = 4;
    std::uint8_t offset_size = 4;  // 8 in 64-bit DWARF
    std::uint8_t addr_size = 4;
};

// Reads one value. nullopt when the form is unknown or its bytes run past the reader (the
// reader is then at its end); implicit_const takes its value from the abbreviation.
std::optional<FormValue> read_form(wasm::ByteReader& r, std::uint64_t form, FormContext const& ctx,
                                   std::int64_t implicit_const = 0);

}  // namespace wasmdev::dwarf
