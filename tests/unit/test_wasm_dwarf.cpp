// server/wasm/dwarf_*: unit DIEs (v4, v5, skeleton, GNU split, 64-bit) and line table file
// names of .debug_info/.debug_line, joined with the compilation directory as LLVM joins them;
// malformed units stop only themselves.
#include <doctest/doctest.h>

#include <list>

#include "server/wasm/dwarf_line.hpp"
#include "server/wasm/dwarf_units.hpp"
#include "tests/unit/hostile_modules.hpp"
#include "tests/unit/wasm_builder.hpp"

using namespace wasmdev;
using test::Bytes;

namespace {

// Standard opcode lengths for opcode_base 13 (DWARF 4/5 as clang writes them).
Bytes line_params() {
    Bytes b;
    b.u8(1).u8(1).u8(1).u8(0xfb).u8(14).u8(13);
    for (int n : {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1}) b.u8(n);
    return b;
}

Bytes line_v4(std::initializer_list<char const*> dirs, std::initializer_list<std::pair<char const*, int>> files) {
    Bytes h = line_params();
    for (auto d : dirs) h.cstr(d);
    h.u8(0);
    for (auto [name, dir] : files) h.cstr(name).uleb(dir).uleb(0).uleb(0);
    h.u8(0);
    return test::with_length(Bytes{}.u16(4).u32(h.size()).bytes(h));
}

// Abbreviation 1: compile unit with the given (attribute, form) pairs.
Bytes abbrev(std::uint64_t code, std::uint64_t tag, std::initializer_list<std::pair<int, int>> attrs) {
    Bytes b;
    b.uleb(code).uleb(tag).u8(0);
    for (auto [a, f] : attrs) b.uleb(a).uleb(f);
    return b.u8(0).u8(0);
}

std::vector<std::uint8_t> const& keep(std::vector<std::uint8_t> v) {
    static std::list<std::vector<std::uint8_t>> store;  // stable addresses
    store.push_back(std::move(v));
    return store.back();
}

}  // namespace

TEST_CASE("read_units: a DWARF 4 unit, its line table and LLVM's v4 directory rules") {
    auto const& str = keep(Bytes{}.cstr("hello.c").cstr("/src/proj").v);  // 0, 8
    auto const& abbr = keep(abbrev(1, 0x11, {{0x03, 0x0e}, {0x10, 0x17}, {0x1b, 0x0e}}).u8(0).v);
    auto const& info = keep(test::with_length(Bytes{}.u16(4).u32(0).u8(4).uleb(1).u32(0).u32(0).u32(8)).v);
    auto const& line =
        keep(line_v4({".", "/usr/include", "sub"},
                     {{"hello.c", 0}, {"util.h", 1}, {"stdio.h", 2}, {"x.h", 3}, {"/abs/y.h", 1}, {"bad.h", 9}})
                 .v);
    dwarf::DwarfSections s{info, abbr, line, str, {}, {}};
    auto d = dwarf::read_units(s);
    CHECK(d.problems.empty());
    REQUIRE(d.units.size() == 1);
    auto const& u = d.units[0];
    CHECK(u.version == 4);
    CHECK(u.name == "hello.c");
    CHECK(u.comp_dir == "/src/proj");
    CHECK(u.stmt_list == 0u);
    // dir 0: none, so comp_dir; dir 1 ".": comp_dir/.; an absolute directory is not prefixed;
    // an index past the table is no directory (LLVM's "be defensive").
    std::vector<std::string> const want{"/src/proj/hello.c", "/src/proj/util.h", "/usr/include/stdio.h",
                                        "/src/proj/sub/x.h", "/abs/y.h",         "/src/proj/bad.h"};
    CHECK(u.files == want);
}

