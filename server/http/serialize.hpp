// Turns a ResponsePlan's status line and headers into HTTP/1.1 wire bytes.
// Adds the framing headers (Content-Length or chunked, Connection) that the plan leaves
// to the transport; writing the body is server/net/writer.cpp's job.
#pragma once
#include <string>
#include <string_view>

#include "server/http/request.hpp"

namespace wasmdev::http {

// No Content-Length or Transfer-Encoding on 1xx, 204 and 304 (RFC 9110 §8.6, §15.4.5).
bool status_has_body(unsigned status);

// version is the request's (10 or 11); the response is always HTTP/1.1. keep_alive says
// whether the connection stays open after this response; date is an IMF-fixdate or empty.
void serialize_head(ResponsePlan const& plan, unsigned version, bool keep_alive, std::string_view date,
                    std::string& out);

}  // namespace wasmdev::http
