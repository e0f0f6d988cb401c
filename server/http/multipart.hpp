// multipart/byteranges bodies (RFC 9110 §14.6) for requests with several ranges.
// Lays the body out as literal framing and file ranges so the session can stream it
// with sendfile; computes its exact length up front for Content-Length.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/range.hpp"
#include "server/http/request.hpp"

namespace wasmdev::http {

// A boundary that cannot occur in framing by accident; seed makes it reproducible in tests.
std::string make_boundary(std::uint64_t seed);

// The parts in order: for each range its header block (literal) then its bytes (file),
// then the closing delimiter.
std::vector<BodyPart> multipart_parts(std::vector<ByteRange> const& ranges, std::uint64_t size,
                                      std::string_view content_type, std::string_view boundary);

std::uint64_t total_length(std::vector<BodyPart> const& parts);

}  // namespace wasmdev::http
