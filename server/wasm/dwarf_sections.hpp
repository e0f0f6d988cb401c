// The DWARF sections a wasm module carries as custom sections (".debug_info", ...), and the
// string lookups every other DWARF reader needs: .debug_str / .debug_line_str offsets and
// .debug_str_offsets indices (DWARF5 §7.26), each bounds-checked.
// Parsing units and line tables is left to dwarf_units.hpp and dwarf_line.hpp.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "server/wasm/dwarf_forms.hpp"
#include "server/wasm/sections.hpp"

namespace wasmdev::dwarf {

using Bytes = std::span<std::uint8_t const>;

struct DwarfSections {
    Bytes info{};
    Bytes abbrev{};
    Bytes line{};
    Bytes str{};
    Bytes line_str{};
    Bytes str_offsets{};
};

// The first section of each name (a duplicate is reported by read_sections).
DwarfSections dwarf_sections(wasm::Module const& m);

// Longer than any path a file system takes; longer strings are cut to this.
inline constexpr std::size_t max_string = 4096;

// The NUL-terminated string at offset in a string section, cut to max_string bytes; nullopt
// when out of bounds, or unterminated within the section and shorter than max_string. Looks at
// most max_string + 1 bytes: a million references to one huge string cost a million short
// looks, not a million scans of it.
std::optional<std::string_view> string_at(Bytes section, std::uint64_t offset);

// The text of a string-valued attribute; nullopt for non-string forms and bad offsets.
// str_offsets_base is the unit's DW_AT_str_offsets_base (or the default the caller chose).
std::optional<std::string_view> resolve_string(DwarfSections const& s, FormValue const& v,
                                               std::uint64_t str_offsets_base, std::uint8_t offset_size);

}  // namespace wasmdev::dwarf
