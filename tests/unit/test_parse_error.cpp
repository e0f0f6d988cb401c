#include <doctest/doctest.h>

#include "server/http/parse_error.hpp"

using namespace wasmdev::http;

TEST_CASE("answer_parse_failure: 431 for large heads - 413 for bodies and chunked framing - 400 otherwise") {
    struct Row {
        ParseFailure failure;
        unsigned status;
        std::string_view says;
    };
    Row const rows[] = {
        {ParseFailure::header_too_large, 431, "headers are too large"},
        {ParseFailure::body_too_large, 413, "body is too large"},
        {ParseFailure::framing_too_large, 413, "chunked framing"},
        {ParseFailure::bad_framing, 400, "Content-Length or Transfer-Encoding"},
        {ParseFailure::malformed, 400, "could not be parsed"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.status);
        auto const a = answer_parse_failure(row.failure);
        CHECK(a.status == row.status);
        CHECK(a.cause.find(row.says) != std::string_view::npos);
    }
}
