// check's body decoding (server/check/decode): gzip, deflate and br bodies decoded for the
// scanners, the output capped so a small bomb stays small, corrupt input refused.
#include <doctest/doctest.h>

#include <string>

#include "server/check/decode.hpp"
#include "server/codings/coding.hpp"
#include "server/compress/codec.hpp"

using namespace wasmdev;

TEST_CASE("decode_body: each coding a browser is offered decodes back to the script") {
    std::string const js = "import './a.mjs'; new Worker('w.js');" + std::string(5000, ' ');
    struct Row {
        std::string token;
        codings::Coding coding;
    };
    Row const rows[] = {
        {"gzip", codings::Coding::gzip}, {"deflate", codings::Coding::deflate}, {"br", codings::Coding::br}};
    for (auto const& row : rows) {
        CAPTURE(row.token);
        auto body = compress::compress_all(row.coding, js, 5);
        REQUIRE(body);
        CHECK(check::decode_body(row.token, *body, 1 << 20) == js);
    }
    CHECK(check::decode_body("", js, 1 << 20) == js);
    CHECK(check::decode_body("identity", "abc", 2) == "ab");
    CHECK_FALSE(check::decode_body("zstd", "x", 10).has_value());  // not offered, so not decoded
    CHECK_FALSE(check::decode_body("gzip", "not gzip at all", 10).has_value());
}

TEST_CASE("decode_body: a 64 MiB bomb decodes to the cap and no further") {
    std::string const zeros(std::size_t(64) << 20, '\0');
    for (auto c : {codings::Coding::gzip, codings::Coding::br}) {
        auto bomb = compress::compress_all(c, zeros, 9);
        REQUIRE(bomb);
        CHECK(bomb->size() < (std::size_t(1) << 20));
        auto out = check::decode_body(codings::to_string(c), *bomb, 1000);
        REQUIRE(out);
        CHECK(out->size() == 1000);
    }
}
