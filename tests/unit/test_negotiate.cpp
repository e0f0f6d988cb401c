#include <doctest/doctest.h>

#include <array>

#include "server/http/negotiate.hpp"

using namespace wasmdev::http;
using C = ContentCoding;

TEST_CASE("negotiate_encoding: q-values - wildcards and refusals against a compressible resource") {
    constexpr std::array all{C::zstd, C::br, C::gzip, C::deflate};
    struct Row { std::optional<std::string_view> header; std::optional<C> expected; };
    Row const rows[] = {
        {std::nullopt, C::identity},                       // no header: identity
        {"", C::identity},                                 // empty: identity only
        {"gzip", C::gzip},
        {"GZIP", C::gzip},                                 // tokens are case-insensitive
        {"x-gzip", C::gzip},
        {"deflate", C::deflate},
        {"gzip, deflate, br, zstd", C::zstd},              // ties go to the server's order
        {"gzip, deflate, br", C::br},
        {"gzip;q=0.5, deflate;q=0.8", C::deflate},
        {"gzip;q=0, deflate;q=0", C::identity},
        {"gzip;q=0", C::identity},
        {"*", C::zstd},
        {"*;q=0.1, gzip;q=0.5", C::gzip},
        {"identity;q=0", std::nullopt},                    // nothing else offered by name
        {"identity;q=0, gzip", C::gzip},
        {"*;q=0", std::nullopt},                           // refuses identity too: 406
        {"*;q=0, identity", C::identity},
        {"gzip;q=1.001", C::identity},                     // malformed q: element ignored
        {"gzip;q=abc, br", C::br},
        {"gzip;q=0.0001", C::identity},                    // more than 3 decimals: ignored
        {"  br ;  q=0.9 , gzip ; q=1", C::gzip},
        {",,, ,gzip,,", C::gzip},
        {"compress, identity;q=0.5", C::identity},         // unknown codings are skipped
        {"br;q=0.001, identity;q=0", C::br},
    };
    for (auto const& row : rows) {
        CAPTURE(row.header.value_or("(none)"));
        CHECK(negotiate_encoding(row.header, all) == row.expected);
    }
}

TEST_CASE("negotiate_encoding: only what the resource offers is chosen") {
    constexpr std::array gz_only{C::gzip};
    CHECK(negotiate_encoding("br, zstd, gzip;q=0.1", gz_only) == C::gzip);
    CHECK(negotiate_encoding("br, zstd", gz_only) == C::identity);
    CHECK(negotiate_encoding("br, zstd, identity;q=0", gz_only) == std::nullopt);
    CHECK(negotiate_encoding("gzip", std::span<C const>{}) == C::identity);
}
