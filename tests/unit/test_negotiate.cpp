#include <doctest/doctest.h>

#include <array>
#include <span>
#include <string>

#include "server/http/negotiate.hpp"

using namespace wasmdev::http;
using C = ContentCoding;

namespace {

std::string show(std::optional<C> c) { return c ? std::string(to_string(*c)) : "406"; }

}  // namespace

TEST_CASE("to_string and parse_content_coding: tokens round-trip case-insensitively") {
    struct Row {
        std::string_view token;
        std::optional<C> coding;
    };
    Row const rows[] = {
        {"identity", C::identity},
        {"gzip", C::gzip},
        {"deflate", C::deflate},
        {"br", C::br},
        {"zstd", C::zstd},
        {"GZIP", C::gzip},
        {"Br", C::br},
        {"ZStd", C::zstd},
        {"x-gzip", C::gzip},
        {"X-GZIP", C::gzip},
        {"compress", std::nullopt},
        {"x-compress", std::nullopt},
        {"*", std::nullopt},
        {"", std::nullopt},
        {"gzip ", std::nullopt},
        {"gz", std::nullopt},
        {"x-deflate", std::nullopt},
        {"brotli", std::nullopt},
    };
    for (auto const& row : rows) {
        CAPTURE(row.token);
        CHECK(parse_content_coding(row.token) == row.coding);
    }
    for (auto c : {C::identity, C::gzip, C::deflate, C::br, C::zstd}) {
        CAPTURE(to_string(c));
        CHECK(parse_content_coding(to_string(c)) == c);
    }
}

TEST_CASE("negotiate_encoding: q-values - wildcards and refusals against a resource offered in every coding") {
    constexpr std::array all{C::zstd, C::br, C::gzip, C::deflate};
    struct Row {
        std::optional<std::string_view> header;
        std::optional<C> expected;
    };
    Row const rows[] = {
        {std::nullopt, C::identity},  // no header: identity
        {"", C::identity},            // empty: identity only
        {"   ", C::identity},
        {"gzip", C::gzip},
        {"GZIP", C::gzip},  // tokens are case-insensitive
        {"x-gzip", C::gzip},
        {"deflate", C::deflate},
        {"br", C::br},
        {"zstd", C::zstd},
        {"identity", C::identity},
        {"gzip, deflate, br, zstd", C::zstd},  // ties go to the server's order
        {"gzip, deflate, br", C::br},
        {"deflate, gzip", C::gzip},
        {"identity, deflate", C::deflate},  // identity loses ties
        {"gzip;q=0.5, deflate;q=0.8", C::deflate},
        {"gzip;q=0.5", C::gzip},  // unnamed identity is only a fallback
        {"br;q=0.001", C::br},
        {"gzip;q=0.5, identity", C::identity},  // named identity competes on q
        {"gzip;q=0.5, identity;q=0.5", C::gzip},
        {"zstd;q=0.9, br;q=0.99, gzip;q=0.999", C::gzip},
        {"gzip;q=0, deflate;q=0", C::identity},
        {"gzip;q=0", C::identity},
        {"gzip;q=0.000", C::identity},
        {"gzip;q=1, gzip;q=0", C::identity},  // the later element wins
        {"*", C::zstd},
        {"*;q=0.1, gzip;q=0.5", C::gzip},
        {"*;q=0.5, zstd;q=0", C::br},  // "*" covers only codings not named
        {"*, identity;q=0", C::zstd},
        {"identity;q=0", std::nullopt},  // nothing else named: 406
        {"identity;q=0, gzip", C::gzip},
        {"identity;q=0, compress", std::nullopt},
        {"*;q=0", std::nullopt},  // refuses identity too: 406
        {"*;q=0, identity", C::identity},
        {"*;q=0, gzip;q=0.2", C::gzip},
        {"gzip;q=1.001", C::identity},   // malformed q: element ignored
        {"gzip;q=1.0000", C::identity},  // more than 3 decimals
        {"gzip;q=0.0001", C::identity},
        {"gzip;q=2", C::identity},
        {"gzip;q=-1", C::identity},
        {"gzip;q=-0", C::identity},
        {"gzip;q=.5", C::identity},
        {"gzip;q=", C::identity},
        {"gzip;q", C::identity},
        {"gzip;", C::identity},
        {"gzip;q=0.5x", C::identity},
        {"gzip;q=abc, br", C::br},
        {"identity;q=0, gzip;q=garbage", std::nullopt},  // the only acceptable coding was malformed
        {"gzip;Q=0.5, br;q=0.4", C::gzip},               // the parameter name is case-insensitive
        {"gzip;q=1., br;q=1.000", C::br},
        {"gzip;q=0.5;level=9", C::gzip},  // unknown parameters don't spoil the element
        {"  br ;  q=0.9 , gzip ; q=1", C::gzip},
        {"\tbr\t;q=0.9,\tgzip", C::gzip},
        {",,, ,gzip,,", C::gzip},
        {";q=1, gzip", C::gzip},
        {"compress, identity;q=0.5", C::identity},  // unknown codings are skipped
        {"br;q=0.001, identity;q=0", C::br},
        {"gzip deflate", C::identity},  // not a list: one unknown token
        {"gzip\xff, br", C::br},
        {"\"gzip\"", C::identity},
    };
    for (auto const& row : rows) {
        CAPTURE(row.header.value_or("(no header)"));
        CHECK(show(negotiate_encoding(row.header, all)) == show(row.expected));
    }
}

TEST_CASE("negotiate_encoding: only what the resource offers is chosen") {
    constexpr std::array gz_only{C::gzip};
    constexpr std::array gz_df{C::gzip, C::deflate};
    constexpr std::array with_identity{C::identity, C::gzip};
    struct Row {
        std::string_view header;
        std::span<C const> available;
        std::optional<C> expected;
    };
    Row const rows[] = {
        {"br, zstd, gzip;q=0.1", gz_only, C::gzip},
        {"br, zstd", gz_only, C::identity},
        {"br, zstd, identity;q=0", gz_only, std::nullopt},
        {"*;q=0, br", gz_only, std::nullopt},
        {"*", gz_only, C::gzip},
        {"deflate, gzip;q=0.9", gz_df, C::deflate},
        {"deflate;q=0, gzip;q=0.001", gz_df, C::gzip},
        {"gzip", {}, C::identity},  // not compressible
        {"identity;q=0", {}, std::nullopt},
        {"*;q=0", {}, std::nullopt},
        {"gzip", with_identity, C::gzip},  // listing identity changes nothing
        {"identity;q=0, gzip", with_identity, C::gzip},
    };
    for (auto const& row : rows) {
        CAPTURE(row.header);
        CAPTURE(row.available.size());
        CHECK(show(negotiate_encoding(row.header, row.available)) == show(row.expected));
    }
}
