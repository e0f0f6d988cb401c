// The content-coding table (server/codings/coding.hpp): each row is consistent with itself
// and with the units that derive their lists from it.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "server/codings/coding.hpp"
#include "server/compress/codec.hpp"
#include "server/http/negotiate.hpp"
#include "server/http/validators.hpp"

using namespace wasmdev;
using codings::Coding;

TEST_CASE("coding table: tokens - ETag suffixes and sidecar extensions are distinct and round-trip") {
    std::set<std::string_view> tokens, suffixes, extensions;
    for (auto const& row : codings::table) {
        CAPTURE(row.token);
        CHECK(tokens.insert(row.token).second);
        CHECK(suffixes.insert(row.etag_suffix).second);
        if (!row.sidecar_extension.empty()) CHECK(extensions.insert(row.sidecar_extension).second);
        CHECK(codings::parse(row.token) == row.coding);
        if (!row.alias.empty()) CHECK(codings::parse(row.alias) == row.coding);
        CHECK(codings::to_string(row.coding) == row.token);
        CHECK(codings::row(row.coding).token == row.token);
        // The ETag of a coded representation ends in its suffix, so each coding has its own tag.
        CHECK(http::make_etag(1, 2, 3, 4, row.coding).ends_with(std::string(row.etag_suffix) + "\""));
    }
    CHECK(codings::parse("compress") == std::nullopt);
    CHECK(codings::parse("GZip") == Coding::gzip);
}

TEST_CASE("coding table: every coding a codec makes round-trips - identity has no codec") {
    for (auto const& row : codings::table) {
        CAPTURE(row.token);
        compress::Compressor z(row.coding, compress::default_level(row.coding));
        CHECK(z.ok() == row.made);
        if (!row.made) continue;
        auto bytes = compress::compress_all(row.coding, "hello hello hello", compress::default_level(row.coding));
        REQUIRE(bytes);
        CHECK(compress::decompress_all(row.coding, *bytes) == "hello hello hello");
    }
}

TEST_CASE("coding table: rank is the tie-break of negotiation - identity last") {
    auto const made = codings::made_codings();
    CHECK(http::negotiate_encoding("*", std::span(made.begin(), made.size)) == codings::table[0].coding);
    CHECK(codings::rank(Coding::identity) == codings::count - 1);
    for (std::size_t i = 0; i < codings::count; ++i) CHECK(codings::rank(codings::table[i].coding) == i);
}
