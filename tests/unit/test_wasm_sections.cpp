// server/wasm/sections + memory: the wasm binary's section list and custom sections read from
// untrusted bytes (truncated LEB128, sizes past the end, duplicates), and shared memory.
#include <doctest/doctest.h>

#include "server/wasm/memory.hpp"
#include "server/wasm/sections.hpp"
#include "tests/unit/hostile_modules.hpp"
#include "tests/unit/wasm_builder.hpp"

using namespace wasmdev;
using test::Bytes;

TEST_CASE("read_sections: ids, custom names, payload offsets and the external_debug_info URL") {
    auto bytes = test::module({{1, Bytes{}.u8(0)},
                               {0, test::custom("external_debug_info", Bytes{}.name("app.debug.wasm"))},
                               {0, test::custom(".debug_str", Bytes{}.cstr("x"))}});
    auto m = wasm::read_sections(bytes);
    CHECK(m.is_wasm);
    CHECK(m.error.empty());
    REQUIRE(m.sections.size() == 3);
    CHECK(m.sections[0].id == 1);
    CHECK(m.sections[0].offset == 10);
    CHECK(m.sections[1].name == "external_debug_info");
    auto const* edi = wasm::find_custom(m, "external_debug_info");
    REQUIRE(edi != nullptr);
    CHECK(std::size_t(edi->payload.data() - bytes.data()) == edi->offset);
    CHECK(wasm::read_url_payload(edi->payload) == "app.debug.wasm");
    CHECK(wasm::find_custom(m, "sourceMappingURL") == nullptr);
}

