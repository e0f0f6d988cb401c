// server/cpython/deps: the driver's markers for locally built dependencies
// (prefix/libffi.json, prefix/mpdec.json), which the CPython build scripts read as JSON.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "server/cpython/deps.hpp"
#include "server/cpython/pinned.hpp"

using wasmdev::cpython::dep_marker_json;
using wasmdev::cpython::PinnedDep;

TEST_CASE("dep_marker_json: url, version and shasum in that order, as JSON strings") {
    PinnedDep const d{"https://example.org/libffi-{version}.tar.gz", "3.4.6", "b0de"};
    CHECK(dep_marker_json(d) ==
          R"({"url":"https://example.org/libffi-{version}.tar.gz","version":"3.4.6","shasum":"b0de"})");
}

TEST_CASE("dep_marker_json: quotes, backslashes, control bytes and invalid UTF-8 from the pins file stay valid JSON") {
    // The pins come from the checkout's config.toml: any bytes its TOML strings can hold.
    PinnedDep const d{"https://x/\"quoted\"\\path", std::string("3.4\n\x01\x7f") + '\0', "\xFF\xC3 sum"};
    auto const text = dep_marker_json(d);
    CAPTURE(text);
    boost::system::error_code ec;
    auto const v = boost::json::parse(text, ec);
    REQUIRE_FALSE(ec);
    CHECK(v.at("url").as_string() == "https://x/\"quoted\"\\path");
    CHECK(v.at("version").as_string() == std::string("3.4\n\x01\x7f") + '\0');
    CHECK(v.at("shasum").as_string() == "\xEF\xBF\xBD\xEF\xBF\xBD sum");  // invalid bytes become U+FFFD
}
