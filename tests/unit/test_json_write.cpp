// server/json/write: the compact JSON text every document wasmdev writes goes through, valid
// UTF-8 whatever bytes its strings and keys hold.
#include <doctest/doctest.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "server/json/write.hpp"

using wasmdev::json::valid_utf8;
using wasmdev::json::write;
using wasmdev::json::write_document;

TEST_CASE("valid_utf8: well-formed UTF-8 is kept, every other byte becomes U+FFFD") {
    struct Row {
        std::string_view in, out;
    };
    Row const rows[] = {
        {"plain.wasm", "plain.wasm"},
        {"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\x8D", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\x8D"},
        {"a\xFF"
         "b",
         "a\xEF\xBF\xBD"
         "b"},                                                     // a byte that starts nothing
        {"\x80", "\xEF\xBF\xBD"},                                  // a lone continuation byte
        {"x\xC3", "x\xEF\xBF\xBD"},                                // truncated at the end
        {"\xC3\"", "\xEF\xBF\xBD\""},                              // truncated by ASCII
        {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"},                  // overlong '/'
        {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},  // a surrogate
        {std::string_view("nul\0in", 6), std::string_view("nul\0in", 6)},
    };
    for (auto const& row : rows) {
        CAPTURE(row.in);
        CHECK(valid_utf8(row.in) == row.out);
    }
}

TEST_CASE("write: quotes, backslashes, control bytes and invalid UTF-8 in strings and keys make valid JSON") {
    std::string const hostile = std::string("a\"b\\c\n\t\x01\x1f\x7f") + std::string(1, '\0') + "\xFF\xC3\"end";
    boost::json::object o;
    o["name"] = hostile;
    o[hostile] = 1;
    auto const text = write(o);
    CAPTURE(text);
    CHECK(text.find('\n') == std::string::npos);  // one line: an event stream's data line stays one
    boost::system::error_code ec;
    auto const back = boost::json::parse(text, ec);  // Boost.JSON's parser rejects invalid UTF-8
    REQUIRE_FALSE(ec);
    auto const expected = valid_utf8(hostile);
    CHECK(back.at("name").as_string() == expected);
    CHECK(back.as_object().contains(expected));
}

TEST_CASE("write: the compact form, keys in insertion order; write_document adds one newline") {
    boost::json::object o;
    o["z"] = 1;
    o["a"] = boost::json::array{true, nullptr, "s"};
    o["m"] = boost::json::object{};
    CHECK(write(o) == R"({"z":1,"a":[true,null,"s"],"m":{}})");
    CHECK(write_document(o) == R"({"z":1,"a":[true,null,"s"],"m":{}})"
                               "\n");
}