TEST_CASE("read_units: DWARF 5 strx names before DW_AT_str_offsets_base, line_strp directories, dir 0 and file 0") {
    auto const& str = keep(Bytes{}.cstr("lib.c").cstr("/w/p").v);  // 0, 6
    auto const& offsets = keep(Bytes{}.u32(12).u16(5).u16(0).u32(0).u32(6).v);
    auto const& line_str = keep(Bytes{}.cstr("/w/p").cstr("inc").cstr("/opt/sdk/include").v);  // 0, 5, 9
    auto const& abbr = keep(abbrev(1, 0x11, {{0x03, 0x25}, {0x72, 0x17}, {0x10, 0x17}, {0x1b, 0x25}}).u8(0).v);
    auto const& info = keep(test::with_length(Bytes{}.u16(5).u8(1).u8(4).u32(0).uleb(1).u8(0).u32(8).u32(0).u8(1)).v);
    Bytes h = line_params();
    h.u8(1).uleb(1).uleb(0x1f).uleb(3).u32(0).u32(5).u32(9);
    h.u8(2).uleb(1).uleb(0x08).uleb(2).uleb(0x0b).uleb(4);
    h.cstr("lib.c").u8(0).cstr("util.h").u8(1).cstr("stdio.h").u8(2).cstr("z.h").u8(0);
    auto const& line = keep(test::with_length(Bytes{}.u16(5).u8(4).u8(0).u32(h.size()).bytes(h)).v);
    dwarf::DwarfSections s{info, abbr, line, str, line_str, offsets};
    auto d = dwarf::read_units(s);
    CHECK(d.problems.empty());
    REQUIRE(d.units.size() == 1);
    CHECK(d.units[0].version == 5);
    CHECK(d.units[0].name == "lib.c");
    CHECK(d.units[0].comp_dir == "/w/p");
    std::vector<std::string> const want{"/w/p/lib.c", "/w/p/inc/util.h", "/opt/sdk/include/stdio.h", "/w/p/z.h"};
    CHECK(d.units[0].files == want);
}

TEST_CASE("read_units: split DWARF names its .dwo in a v5 skeleton unit and a v4 GNU unit") {
    auto const& str = keep(Bytes{}.cstr("/w").cstr("a.dwo").cstr("b.dwo").v);  // 0, 3, 9
    auto const& offsets = keep(Bytes{}.u32(12).u16(5).u16(0).u32(0).u32(3).v);
    auto const& abbr = keep(Bytes{}
                                .bytes(abbrev(1, 0x4a, {{0x72, 0x17}, {0x1b, 0x25}, {0x76, 0x25}}))
                                .bytes(abbrev(2, 0x11, {{0x1b, 0x0e}, {0x2130, 0x0e}}))
                                .u8(0)
                                .v);
    Bytes info;
    info.bytes(test::with_length(Bytes{}.u16(5).u8(4).u8(4).u32(0).u64(0x1234).uleb(1).u32(8).u8(0).u8(1)));
    info.bytes(test::with_length(Bytes{}.u16(4).u32(0).u8(4).uleb(2).u32(0).u32(9)));
    auto const& inf = keep(info.v);
    auto d = dwarf::read_units({inf, abbr, {}, str, {}, offsets});
    CHECK(d.problems.empty());
    REQUIRE(d.units.size() == 2);
    CHECK(d.units[0].tag == 0x4a);
    CHECK(d.units[0].unit_type == 4);
    CHECK(d.units[0].dwo_name == "a.dwo");
    CHECK_FALSE(d.units[0].gnu_dwo);
    CHECK(d.units[0].comp_dir == "/w");
    CHECK(d.units[1].dwo_name == "b.dwo");
    CHECK(d.units[1].gnu_dwo);
}

