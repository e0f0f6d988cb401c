#include "server/http/parse_error.hpp"

namespace wasmdev::http {

ParseErrorAnswer answer_parse_failure(ParseFailure failure) {
    switch (failure) {
        case ParseFailure::header_too_large: return {431, "The request's headers are too large."};
        case ParseFailure::body_too_large:
            return {413, "The request's body is too large; this server only reads files."};
        case ParseFailure::framing_too_large:
            return {413, "The request's chunked framing (a chunk-size line, its extensions or trailers) is too large."};
        case ParseFailure::bad_framing:
            return {400, "The request's Content-Length or Transfer-Encoding is invalid or conflicting."};
        case ParseFailure::malformed: break;
    }
    return {400, "The request could not be parsed as HTTP/1.1."};
}

}  // namespace wasmdev::http
