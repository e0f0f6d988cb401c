#include "server/wasm/dwarf_sections.hpp"

#include <algorithm>
#include <cstring>

#include "server/wasm/byte_reader.hpp"

namespace wasmdev::dwarf {

DwarfSections dwarf_sections(wasm::Module const& m) {
    auto get = [&](std::string_view name) {
        auto const* s = wasm::find_custom(m, name);
        return s ? s->payload : Bytes{};
    };
    DwarfSections d;
    d.info = get(".debug_info");
    d.abbrev = get(".debug_abbrev");
    d.line = get(".debug_line");
    d.str = get(".debug_str");
    d.line_str = get(".debug_line_str");
    d.str_offsets = get(".debug_str_offsets");
    return d;
}

std::optional<std::string_view> string_at(Bytes section, std::uint64_t offset) {
    if (offset >= section.size()) return std::nullopt;
    auto const* start = reinterpret_cast<char const*>(section.data()) + offset;
    std::size_t const left = section.size() - std::size_t(offset);
    std::size_t const window = std::min(left, max_string + 1);
    if (auto const* nul = static_cast<char const*>(std::memchr(start, 0, window)))
        return std::string_view(start, std::size_t(nul - start));
    if (left > max_string) return std::string_view(start, max_string);  // longer than any path: cut
    return std::nullopt;
}

std::optional<std::string_view> resolve_string(DwarfSections const& s, FormValue const& v,
                                               std::uint64_t str_offsets_base, std::uint8_t offset_size) {
    switch (v.kind) {
        case ValueKind::inline_string: return v.text;
        case ValueKind::strp: return string_at(s.str, v.u);
        case ValueKind::line_strp: return string_at(s.line_str, v.u);
        case ValueKind::strx: {
            // Overflow-safe: base + index * size must stay inside the section.
            if (v.u > s.str_offsets.size() / offset_size) return std::nullopt;
            std::uint64_t const at = str_offsets_base + v.u * offset_size;
            if (at < str_offsets_base || at > s.str_offsets.size()) return std::nullopt;
            wasm::ByteReader r(s.str_offsets);
            if (!r.seek(std::size_t(at))) return std::nullopt;
            auto off = r.fixed(offset_size);
            if (!off) return std::nullopt;
            return string_at(s.str, *off);
        }
        default: return std::nullopt;
    }
}

}  // namespace wasmdev::dwarf