TEST_CASE("read_units: a unit with an unknown form stops there, the next unit is still read") {
    auto const& str = keep(Bytes{}.cstr("a.c").cstr("b.c").v);  // 0, 4
    Bytes first = abbrev(1, 0x11, {{0x55, 0x99}, {0x03, 0x0e}}).u8(0);
    auto const& abbr = keep(Bytes{}.bytes(first).bytes(abbrev(1, 0x11, {{0x03, 0x0e}})).u8(0).v);
    Bytes info;
    info.bytes(test::with_length(Bytes{}.u16(4).u32(0).u8(4).uleb(1).u8(7).u32(0)));
    info.bytes(test::with_length(Bytes{}.u16(4).u32(first.size()).u8(4).uleb(1).u32(4)));
    auto const& inf = keep(info.v);
    auto d = dwarf::read_units({inf, abbr, {}, str, {}, {}});
    REQUIRE(d.units.size() == 2);
    CHECK(d.units[0].name.empty());
    CHECK(d.units[0].error.find("form 0x99") != std::string::npos);
    CHECK(d.units[1].name == "b.c");
    REQUIRE(d.problems.size() == 1);
    CHECK(d.problems[0].find(".debug_info+0x0") != std::string::npos);
}

TEST_CASE("read_units: malformed unit headers are reported and never read past the section") {
    auto const& str = keep(Bytes{}.cstr("a.c").v);
    auto const& abbr = keep(abbrev(1, 0x11, {{0x03, 0x0e}}).u8(0).v);
    Bytes ok = test::with_length(Bytes{}.u16(4).u32(0).u8(4).uleb(1).u32(0));
    struct Row {
        std::string_view what;
        Bytes info;
        std::size_t units;
        char const* problem;
    };
    Row const rows[] = {
        {"length past the end", Bytes{}.bytes(ok).u32(1000).u16(4), 1, "length 1000 runs past"},
        {"truncated length", Bytes{}.bytes(ok).u16(7), 1, "truncated unit length"},
        {"reserved length", Bytes{}.bytes(ok).u32(0xfffffff5), 1, "reserved unit length"},
        {"version 7, then a good unit", Bytes{}.bytes(test::with_length(Bytes{}.u16(7).u32(0))).bytes(ok), 1,
         "unsupported DWARF version 7"},
        {"abbreviation missing", test::with_length(Bytes{}.u16(4).u32(0).u8(4).uleb(5)), 0, "abbreviation 5 not found"},
        {"abbrev offset past the end", test::with_length(Bytes{}.u16(4).u32(999).u8(4).uleb(1)), 0, "not found"},
        {"strp past .debug_str", test::with_length(Bytes{}.u16(4).u32(0).u8(4).uleb(1).u32(4000)), 1,
         "DW_AT_name is not a readable string"},
        {"DIE cut short", test::with_length(Bytes{}.u16(4).u32(0).u8(4).uleb(1).u16(0)), 1, "unknown or truncated"},
        {"address size 3", test::with_length(Bytes{}.u16(4).u32(0).u8(3).uleb(1).u32(0)), 0, "address size 3"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.what);
        auto const& inf = keep(row.info.v);
        auto d = dwarf::read_units({inf, abbr, {}, str, {}, {}});
        CHECK(d.units.size() == row.units);
        REQUIRE(d.problems.size() == 1);
        CHECK(d.problems[0].find(row.problem) != std::string::npos);
    }
}

TEST_CASE("read_units: 64-bit DWARF units and line tables are read with 8-byte offsets") {
    auto const& str = keep(Bytes{}.cstr("big.c").cstr("/b").v);
    auto const& abbr = keep(abbrev(1, 0x11, {{0x03, 0x0e}, {0x1b, 0x0e}, {0x10, 0x17}}).u8(0).v);
    auto const& info = keep(test::with_length(Bytes{}.u16(4).u64(0).u8(8).uleb(1).u64(0).u64(6).u64(0), true).v);
    Bytes h = line_params();
    h.u8(0).cstr("big.c").uleb(0).uleb(0).uleb(0).u8(0);
    auto const& line = keep(test::with_length(Bytes{}.u16(4).u64(h.size()).bytes(h), true).v);
    auto d = dwarf::read_units({info, abbr, line, str, {}, {}});
    CHECK(d.problems.empty());
    REQUIRE(d.units.size() == 1);
    CHECK(d.units[0].dwarf64);
    CHECK(d.units[0].name == "big.c");
    CHECK(d.units[0].files == std::vector<std::string>{"/b/big.c"});
}

