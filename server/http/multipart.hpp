// multipart/byteranges bodies (RFC 9110 §14.6) for requests with several ranges.
// Lays the body out as literal framing and file ranges so the writer (server/net/writer.cpp)
// can stream it with sendfile, and computes its exact length up front for Content-Length.
// Which ranges to send is range.hpp's business; reading the file is the writer's.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/range.hpp"
#include "server/http/request.hpp"

namespace wasmdev::http {

// "wasmdev-" and 16 hex digits mixed from seed: a valid RFC 2046 boundary that byte ranges
// of real files won't contain by accident, and the same for the same seed so tests can
// predict it.
std::string make_boundary(std::uint64_t seed);

// The parts in order: for each range its framing (literal
// "\r\n--BOUNDARY\r\nContent-Type: T\r\nContent-Range: bytes a-b/size\r\n\r\n") then its
// bytes (from_file), then the closing delimiter "\r\n--BOUNDARY--\r\n". The Content-Type line
// is left out when content_type is empty, as a 200 would have had no Content-Type either.
std::vector<BodyPart> multipart_parts(std::vector<ByteRange> const& ranges, std::uint64_t size,
                                      std::string_view content_type, std::string_view boundary);

// The exact byte count of the body the parts describe: the value for Content-Length.
std::uint64_t total_length(std::vector<BodyPart> const& parts);

}  // namespace wasmdev::http
