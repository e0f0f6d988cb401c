// Decoding a fetched body that came gzip-, deflate- or br-encoded, so the scanners read the
// script a browser would run. The body comes from an outside server: the output is capped
// (max_out) and decoding stops there, so a small bomb cannot make check hold more.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wasmdev::check {

// The decoded bytes (at most max_out: a longer result is cut there), or nullopt for a coding
// we do not decode or a body that is not valid in it. "identity" and "" return the body.
std::optional<std::string> decode_body(std::string_view coding, std::string_view body, std::size_t max_out);

}  // namespace wasmdev::check
