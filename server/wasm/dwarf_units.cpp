#include "server/wasm/dwarf_units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "server/wasm/byte_reader.hpp"
#include "server/wasm/dwarf_line.hpp"
#include "server/wasm/problem_log.hpp"

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

// Paths and unit names are copied out of the module; a crafted module could name the same long
// string a million times. Past this many bytes of them (path_overhead counted for each path,
// the Unit itself for each unit), reading stops (a CPython debug build needs ~10 MB).
constexpr std::size_t path_budget = 64u << 20;
// Units kept: a CPython build has about a thousand; 14-byte units would otherwise cost ~200
// bytes each.
constexpr std::size_t max_units = 1u << 16;

struct AttrSpec {
    std::uint64_t name = 0;
    std::uint64_t form = 0;
    std::int64_t implicit_const = 0;
};

struct Abbrev {
    std::uint64_t tag = 0;
    std::vector<AttrSpec> specs{};
};

// The abbreviation tables of .debug_abbrev, each walked once: units sharing a table (all of
// them, in a wasm-ld link) find their code by binary search instead of rescanning the table
// (a 4 MB table and 280,000 units took hours). Tables at different offsets may overlap in a
// crafted section, so the bytes walked in all are budgeted at twice the section, plus slack.
class AbbrevTables {
public:
    explicit AbbrevTables(Bytes abbrev) : abbrev_(abbrev), budget_(2 * abbrev.size() + (1u << 20)) {}

    enum class Miss { none, not_found, over_budget };

    // The abbreviation `code` of the table at offset.
    std::optional<Abbrev> find(std::uint64_t offset, std::uint64_t code, Miss& miss) {
        miss = Miss::not_found;
        auto it = tables_.find(offset);
        if (it == tables_.end()) {
            if (offset >= abbrev_.size()) return std::nullopt;
            if (budget_ == 0) {
                miss = Miss::over_budget;
                return std::nullopt;
            }
            it = tables_.emplace(offset, index(offset)).first;
        }
        auto const& entries = it->second;
        auto e = std::lower_bound(entries.begin(), entries.end(), std::make_pair(code, std::size_t(0)));
        if (e == entries.end() || e->first != code) return std::nullopt;
        miss = Miss::none;
        return decode(e->second);
    }

private:
    // (code, offset of its tag), sorted by code and then offset: the first one counts.
    using Index = std::vector<std::pair<std::uint64_t, std::size_t>>;

    Index index(std::uint64_t offset) {
        Index out;
        wasm::ByteReader r(abbrev_);
        r.seek(std::size_t(offset));
        std::size_t const start = r.offset();
        while (!r.at_end() && r.offset() - start < budget_) {
            auto c = r.uleb();
            if (!c || *c == 0) break;  // end of this table
            std::size_t const at = r.offset();
            if (!skip_entry(r)) break;
            out.emplace_back(*c, at);
        }
        budget_ -= std::min(budget_, r.offset() - start);
        std::sort(out.begin(), out.end());
        return out;
    }

    static bool skip_entry(wasm::ByteReader& r) {
        if (!r.uleb() || !r.u8()) return false;  // tag, children flag
        for (;;) {
            auto name = r.uleb();
            auto form = name ? r.uleb() : std::nullopt;
            if (!form) return false;
            if (*name == 0 && *form == 0) return true;
            if (*form == 0x21 && !r.sleb()) return false;  // implicit_const carries its value here
        }
    }

    std::optional<Abbrev> decode(std::size_t at) const {
        wasm::ByteReader r(abbrev_);
        r.seek(at);
        Abbrev a;
        auto tag = r.uleb();
        if (!tag || !r.u8()) return std::nullopt;
        a.tag = *tag;
        for (;;) {
            auto name = r.uleb();
            auto form = name ? r.uleb() : std::nullopt;
            if (!form) return std::nullopt;
            if (*name == 0 && *form == 0) return a;
            AttrSpec spec{*name, *form, 0};
            if (*form == 0x21) {
                auto v = r.sleb();
                if (!v) return std::nullopt;
                spec.implicit_const = *v;
            }
            a.specs.push_back(spec);
        }
    }

    Bytes abbrev_{};
    std::size_t budget_ = 0;
    std::unordered_map<std::uint64_t, Index> tables_{};
};

std::string bounded(std::string_view s) { return std::string(s.substr(0, max_string)); }

}  // namespace

