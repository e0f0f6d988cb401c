// Validators and conditional requests (RFC 9110 §8.8, §13): strong ETags per
// representation, HTTP dates, If-None-Match / If-Modified-Since / If-Match /
// If-Unmodified-Since, and If-Range. Pure: the handler supplies the file's identity
// and decides what status to send.
#pragma once
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "server/http/negotiate.hpp"

namespace wasmdev::http {

// A strong ETag from the file version: "ino-size-mtime_ns-ctime_ns" in hex (ctime because a
// user can set mtime back — cp -p, touch -r, reproducible builds — and nobody can set ctime), plus the coding's suffix
// from server/codings/coding.hpp ("-gz", ...) for a coded representation, so each representation of a version has its own tag
// (RFC 9110 §8.8.3.3: a 304 for one coding must not validate a cached body of another).
std::string make_etag(std::uint64_t ino, std::uint64_t size, std::int64_t mtime_ns, std::int64_t ctime_ns,
                      ContentCoding coding);
// The same from a Content-Encoding token ("identity", "gzip", ...); an empty token is identity.
std::string make_etag(std::uint64_t ino, std::uint64_t size, std::int64_t mtime_ns, std::int64_t ctime_ns,
                      std::string_view coding);

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT". Times outside years 1 to 9999 are clamped.
std::string format_http_date(std::time_t t);
// IMF-fixdate, RFC 850 and asctime forms (RFC 9110 §5.6.7); nullopt when malformed,
// including impossible dates such as 31 Feb.
std::optional<std::time_t> parse_http_date(std::string_view s);

enum class Conditional { none, not_modified, precondition_failed };

struct ConditionalHeaders {
    std::optional<std::string_view> if_match{};
    std::optional<std::string_view> if_none_match{};
    std::optional<std::string_view> if_modified_since{};
    std::optional<std::string_view> if_unmodified_since{};
};

// RFC 9110 §13.2.2 order, for GET and HEAD: If-Match (strong comparison), else
// If-Unmodified-Since, fail with precondition_failed (412); then If-None-Match (weak
// comparison), else If-Modified-Since (Last-Modified <= date), give not_modified (304).
// Dates that don't parse are ignored, as §13.1.3 and §13.1.4 require.
Conditional evaluate_conditionals(ConditionalHeaders const& h, std::string_view etag, std::time_t last_modified);

// Whether a Range applies under this If-Range value (RFC 9110 §13.1.5): a strong match of
// the current ETag, or a date exactly equal to Last-Modified. Weak tags never match.
bool if_range_matches(std::string_view if_range, std::string_view etag, std::time_t last_modified);

// Whether an entity-tag list ("*" or comma-separated tags) matches etag. Weak comparison
// ignores W/ prefixes; strong comparison also requires both tags to be strong (§8.8.3.2).
bool etag_list_matches(std::string_view list, std::string_view etag, bool weak_comparison);

}  // namespace wasmdev::http
