#include <doctest/doctest.h>

#include <string>

#include "server/net/tls_opening.hpp"

using wasmdev::net::opening_bytes_wanted;

TEST_CASE("opening_bytes_wanted: plain HTTP at once, a TLS record once its header and its whole length are in") {
    struct Row {
        std::string first;
        std::size_t expected;
    };
    Row const rows[] = {
        {"", 1},      // nothing yet: one byte tells
        {"G", 0},     // "GET ...": plain HTTP
        {"\x80", 0},  // an SSLv2 hello is not a TLS record
        {"\x16", 5},  // a handshake record: its header first
        {std::string("\x16\x03\x01\x00", 4), 5},
        {std::string("\x16\x03\x01\x02\x00", 5), 5 + 512},  // a 512-byte ClientHello record
        {std::string("\x16\x03\x01\x00\x00", 5), 5},
        {std::string("\x16\x03\x01\xff\xff", 5), 5 + 16384},  // longer than a record may be: capped
    };
    for (auto const& row : rows) {
        CAPTURE(row.first.size());
        CHECK(opening_bytes_wanted(reinterpret_cast<unsigned char const*>(row.first.data()), row.first.size()) ==
              row.expected);
    }
}