TEST_CASE("read_sections: malformed modules stop with one line and keep the sections before") {
    struct Row {
        std::string_view what;
        std::vector<std::uint8_t> bytes;
        bool is_wasm;
        std::size_t sections_kept;
        char const* error_has;
    };
    auto good = test::module({{1, Bytes{}.u8(0)}});
    auto append = [](std::vector<std::uint8_t> v, std::initializer_list<std::uint8_t> tail) {
        v.insert(v.end(), tail);
        return v;
    };
    Row const rows[] = {
        {"empty input", {}, false, 0, "not a WebAssembly"},
        {"ELF file", {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}, false, 0, "not a WebAssembly"},
        {"version 2", {0, 'a', 's', 'm', 2, 0, 0, 0}, false, 0, "version 2"},
        {"truncated header", {0, 'a', 's', 'm', 1, 0}, false, 0, "truncated wasm header"},
        {"truncated LEB128 size", append(good, {0x00, 0x80, 0x80}), true, 1, "truncated section header"},
        {"size past the end", append(good, {0x0a, 0x10, 1, 2}), true, 1, "claims 16 bytes, only 2 remain"},
        {"LEB128 longer than 10 bytes",
         append(good, {1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), true, 1,
         "truncated section header"},
        {"LEB128 beyond 64 bits", append(good, {1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}), true,
         1, "truncated section header"},
        {"custom name longer than the section", append(good, {0, 3, 10, 'a', 'b'}), true, 1, "its name runs past"},
        {"custom name LEB truncated", append(good, {0, 1, 0x80}), true, 1, "its name runs past"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.what);
        auto m = wasm::read_sections(row.bytes);
        CHECK(m.is_wasm == row.is_wasm);
        CHECK(m.sections.size() == row.sections_kept);
        CHECK(m.error.find(row.error_has) != std::string::npos);
    }
}

TEST_CASE("read_sections: a duplicate custom section is reported and the first one counts") {
    auto bytes = test::module({{0, test::custom("sourceMappingURL", Bytes{}.name("a.map"))},
                               {0, test::custom("sourceMappingURL", Bytes{}.name("b.map"))}});
    auto m = wasm::read_sections(bytes);
    CHECK(m.error.empty());
    REQUIRE(m.warnings.size() == 1);
    CHECK(m.warnings[0].find("duplicate custom section \"sourceMappingURL\"") != std::string::npos);
    CHECK(wasm::read_url_payload(wasm::find_custom(m, "sourceMappingURL")->payload) == "a.map");
}

TEST_CASE("read_url_payload: a length past the payload is no URL") {
    CHECK(wasm::read_url_payload(Bytes{}.uleb(5).raw("abc").v) == std::nullopt);
    CHECK(wasm::read_url_payload(Bytes{}.u8(0x80).v) == std::nullopt);
    CHECK(wasm::read_url_payload(Bytes{}.uleb(0).v) == "");
}

TEST_CASE("read_memory: shared imported memory (threads), plain defined memory, and truncation") {
    // An emscripten -pthread build imports env.memory with flags 3 (max present, shared).
    auto threads = test::module({{2, Bytes{}
                                         .uleb(2)
                                         .name("env")
                                         .name("f")
                                         .u8(0x00)
                                         .uleb(0)
                                         .name("env")
                                         .name("memory")
                                         .u8(0x02)
                                         .u8(0x03)
                                         .uleb(256)
                                         .uleb(32768)}});
    auto m = wasm::read_memory(wasm::read_sections(threads));
    CHECK(m.present);
    CHECK(m.imported);
    CHECK(m.shared);
    CHECK(m.min_pages == 256);
    CHECK(m.max_pages == 32768u);

    auto plain = test::module({{5, Bytes{}.uleb(1).u8(0x00).uleb(16)}});
    auto p = wasm::read_memory(wasm::read_sections(plain));
    CHECK(p.present);
    CHECK_FALSE(p.imported);
    CHECK_FALSE(p.shared);
    CHECK(p.min_pages == 16);
    CHECK_FALSE(p.max_pages.has_value());

    auto cut = test::module({{2, Bytes{}.uleb(1).name("env").name("memory").u8(0x02).u8(0x03)}});
    CHECK_FALSE(wasm::read_memory(wasm::read_sections(cut)).present);
    // Found by fuzz_wasm_sections: limits cut after the flags must not leave "shared" behind.
    auto cut_max = test::module({{2, Bytes{}.uleb(1).name("env").name("memory").u8(0x02).u8(0x03).uleb(1)}});
    auto cm = wasm::read_memory(wasm::read_sections(cut_max));
    CHECK_FALSE(cm.present);
    CHECK_FALSE(cm.shared);
    auto unknown_kind = test::module(
        {{2,
          Bytes{}.uleb(2).name("a").name("b").u8(0x07).name("env").name("memory").u8(0x02).u8(0x03).uleb(1).uleb(1)}});
    CHECK_FALSE(wasm::read_memory(wasm::read_sections(unknown_kind)).present);
}

TEST_CASE(
    "read_sections: two million duplicate custom sections give one warning line with a count, and keep one section") {
    // Each duplicate used to be checked against every earlier section (quadratic: minutes for
    // an 8 MB module) and to leave a warning line of its own.
    std::size_t const n = 2'000'000;
    auto bytes = test::hostile::dup_sections(n);
    auto m = wasm::read_sections(bytes);
    CHECK(m.error.empty());
    CHECK(m.section_count == n);
    CHECK(m.sections.size() == 1);
    REQUIRE(m.warnings.size() == 1);
    CHECK(m.warnings[0].find(
              "duplicate custom section \"x\" at byte 12; the first one counts (and 1999998 more like it)") !=
          std::string::npos);
}

TEST_CASE("read_sections: past max_sections, sections are checked but not kept") {
    Bytes b;
    b.raw(std::string_view("\0asm", 4)).u32(1);
    for (std::size_t i = 0; i < wasm::max_sections + 5; ++i) b.u8(1).u8(0);  // empty type sections
    auto m = wasm::read_sections(b.v);
    CHECK(m.error.empty());
    CHECK(m.section_count == wasm::max_sections + 5);
    CHECK(m.sections.size() == wasm::max_sections);
    REQUIRE(m.warnings.size() == 1);
    CHECK(m.warnings[0].find("only the first 65536 are read") != std::string::npos);
}