TEST_CASE("read_line_header: malformed tables give an error, never a read past the section") {
    struct Row {
        std::string_view what;
        Bytes line;
        char const* error;
    };
    Row const rows[] = {
        {"empty", Bytes{}, "offset past"},
        {"length past the end", Bytes{}.u32(100).u16(4), "runs past"},
        {"header length past the table", test::with_length(Bytes{}.u16(4).u32(500)), "header length"},
        {"directories unterminated", test::with_length(Bytes{}.u16(4).u32(20).bytes(line_params()).raw("ab")),
         "not terminated"},
        {"version 1", test::with_length(Bytes{}.u16(1).u32(0)), "unsupported version 1"},
        {"v5 file entries of no bytes",
         test::with_length(Bytes{}
                               .u16(5)
                               .u8(4)
                               .u8(0)
                               .u32(26)
                               .bytes(line_params())
                               .u8(0)
                               .uleb(0)
                               .u8(1)
                               .uleb(3)
                               .uleb(0x19)
                               .uleb(1000000)),
         "take no bytes"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.what);
        auto const& l = keep(row.line.v);
        auto h = dwarf::read_line_header({{}, {}, l, {}, {}, {}}, 0, 0);
        CHECK(h.error.find(row.error) != std::string::npos);
    }
}

TEST_CASE("line_table_paths: relative compilation directories and v5 directory 0") {
    dwarf::LineHeader v5;
    v5.version = 5;
    v5.include_dirs = {".", "inc", "/usr/x"};
    v5.files = {{"hello.c", 0}, {"util.h", 1}, {"s.h", 2}, {"../up.c", 1}};
    CHECK(dwarf::line_table_paths(v5, ".") == std::vector<std::string>{"hello.c", "inc/util.h", "/usr/x/s.h", "up.c"});
    CHECK(dwarf::line_table_paths(v5, "/c") ==
          std::vector<std::string>{"hello.c", "/c/inc/util.h", "/usr/x/s.h", "/c/up.c"});
    dwarf::LineHeader v4;
    v4.version = 4;
    v4.include_dirs = {"../lib"};
    v4.files = {{"a.c", 0}, {"b.h", 1}};
    CHECK(dwarf::line_table_paths(v4, "build") == std::vector<std::string>{"build/a.c", "lib/b.h"});
    CHECK(dwarf::line_table_paths(v4, "") == std::vector<std::string>{"a.c", "../lib/b.h"});
}

TEST_CASE("normalize_path: what LLDB's FileSpec does to a path") {
    struct Row {
        char const* in;
        char const* out;
    };
    Row const rows[] = {
        {"/a/./b//c.c", "/a/b/c.c"},
        {"./hello.c", "hello.c"},
        {"/a/b/../c.c", "/a/c.c"},
        {"/../x.c", "/x.c"},
        {"../../x/y.c", "../../x/y.c"},
        {"a/../../x.c", "../x.c"},
        {".", "."},
        {"C:\\src\\.\\a.c", "C:\\src\\a.c"},
        {"/build/emscripten-Q5Hj9W/emscripten-3.1.6~dfsg/system/lib/libc/musl/src/include/../../include/stdio.h",
         "/build/emscripten-Q5Hj9W/emscripten-3.1.6~dfsg/system/lib/libc/musl/include/stdio.h"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.in);
        CHECK(dwarf::normalize_path(row.in) == row.out);
    }
}

namespace {

// The DWARF sections of a whole module (the hostile builders make modules).
dwarf::DwarfSections sections_of(std::vector<std::uint8_t> const& module) {
    static std::list<wasm::Module> store;  // the sections are views into the module's bytes
    store.push_back(wasm::read_sections(module));
    return dwarf::dwarf_sections(store.back());
}

std::size_t path_bytes(dwarf::DwarfInfo const& d) {
    std::size_t n = 0;
    for (auto const& u : d.units)
        for (auto const& f : u.files) n += f.size() + dwarf::path_overhead;
    return n;
}

}  // namespace

