#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "server/http/representation.hpp"

using namespace wasmdev::http;
using C = ContentCoding;

namespace {

std::string show(std::optional<Representation> r) {
    if (!r) return "406";
    auto const source = r->source == Source::original ? "original" : r->source == Source::sidecar ? "sidecar" : "made";
    return std::string(to_string(r->coding)) + " from " + source;
}

}  // namespace

TEST_CASE("choose_representation: the coding and where its bytes come from, before anything is read") {
    struct Row {
        std::optional<std::string_view> accept;
        bool ranged;
        std::vector<C> sidecars;
        bool compressible;
        std::string_view expected;
    };
    Row const rows[] = {
        {std::nullopt, false, {}, true, "identity from original"},
        {"gzip", false, {}, true, "gzip from made"},
        {"gzip, br", false, {C::gzip}, true, "br from made"},  // rank beats a sidecar
        {"gzip, br", false, {C::gzip, C::br}, true, "br from sidecar"},
        {"gzip", false, {C::gzip}, false, "gzip from sidecar"},  // a sidecar of an incompressible type
        {"br", false, {C::gzip}, false, "identity from original"},
        {"gzip", true, {C::gzip}, true, "identity from original"},  // ranges address identity
        {"identity;q=0, gzip;q=0", true, {}, true, "identity from original"},
        {"identity;q=0", false, {}, false, "406"},
        {"identity;q=0, deflate", false, {}, true, "deflate from made"},
        {"zstd;q=0.5, gzip", false, {C::zstd}, true, "gzip from made"},
        {"*", false, {}, true, "zstd from made"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.accept.value_or("(no header)"));
        CAPTURE(row.ranged);
        CAPTURE(row.sidecars.size());
        CAPTURE(row.compressible);
        CHECK(show(choose_representation(row.accept, row.ranged, Offer{row.sidecars, row.compressible})) ==
              row.expected);
    }
}

TEST_CASE("Offer::varies: Vary is sent when more than one coding is on offer") {
    std::vector<C> const gz{C::gzip};
    CHECK_FALSE(Offer{{}, false}.varies());
    CHECK(Offer{{}, true}.varies());
    CHECK(Offer{gz, false}.varies());
}
