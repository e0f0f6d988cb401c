// Request-target parsing (RFC 9112 §3.2) into decoded, normalised path segments.
// Uses Boost.URL for syntax and percent-decoding; resolves dot segments so the result can
// never climb above the root. Does not touch the file system; resolve.hpp does.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::http {

struct Target {
    std::vector<std::string> segments{};  // decoded; no "", ".", ".."; never contain '/', '\\', NUL
    bool trailing_slash = false;          // the path names a directory ("/a/" or "/")
    std::string query{};                  // still percent-encoded, without '?'
    std::string authority{};              // host[:port] of an absolute-form target, else empty
    bool asterisk = false;                // "OPTIONS *"
};

// nullopt for anything that is not a valid origin-form, absolute-form (http/https) or
// asterisk-form target, or whose decoded segments hold '/', '\\' or NUL.
std::optional<Target> parse_target(std::string_view target);

// The canonical percent-encoded path for segments: "/" + segments joined by "/", plus a
// trailing "/" when asked. Used for redirects, so it never starts with "//" or "/\\".
std::string encode_path(std::vector<std::string> const& segments, bool trailing_slash);

// Percent-encodes one path segment: everything but RFC 3986 unreserved characters.
std::string encode_segment(std::string_view segment);
// The same, appended to out.
void append_encoded_segment(std::string& out, std::string_view segment);

}  // namespace wasmdev::http
