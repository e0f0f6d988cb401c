// The conditional-request parsers (server/http/validators.hpp) on any If-* values: an HTTP
// date that parses formats back to itself, a strong match is also a weak one, a file's own
// ETag matches itself, and evaluation never throws or reads out of bounds.
#include <cstdint>
#include <string>

#include "server/http/validators.hpp"
#include "tests/fuzz/check.hpp"

using namespace wasmdev;
using fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const in(reinterpret_cast<char const*>(data), size);
    if (auto t = http::parse_http_date(in)) {
        auto const text = http::format_http_date(*t);
        check(text.size() == 29 && text.ends_with(" GMT"), "an IMF-fixdate is 29 characters", in);
        // format_http_date clamps to years 1 to 9999 (as documented); inside them it is exact.
        if (*t >= -62135596800 && *t <= 253402300799)
            check(http::parse_http_date(text) == t, "a parsed date formats back to itself", in);
    }
    auto const etag = http::make_etag(size, size * 3, std::int64_t(size) * 1000003, std::int64_t(size) * 7,
                                      http::ContentCoding::gzip);
    check(http::etag_list_matches(etag, etag, false) && http::etag_list_matches("*", etag, false),
          "an ETag matches itself and *", in);
    if (http::etag_list_matches(in, etag, false))
        check(http::etag_list_matches(in, etag, true), "strong implies weak", in);
    // Four headers from one input: If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since.
    auto [a, rest1] = fuzz::split_once(in);
    auto [b, rest2] = fuzz::split_once(rest1);
    auto [c, d] = fuzz::split_once(rest2);
    http::ConditionalHeaders h{a, b, c, d};
    auto const result = http::evaluate_conditionals(h, etag, 784111777);
    // RFC 9110 §13.2.2: a list that strongly matches this ETag never fails If-Match.
    if (http::etag_list_matches(a, etag, false))
        check(result != http::Conditional::precondition_failed, "a matching If-Match is no 412", in);
    (void)http::if_range_matches(in, etag, 784111777);
    check(!http::if_range_matches("W/" + etag, etag, 784111777), "a weak tag never satisfies If-Range", in);
    return 0;
}
