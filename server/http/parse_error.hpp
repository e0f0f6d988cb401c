// What a request that could not be read is answered with (RFC 9110 §15.5, RFC 6585 §5): the
// status and the one-line cause for the error page. The session names the failure from its
// parser's error; this decides the HTTP answer. Such answers always close the connection.
#pragma once
#include <string_view>

namespace wasmdev::http {

enum class ParseFailure {
    header_too_large,   // the head exceeded Config::max_header_bytes (16 KiB)
    body_too_large,     // a request body beyond the limit
    framing_too_large,  // a chunk-size line, its extensions or the trailers beyond the read buffer
    bad_framing,        // Content-Length / Transfer-Encoding invalid or conflicting
    malformed,          // anything else that is not HTTP/1.x
};

struct ParseErrorAnswer {
    unsigned status = 400;
    std::string_view cause{};
};

ParseErrorAnswer answer_parse_failure(ParseFailure failure);

}  // namespace wasmdev::http
