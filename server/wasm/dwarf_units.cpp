#include "server/wasm/dwarf_units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "server/wasm/byte_reader.hpp"
#include "server/wasm/dwarf_line.hpp"

namespace wasmdev::dwarf {
namespace {

constexpr std::uint64_t at_name = 0x03;
constexpr std::uint64_t at_stmt_list = 0x10;
constexpr std::uint64_t at_comp_dir = 0x1b;
constexpr std::uint64_t at_str_offsets_base = 0x72;
constexpr std::uint64_t at_dwo_name = 0x76;
constexpr std::uint64_t at_gnu_dwo_name = 0x2130;

constexpr std::uint64_t tag_compile_unit = 0x11;
constexpr std::uint64_t tag_partial_unit = 0x3c;
constexpr std::uint64_t tag_skeleton_unit = 0x4a;

// Paths are copied out of the module; a crafted module could name the same long string a
// million times. Past this many bytes of paths, reading stops (a CPython debug build needs ~10 MB).
constexpr std::size_t path_budget = 64u << 20;
// Longer than any path a file system takes; longer strings are cut.
constexpr std::size_t max_string = 4096;

struct AttrSpec {
    std::uint64_t name = 0;
    std::uint64_t form = 0;
    std::int64_t implicit_const = 0;
};

// The attribute specs of abbreviation `code` in the table at offset; nullopt when absent or malformed.
std::optional<std::pair<std::uint64_t, std::vector<AttrSpec>>> find_abbrev(Bytes abbrev, std::uint64_t offset,
                                                                           std::uint64_t code) {
    wasm::ByteReader r(abbrev);
    if (offset >= abbrev.size() || !r.seek(std::size_t(offset))) return std::nullopt;
    while (!r.at_end()) {
        auto c = r.uleb();
        if (!c || *c == 0) return std::nullopt;  // end of this unit's table
        auto tag = r.uleb();
        if (!tag || !r.u8()) return std::nullopt;  // children flag
        std::vector<AttrSpec> specs;
        for (;;) {
            auto name = r.uleb();
            auto form = name ? r.uleb() : std::nullopt;
            if (!form) return std::nullopt;
            if (*name == 0 && *form == 0) break;
            AttrSpec a{*name, *form, 0};
            if (*form == 0x21) {  // implicit_const carries its value here
                auto v = r.sleb();
                if (!v) return std::nullopt;
                a.implicit_const = *v;
            }
            if (*c == code) specs.push_back(a);
        }
        if (*c == code) return std::make_pair(*tag, std::move(specs));
    }
    return std::nullopt;
}

std::string bounded(std::string_view s) { return std::string(s.substr(0, max_string)); }

}  // namespace

DwarfInfo read_units(DwarfSections const& s) {
    DwarfInfo out;
    std::set<std::uint64_t> line_tables_read;
    std::size_t path_bytes = 0;
    wasm::ByteReader r(s.info);
    while (!r.at_end()) {
        Unit unit;
        unit.offset = r.offset();
        auto problem = [&](std::string_view what) {
            return fmt::format("unit at .debug_info+0x{:x}: {}", unit.offset, what);
        };
        FormContext ctx;
        auto length32 = r.u32();
        if (!length32) {
            out.problems.push_back(problem("truncated unit length"));
            break;
        }
        std::uint64_t length = *length32;
        if (*length32 == 0xffffffff) {
            // 64-bit DWARF: 8-byte length and offsets. wasm32 toolchains do not emit it, but it
            // is well defined, so it is read rather than refused.
            unit.dwarf64 = true;
            ctx.offset_size = 8;
            auto l64 = r.u64();
            if (!l64) {
                out.problems.push_back(problem("truncated 64-bit unit length"));
                break;
            }
            length = *l64;
        } else if (*length32 >= 0xfffffff0) {
            out.problems.push_back(problem("reserved unit length value; nothing after it can be found"));
            break;
        }
        if (length > r.remaining()) {
            out.problems.push_back(problem(fmt::format("length {} runs past .debug_info ({} bytes remain)", length, r.remaining())));
            break;
        }
        wasm::ByteReader u(*r.take(length));  // the next unit starts after this, whatever happens inside

        auto version = u.u16();
        if (!version || *version < 2 || *version > 5) {
            out.problems.push_back(problem(version ? fmt::format("unsupported DWARF version {}", *version) : "truncated header"));
            continue;
        }
        unit.version = *version;
        ctx.version = *version;
        std::optional<std::uint64_t> abbrev_offset;
        std::optional<std::uint8_t> addr_size;
        unit.unit_type = 1;
        if (unit.version >= 5) {
            auto type = u.u8();
            addr_size = type ? u.u8() : std::nullopt;
            abbrev_offset = addr_size ? u.fixed(ctx.offset_size) : std::nullopt;
            if (!abbrev_offset) {
                out.problems.push_back(problem("truncated header"));
                continue;
            }
            unit.unit_type = *type;
            bool ok = true;
            if (*type == 4 || *type == 5) ok = u.skip(8);                       // skeleton, split_compile: dwo_id
            else if (*type == 2 || *type == 6) ok = u.skip(8 + ctx.offset_size);  // type, split_type
            if (!ok) {
                out.problems.push_back(problem("truncated header"));
                continue;
            }
            if (*type == 2 || *type == 6) continue;  // type units name no files
        } else {
            abbrev_offset = u.fixed(ctx.offset_size);
            addr_size = abbrev_offset ? u.u8() : std::nullopt;
            if (!addr_size) {
                out.problems.push_back(problem("truncated header"));
                continue;
            }
        }
        ctx.addr_size = *addr_size;
        if (ctx.addr_size != 4 && ctx.addr_size != 8) {
            out.problems.push_back(problem(fmt::format("address size {}", ctx.addr_size)));
            continue;
        }

        auto code = u.uleb();
        if (!code || *code == 0) {
            out.problems.push_back(problem("no unit DIE"));
            continue;
        }
        auto abbrev = find_abbrev(s.abbrev, *abbrev_offset, *code);
        if (!abbrev) {
            out.problems.push_back(problem(fmt::format("abbreviation {} not found at .debug_abbrev+0x{:x}", *code, *abbrev_offset)));
            continue;
        }
        unit.tag = abbrev->first;
        if (unit.tag != tag_compile_unit && unit.tag != tag_partial_unit && unit.tag != tag_skeleton_unit) continue;

        // Strings in strx forms need DW_AT_str_offsets_base, which may come after them: collect first.
        std::optional<FormValue> name, comp_dir, dwo_name;
        std::optional<std::uint64_t> str_offsets_base;
        for (auto const& spec : abbrev->second) {
            auto v = read_form(u, spec.form, ctx, spec.implicit_const);
            if (!v) {
                unit.error = fmt::format("form 0x{:x} of attribute 0x{:x} is unknown or truncated; the rest of the unit DIE is skipped",
                                         spec.form, spec.name);
                break;
            }
            switch (spec.name) {
                case at_name: name = v; break;
                case at_comp_dir: comp_dir = v; break;
                case at_stmt_list: unit.stmt_list = v->u; break;
                case at_str_offsets_base: str_offsets_base = v->u; break;
                case at_dwo_name: dwo_name = v; unit.gnu_dwo = false; break;
                case at_gnu_dwo_name: if (!dwo_name) { dwo_name = v; unit.gnu_dwo = true; } break;
                default: break;
            }
        }
        // Without the attribute, GNU split DWARF (v4) indexes from the start of the section;
        // a v5 unit's contribution starts after its 8- or 16-byte header.
        std::uint64_t const base = str_offsets_base.value_or(unit.version >= 5 ? 2u * ctx.offset_size : 0u);
        auto text = [&](std::optional<FormValue> const& v, std::string_view what) -> std::string {
            if (!v) return {};
            auto t = resolve_string(s, *v, base, ctx.offset_size);
            if (!t) {
                if (unit.error.empty()) unit.error = fmt::format("{} is not a readable string", what);
                return {};
            }
            return bounded(*t);
        };
        unit.name = text(name, "DW_AT_name");
        unit.comp_dir = text(comp_dir, "DW_AT_comp_dir");
        unit.dwo_name = text(dwo_name, "DW_AT_dwo_name");
        if (!unit.error.empty()) out.problems.push_back(problem(unit.error));

        // Several units may share a line table; its files are listed once.
        if (unit.stmt_list && line_tables_read.insert(*unit.stmt_list).second) {
            auto header = read_line_header(s, *unit.stmt_list, base);
            if (!header.error.empty()) out.problems.push_back(problem(header.error));
            for (auto& p : line_table_paths(header, unit.comp_dir, path_budget - std::min(path_bytes, path_budget))) {
                if (p.size() > max_string) p.resize(max_string);
                path_bytes += p.size();
                if (path_bytes > path_budget) break;
                unit.files.push_back(std::move(p));
            }
        }
        out.units.push_back(std::move(unit));
        if (path_bytes > path_budget) {
            out.problems.push_back(fmt::format("more than {} MiB of file paths; the rest of .debug_info is not read", path_budget >> 20));
            break;
        }
    }
    return out;
}

}  // namespace wasmdev::dwarf