TEST_CASE("read_line_header: a million references to one 4 KiB string are views, not copies") {
    // 8 MB of line_strp entries once asked for 8 GB of copied strings (std::bad_alloc).
    std::size_t const n = 1u << 20;
    auto const& module = keep(test::hostile::line_amplify(n));
    auto s = sections_of(module);
    auto h = dwarf::read_line_header(s, 0, 0);
    CHECK(h.error.empty());
    REQUIRE(h.include_dirs.size() == n);
    REQUIRE(h.files.size() == n);
    // Every name points into .debug_line_str: nothing was copied.
    CHECK(h.include_dirs[n - 1].data() == reinterpret_cast<char const*>(s.line_str.data()));
    CHECK(h.files[n - 1].name.data() == reinterpret_cast<char const*>(s.line_str.data()));
    CHECK(h.files[n - 1].name.size() == 4096);
}

TEST_CASE("read_units: the paths of a hostile line table stop at the 64 MiB budget") {
    auto const& module = keep(test::hostile::line_amplify(1u << 20));
    auto d = dwarf::read_units(sections_of(module));
    REQUIRE(d.units.size() == 1);
    // 8 KiB paths: about 8,000 of them fit, not a million.
    CHECK(d.units[0].files.size() < 9000);
    CHECK(path_bytes(d) <= (std::size_t(64) << 20) + 4096 + dwarf::path_overhead);
    REQUIRE(d.problems.size() == 1);
    CHECK(d.problems[0].find("MiB of file paths") != std::string::npos);
}

TEST_CASE("read_units: units asking one big abbreviation table for a missing code give one problem line with a count") {
    // Each unit used to rescan the whole table from its start (quadratic: hours at 8 MB).
    auto const& module = keep(test::hostile::abbrev_rescan(20000, 20000));
    auto d = dwarf::read_units(sections_of(module));
    CHECK(d.units.empty());
    REQUIRE(d.problems.size() == 1);
    CHECK(d.problems[0].find("abbreviation 20001 not found at .debug_abbrev+0x0 (and 19999 more like it)") !=
          std::string::npos);
}

TEST_CASE("read_units: a huge unterminated-looking string is looked at once per reference for 4 KiB, and cut") {
    auto const& module = keep(test::hostile::strp_rescan(1000, 1u << 20));
    auto d = dwarf::read_units(sections_of(module));
    CHECK(d.problems.empty());
    REQUIRE(d.units.size() == 1000);
    CHECK(d.units[999].name == std::string(4096, 's'));
}

TEST_CASE("read_units: at most 65536 units are kept; the rest is one problem line") {
    auto const& module = keep(test::hostile::many_units((1u << 16) + 100));
    auto d = dwarf::read_units(sections_of(module));
    CHECK(d.units.size() == (1u << 16));
    REQUIRE(d.problems.size() == 1);
    CHECK(d.problems[0].find("more than 65536 units") != std::string::npos);
}

TEST_CASE("string_at: strings are cut to 4 KiB; a short one without a NUL before the end is no string") {
    auto const& sec = keep(Bytes{}.cstr("ok").raw(std::string(5000, 'x')).v);
    CHECK(dwarf::string_at(sec, 0) == "ok");
    CHECK(dwarf::string_at(sec, 3)->size() == 4096);
    CHECK(dwarf::string_at(sec, 3 + 1000) == std::nullopt);  // 4000 bytes and no NUL: unterminated
    CHECK(dwarf::string_at(sec, sec.size()) == std::nullopt);
}

TEST_CASE("read_units: unit names count against the same 64 MiB budget as paths") {
    // 16-byte units each naming one 8 KiB string: 100,000 of them once kept 400 MB of names.
    auto const& module = keep(test::hostile::strp_rescan(100000, 8192));
    auto d = dwarf::read_units(sections_of(module));
    CHECK(d.units.size() < 16500);
    std::size_t names = 0;
    for (auto const& u : d.units) names += u.name.size();
    CHECK(names <= (std::size_t(64) << 20));
    REQUIRE(d.problems.size() == 1);
    CHECK(d.problems[0].find("MiB of file paths and unit names") != std::string::npos);
}
