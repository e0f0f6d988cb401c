// server/doctor/source_map: the fields of a source map that decide whether DevTools shows its sources.
#include <doctest/doctest.h>

#include "server/doctor/source_map.hpp"

using namespace wasmdev::doctor;

TEST_CASE("parse_source_map: sources, sourceRoot and which sources carry their text") {
    auto m = parse_source_map(
        R"({"version":3,"sourceRoot":"src/","sources":["a.c",null,"b.c"],"sourcesContent":["int a;",null],"mappings":""})");
    CHECK(m.error.empty());
    CHECK(m.source_root == "src/");
    CHECK(m.sources == std::vector<std::string>{"a.c", "", "b.c"});
    CHECK(m.has_content == std::vector<bool>{true, false, false});
}

TEST_CASE("parse_source_map: what is not a usable map says why") {
    struct Row {
        std::string_view json;
        std::string_view error;
    };
    Row const rows[] = {
        {"", "not JSON"},
        {"{\"sources\": [", "not JSON"},
        {"[1,2]", "not a JSON object"},
        {"{\"version\":3}", "no \"sources\""},
        {"{\"version\":3,\"sections\":[]}", "indexed map"},
        {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
         "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
         "not JSON"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.json);
        CHECK(parse_source_map(row.json).error.find(row.error) != std::string::npos);
    }
}
