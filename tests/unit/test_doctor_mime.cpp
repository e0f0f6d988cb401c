// mime/ rows for what DevTools' DWARF loaders fetch: separate DWARF, split DWARF, source maps.
#include <doctest/doctest.h>

#include "mime/mime.hpp"

using namespace wasmdev::mime;

TEST_CASE("type_for: the debug files DevTools' loaders fetch") {
    struct Row {
        std::string_view name;
        std::string_view type;
        bool compressible;
    };
    Row const rows[] = {
        {"python.wasm.debug.wasm", "application/wasm", true},
        {"python.wasm.debug.wasm.dwp", "application/octet-stream", false},
        {"Python/ceval.dwo", "application/octet-stream", false},  // HEAD must give its identity length
        {"python.wasm.map", "application/json", true},
    };
    for (auto const& row : rows) {
        CAPTURE(row.name);
        CHECK(type_for(row.name) == row.type);
        CHECK(is_compressible(row.name) == row.compressible);
        CHECK(lookup(row.name) != nullptr);
    }
}