DwarfInfo read_units(DwarfSections const& s) {
    DwarfInfo out;
    wasm::ProblemLog problems;
    AbbrevTables abbrevs(s.abbrev);
    std::set<std::uint64_t> line_tables_read;
    std::size_t path_bytes = 0;
    // Line tables at different offsets may overlap in a crafted section: the header bytes
    // walked in all are budgeted like the abbreviation tables.
    std::size_t line_budget = 2 * s.line.size() + (1u << 20);
    wasm::ByteReader r(s.info);
    while (!r.at_end()) {
        if (out.units.size() >= max_units) {
            problems.add(fmt::format("more than {} units; the rest of .debug_info is not read", max_units));
            break;
        }
        Unit unit;
        unit.offset = r.offset();
        auto problem = [&](std::string_view what) {
            return fmt::format("unit at .debug_info+0x{:x}: {}", unit.offset, what);
        };
        FormContext ctx;
        auto length32 = r.u32();
        if (!length32) {
            problems.add(problem("truncated unit length"));
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
                problems.add(problem("truncated 64-bit unit length"));
                break;
            }
            length = *l64;
        } else if (*length32 >= 0xfffffff0) {
            problems.add(problem("reserved unit length value; nothing after it can be found"));
            break;
        }
        if (length > r.remaining()) {
            problems.add(
                problem(fmt::format("length {} runs past .debug_info ({} bytes remain)", length, r.remaining())));
            break;
        }
        wasm::ByteReader u(*r.take(length));  // the next unit starts after this, whatever happens inside

        auto version = u.u16();
        if (!version || *version < 2 || *version > 5) {
            problems.add(problem(version ? fmt::format("unsupported DWARF version {}", *version) : "truncated header"));
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
                problems.add(problem("truncated header"));
                continue;
            }
            unit.unit_type = *type;
            bool ok = true;
            if (*type == 4 || *type == 5)
                ok = u.skip(8);  // skeleton, split_compile: dwo_id
            else if (*type == 2 || *type == 6)
                ok = u.skip(8 + ctx.offset_size);  // type, split_type
            if (!ok) {
                problems.add(problem("truncated header"));
                continue;
            }
            if (*type == 2 || *type == 6) continue;  // type units name no files
        } else {
            abbrev_offset = u.fixed(ctx.offset_size);
            addr_size = abbrev_offset ? u.u8() : std::nullopt;
            if (!addr_size) {
                problems.add(problem("truncated header"));
                continue;
            }
        }
        ctx.addr_size = *addr_size;
        if (ctx.addr_size != 4 && ctx.addr_size != 8) {
            problems.add(problem(fmt::format("address size {}", ctx.addr_size)));
            continue;
        }

        auto code = u.uleb();
        if (!code || *code == 0) {
            problems.add(problem("no unit DIE"));
            continue;
        }
        AbbrevTables::Miss miss{};
        auto abbrev = abbrevs.find(*abbrev_offset, *code, miss);
        if (!abbrev) {
            problems.add(
                problem(miss == AbbrevTables::Miss::over_budget
                            ? std::string("abbreviation table not read: the tables read so far overlap too much")
                            : fmt::format("abbreviation {} not found at .debug_abbrev+0x{:x}", *code, *abbrev_offset)));
            continue;
        }
        unit.tag = abbrev->tag;
        if (unit.tag != tag_compile_unit && unit.tag != tag_partial_unit && unit.tag != tag_skeleton_unit) continue;

        // Strings in strx forms need DW_AT_str_offsets_base, which may come after them: collect first.
        std::optional<FormValue> name, comp_dir, dwo_name;
        std::optional<std::uint64_t> str_offsets_base;
        for (auto const& spec : abbrev->specs) {
            auto v = read_form(u, spec.form, ctx, spec.implicit_const);
            if (!v) {
                unit.error = fmt::format(
                    "form 0x{:x} of attribute 0x{:x} is unknown or truncated; the rest of the unit DIE is skipped",
                    spec.form, spec.name);
                break;
            }
            switch (spec.name) {
                case at_name: name = v; break;
                case at_comp_dir: comp_dir = v; break;
                case at_stmt_list: unit.stmt_list = v->u; break;
                case at_str_offsets_base: str_offsets_base = v->u; break;
                case at_dwo_name:
                    dwo_name = v;
                    unit.gnu_dwo = false;
                    break;
                case at_gnu_dwo_name:
                    if (!dwo_name) {
                        dwo_name = v;
                        unit.gnu_dwo = true;
                    }
                    break;
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
        path_bytes += sizeof(Unit) + unit.name.size() + unit.comp_dir.size() + unit.dwo_name.size();
        if (!unit.error.empty()) problems.add(problem(unit.error));

        // Several units may share a line table; its files are listed once.
        if (unit.stmt_list && line_tables_read.insert(*unit.stmt_list).second) {
            auto header = read_line_header(s, *unit.stmt_list, base, line_budget);
            line_budget -= std::min(line_budget, header.header_bytes);
            if (!header.error.empty()) problems.add(problem(header.error));
            auto paths = line_table_paths(header, unit.comp_dir, path_budget - std::min(path_bytes, path_budget));
            bool const cut = paths.size() < header.files.size();  // line_table_paths met the budget
            for (auto& p : paths) {
                if (p.size() > max_string) p.resize(max_string);
                path_bytes += p.size() + path_overhead;
                if (path_bytes > path_budget) break;
                unit.files.push_back(std::move(p));
            }
            if (cut) path_bytes = path_budget + 1;
        }
        out.units.push_back(std::move(unit));
        if (path_bytes > path_budget) {
            problems.add(
                fmt::format("more than {} MiB of file paths and unit names; the rest of .debug_info is not read",
                            path_budget >> 20));
            break;
        }
    }
    out.problems = problems.lines();
    return out;
}

}  // namespace wasmdev::dwarf
