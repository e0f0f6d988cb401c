#include "server/wasm/dwarf_line.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "server/wasm/byte_reader.hpp"

namespace wasmdev::dwarf {
namespace {

constexpr std::uint64_t lnct_path = 1;
constexpr std::uint64_t lnct_directory_index = 2;

// A crafted count cannot make us loop: an entry that consumes no bytes ends the table.
constexpr std::uint64_t max_entries = 1u << 20;

struct EntryFormat {
    std::uint64_t content = 0;
    std::uint64_t form = 0;
};

bool read_formats(wasm::ByteReader& r, std::vector<EntryFormat>& out) {
    auto count = r.u8();
    if (!count) return false;
    for (unsigned i = 0; i < *count; ++i) {
        auto content = r.uleb();
        auto form = content ? r.uleb() : std::nullopt;
        if (!form) return false;
        out.push_back({*content, *form});
    }
    return true;
}

// One v5 directory or file entry: its path and (for files) its directory index.
bool read_v5_entry(wasm::ByteReader& r, std::vector<EntryFormat> const& formats, FormContext const& ctx,
                   DwarfSections const& s, std::uint64_t str_offsets_base, LineFile& out) {
    for (auto const& f : formats) {
        auto v = read_form(r, f.form, ctx);
        if (!v) return false;
        if (f.content == lnct_path) {
            auto text = resolve_string(s, *v, str_offsets_base, ctx.offset_size);
            if (!text) return false;
            out.name = text->substr(0, max_string);
        } else if (f.content == lnct_directory_index) {
            out.dir_index = v->u;
        }
    }
    return true;
}

}  // namespace

LineHeader read_line_header(DwarfSections const& s, std::uint64_t offset, std::uint64_t str_offsets_base,
                            std::size_t max_header_bytes) {
    LineHeader h;
    auto fail = [&](std::string_view what) {
        h.error = fmt::format("line table at 0x{:x}: {}", offset, what);
        return h;
    };
    wasm::ByteReader r(s.line);
    if (offset >= s.line.size() || !r.seek(std::size_t(offset))) return fail("offset past .debug_line");
    FormContext ctx;
    auto length = r.u32();
    if (!length) return fail("truncated length");
    std::uint64_t unit_length = *length;
    if (*length == 0xffffffff) {  // 64-bit DWARF (DWARF5 §7.4)
        ctx.offset_size = 8;
        auto l64 = r.u64();
        if (!l64) return fail("truncated 64-bit length");
        unit_length = *l64;
    } else if (*length >= 0xfffffff0) {
        return fail("reserved unit length");
    }
    if (unit_length > r.remaining()) return fail("length runs past .debug_line");
    auto unit = *r.take(unit_length);
    wasm::ByteReader u(unit);
    auto version = u.u16();
    if (!version) return fail("truncated header");
    h.version = *version;
    ctx.version = *version;
    if (h.version < 2 || h.version > 5) return fail(fmt::format("unsupported version {}", h.version));
    if (h.version >= 5) {
        auto addr_size = u.u8();
        if (!addr_size || !u.u8()) return fail("truncated header");
        ctx.addr_size = *addr_size;
    }
    auto header_length = u.fixed(ctx.offset_size);
    if (!header_length || *header_length > u.remaining()) return fail("header length runs past the table");
    if (*header_length > max_header_bytes) return fail("not read: the line tables read so far overlap too much");
    h.header_bytes = std::size_t(*header_length);
    wasm::ByteReader hr(*u.take(*header_length));
    // minimum_instruction_length, [maximum_operations_per_instruction], default_is_stmt, line_base, line_range
    if (!hr.skip(h.version >= 4 ? 5 : 4)) return fail("truncated header");
    auto opcode_base = hr.u8();
    if (!opcode_base || (*opcode_base > 0 && !hr.skip(*opcode_base - 1u))) return fail("truncated opcode lengths");

    if (h.version <= 4) {
        for (std::uint64_t i = 0; i < max_entries; ++i) {
            auto dir = hr.cstr();
            if (!dir) return fail("include_directories not terminated");
            if (dir->empty()) break;
            h.include_dirs.push_back(dir->substr(0, max_string));
        }
        for (std::uint64_t i = 0; i < max_entries; ++i) {
            auto name = hr.cstr();
            if (!name) return fail("file_names not terminated");
            if (name->empty()) break;
            auto dir = hr.uleb();
            if (!dir || !hr.uleb() || !hr.uleb()) return fail("truncated file entry");
            h.files.push_back({name->substr(0, max_string), *dir});
        }
        return h;
    }

    std::vector<EntryFormat> dir_formats, file_formats;
    if (!read_formats(hr, dir_formats)) return fail("truncated directory entry formats");
    auto dir_count = hr.uleb();
    if (!dir_count) return fail("truncated directory count");
    // Reserved by the bytes left (an entry takes one at least), never by the declared count.
    h.include_dirs.reserve(std::size_t(std::min<std::uint64_t>({*dir_count, hr.remaining(), max_entries})));
    for (std::uint64_t i = 0; i < *dir_count; ++i) {
        std::size_t const before = hr.offset();
        LineFile e;
        if (!read_v5_entry(hr, dir_formats, ctx, s, str_offsets_base, e)) return fail("bad directory entry");
        if (hr.offset() == before || i >= max_entries) return fail("directory entries take no bytes");
        h.include_dirs.push_back(e.name);
    }
    if (!read_formats(hr, file_formats)) return fail("truncated file entry formats");
    auto file_count = hr.uleb();
    if (!file_count) return fail("truncated file count");
    h.files.reserve(std::size_t(std::min<std::uint64_t>({*file_count, hr.remaining(), max_entries})));
    for (std::uint64_t i = 0; i < *file_count; ++i) {
        std::size_t const before = hr.offset();
        LineFile e;
        if (!read_v5_entry(hr, file_formats, ctx, s, str_offsets_base, e)) return fail("bad file entry");
        if (hr.offset() == before || i >= max_entries) return fail("file entries take no bytes");
        h.files.push_back(std::move(e));
    }
    return h;
}

bool is_absolute_path(std::string_view p) {
    if (!p.empty() && p[0] == '/') return true;
    if (p.size() >= 2 && p[0] == '\\' && p[1] == '\\') return true;
    return p.size() >= 3 && ((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z') && p[1] == ':' &&
           (p[2] == '\\' || p[2] == '/');
}

namespace {

void append_path(std::string& out, std::string_view part) {
    if (part.empty()) return;
    if (!out.empty() && out.back() != '/' && part.front() != '/') out += '/';
    out += part;
}

}  // namespace

std::vector<std::string> line_table_paths(LineHeader const& h, std::string_view comp_dir, std::size_t max_bytes) {
    std::vector<std::string> out;
    std::size_t bytes = 0;
    // Reserved by what the budget allows, not by the declared count.
    out.reserve(std::min(h.files.size(), max_bytes / path_overhead + 1));
    for (auto const& f : h.files) {
        if (bytes > max_bytes) break;
        if (is_absolute_path(f.name)) {
            bytes += f.name.size() + path_overhead;
            out.push_back(normalize_path(f.name));
            continue;
        }
        std::string_view dir;
        bool have_dir = false;
        if (h.version >= 5) {
            if (f.dir_index < h.include_dirs.size()) dir = h.include_dirs[f.dir_index], have_dir = true;
        } else if (f.dir_index > 0 && f.dir_index <= h.include_dirs.size()) {
            dir = h.include_dirs[f.dir_index - 1], have_dir = true;
        }
        std::string path;
        // v5 directory 0 is the compilation directory already; v2-4 index 0 means "none".
        bool const add_comp_dir = (h.version < 5 || f.dir_index != 0) && !(have_dir && is_absolute_path(dir));
        if (add_comp_dir) append_path(path, comp_dir);
        append_path(path, dir);
        append_path(path, f.name);
        bytes += path.size() + path_overhead;
        out.push_back(normalize_path(path));
    }
    return out;
}

std::string normalize_path(std::string_view path) {
    // Windows style when it looks like one (drive letter or a backslash and no slash), as
    // FileSpec::GuessPathStyle does; separators are kept as they are in the input.
    bool const windows = (path.size() >= 2 && path[1] == ':') ||
                         (path.find('\\') != std::string_view::npos && path.find('/') == std::string_view::npos);
    auto is_sep = [&](char c) { return c == '/' || (windows && c == '\\'); };
    char const sep = windows && path.find('/') == std::string_view::npos ? '\\' : '/';

    std::string root;
    std::size_t i = 0;
    if (windows && path.size() >= 2 && path[1] == ':') {
        root = std::string(path.substr(0, 2));
        i = 2;
    }
    bool const absolute = i < path.size() && is_sep(path[i]);
    std::vector<std::string_view> parts;
    while (i < path.size()) {
        while (i < path.size() && is_sep(path[i])) ++i;
        std::size_t j = i;
        while (j < path.size() && !is_sep(path[j])) ++j;
        auto seg = path.substr(i, j - i);
        i = j;
        if (seg.empty() || seg == ".") continue;
        if (seg == "..") {
            if (!parts.empty() && parts.back() != "..")
                parts.pop_back();
            else if (!absolute)
                parts.push_back(seg);
            continue;
        }
        parts.push_back(seg);
    }
    std::string out = root;
    if (absolute) out += sep;
    for (std::size_t k = 0; k < parts.size(); ++k) {
        if (k) out += sep;
        out += parts[k];
    }
    if (out.empty()) out = ".";
    return out;
}

}  // namespace wasmdev::dwarf
