#include <doctest/doctest.h>

#include "server/http/serialize.hpp"

using namespace wasmdev::http;

TEST_CASE("serialize_head: status line - headers in order - then framing and connection headers") {
    ResponsePlan plan;
    plan.status = 404;
    plan.headers = {{"Cross-Origin-Opener-Policy", "same-origin"}, {"Content-Type", "text/html; charset=utf-8"}};
    plan.content_length = 12;
    std::string out;
    serialize_head(plan, 11, true, "Tue, 24 Nov 2026 15:00:00 GMT", out);
    CHECK(out ==
          "HTTP/1.1 404 Not Found\r\nServer: wasmdev\r\nDate: Tue, 24 Nov 2026 15:00:00 GMT\r\n"
          "Cross-Origin-Opener-Policy: same-origin\r\nContent-Type: text/html; charset=utf-8\r\n"
          "Content-Length: 12\r\n\r\n");
}

TEST_CASE("serialize_head: keep-alive rules for HTTP/1.0 and 1.1 - chunked when the length is unknown") {
    struct Row {
        unsigned version;
        bool keep_alive;
        bool chunked;
        std::string_view expected_tail;
    };
    Row const rows[] = {
        {11, true, false, "Content-Length: 5\r\n\r\n"},
        {11, false, false, "Content-Length: 5\r\nConnection: close\r\n\r\n"},
        {10, true, false, "Content-Length: 5\r\nConnection: keep-alive\r\n\r\n"},
        {10, false, false, "Content-Length: 5\r\nConnection: close\r\n\r\n"},
        {11, true, true, "Transfer-Encoding: chunked\r\n\r\n"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.version);
        CAPTURE(row.keep_alive);
        ResponsePlan plan;
        if (!row.chunked) plan.content_length = 5;
        std::string out;
        serialize_head(plan, row.version, row.keep_alive, {}, out);
        CHECK(out.starts_with("HTTP/1.1 200 OK\r\nServer: wasmdev\r\n"));
        CHECK(out.ends_with(row.expected_tail));
    }
}

TEST_CASE("serialize_head: 204 and 304 carry no Content-Length or Transfer-Encoding") {
    for (unsigned status : {204u, 304u}) {
        CAPTURE(status);
        ResponsePlan plan;
        plan.status = status;
        plan.content_length = 100;
        std::string out;
        serialize_head(plan, 11, true, {}, out);
        CHECK(out.find("Content-Length") == std::string::npos);
        CHECK(out.find("Transfer-Encoding") == std::string::npos);
    }
}
