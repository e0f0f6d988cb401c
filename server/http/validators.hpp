// Validators and conditional requests (RFC 9110 §8.8, §13): strong ETags per
// representation, HTTP dates, If-None-Match / If-Modified-Since / If-Match /
// If-Unmodified-Since, and If-Range. Pure: the handler supplies the file's identity.
#pragma once
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace wasmdev::http {

// A strong ETag from the file version and the coding's token: "ino-size-mtime_ns" in hex,
// plus "-<coding>" for anything but identity, so every representation has its own tag.
std::string make_etag(std::uint64_t ino, std::uint64_t size, std::int64_t mtime_ns, std::string_view coding);

// IMF-fixdate: "Tue, 24 Nov 2026 15:00:00 GMT".
std::string format_http_date(std::time_t t);
// IMF-fixdate, RFC 850 and asctime forms (RFC 9110 §5.6.7); nullopt when malformed.
std::optional<std::time_t> parse_http_date(std::string_view s);

enum class Conditional { none, not_modified, precondition_failed };

struct ConditionalHeaders {
    std::optional<std::string_view> if_match{};
    std::optional<std::string_view> if_none_match{};
    std::optional<std::string_view> if_modified_since{};
    std::optional<std::string_view> if_unmodified_since{};
};

// RFC 9110 §13.2.2 order. For GET and HEAD a failed If-None-Match is not_modified (304);
// If-Modified-Since is only consulted without If-None-Match, If-Unmodified-Since only
// without If-Match.
Conditional evaluate_conditionals(ConditionalHeaders const& h, std::string_view etag, std::time_t last_modified);

// Whether a Range applies under this If-Range value (RFC 9110 §13.1.5): a strong match of
// the current ETag, or a date exactly equal to Last-Modified. Weak tags never match.
bool if_range_matches(std::string_view if_range, std::string_view etag, std::time_t last_modified);

// Whether an entity-tag list ("*" or comma-separated tags) matches etag; weak comparison
// ignores W/ prefixes, strong comparison requires both tags strong.
bool etag_list_matches(std::string_view list, std::string_view etag, bool weak_comparison);

}  // namespace wasmdev::http
