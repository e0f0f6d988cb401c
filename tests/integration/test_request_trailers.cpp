// Trailer fields of a chunked request body over a real socket: they arrive after the head
// was parsed and never join it, whatever their name. Beast keeps fields of one name together
// in its list, so a trailer named like a head field lands in the middle of the head's fields;
// the handler must still see exactly the head the client sent before the body.
#include <doctest/doctest.h>

#include "tests/integration/support.hpp"

using namespace wasmdev;
using namespace wasmdev::test;

namespace {

std::string chunked_get(std::string_view head_fields, std::string_view trailers) {
    return "GET /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(head_fields) +
           "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n" + std::string(trailers) + "\r\n";
}

}  // namespace

TEST_CASE("trailers: a trailer named like a head field never changes the head the handler sees") {
    TempTree dir;
    dir.write("root/app.js", "console.log(1)");
    TestServer srv(config_for(dir.path / "root"));
    struct Row {
        std::string_view what, head_fields, trailers;
        unsigned status;
        std::string_view body;
    };
    Row const rows[] = {
        {"two Accept trailers keep the Range of the head", "Accept: */*\r\nRange: bytes=0-0\r\n",
         "Accept: text/html\r\nAccept: image/png\r\n", 206, "c"},
        {"one Accept trailer keeps the Range of the head", "Accept: */*\r\nRange: bytes=0-0\r\n",
         "Accept: text/html\r\n", 206, "c"},
        {"a Host trailer is not a second Host", "", "Host: evil.example\r\n", 200, "console.log(1)"},
        {"a Range trailer beside a head Range is not a second Range", "Range: bytes=0-0\r\n", "Range: bytes=1-1\r\n",
         206, "c"},
        {"a Range trailer alone is no Range", "", "Range: bytes=0-0\r\n", 200, "console.log(1)"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.what);
        RawClient c(srv.port());
        c.send(chunked_get(row.head_fields, row.trailers) + request_line("GET", "/app.js"));
        auto r = c.read();
        REQUIRE(r);
        CHECK(r->status == row.status);
        CHECK(r->body == row.body);
        auto next = c.read();  // the connection stays usable: the trailers were the end of the request
        REQUIRE(next);
        CHECK(next->status == 200);
    }
}
