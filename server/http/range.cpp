#include "server/http/range.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include "server/http/policy.hpp"

namespace wasmdev::http {
namespace {

// 1*DIGIT as an unsigned 64-bit number; nullopt for signs, other characters or overflow.
std::optional<std::uint64_t> digits(std::string_view s) {
    if (s.empty()) return std::nullopt;
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

struct Requested {
    ByteRange range{};
    std::size_t order = 0;  // index of the earliest range-spec that contributed
};

// Merges overlapping and adjacent ranges (RFC 9110 §14.2 allows it), so asking for the same
// bytes many times cannot multiply the response, then restores request order, which §14.2
// asks multipart responses to follow.
std::vector<ByteRange> coalesce(std::vector<Requested> in) {
    std::sort(in.begin(), in.end(), [](auto const& x, auto const& y) { return x.range.first < y.range.first; });
    std::vector<Requested> merged{in.front()};
    for (std::size_t i = 1; i < in.size(); ++i) {
        auto& back = merged.back();
        // back.range.last < size <= UINT64_MAX, so the + 1 cannot wrap.
        if (in[i].range.first <= back.range.last + 1) {
            back.range.last = std::max(back.range.last, in[i].range.last);
            back.order = std::min(back.order, in[i].order);
        } else {
            merged.push_back(in[i]);
        }
    }
    std::sort(merged.begin(), merged.end(), [](auto const& x, auto const& y) { return x.order < y.order; });
    std::vector<ByteRange> out;
    out.reserve(merged.size());
    for (auto const& m : merged) out.push_back(m.range);
    return out;
}

}  // namespace

RangeSet parse_range(std::string_view value, std::uint64_t size, std::size_t max_ranges) {
    RangeSet const ignored{RangeKind::ignored, {}};
    value = text::trim(value);
    // ranges-specifier = range-unit "=" range-set (RFC 9110 §14.1.1): no whitespace around "=".
    auto eq = value.find('=');
    if (eq == std::string_view::npos || !iequals(value.substr(0, eq), "bytes")) return ignored;
    std::string_view list = value.substr(eq + 1);
    std::vector<Requested> ranges;
    std::size_t specs = 0;
    while (!list.empty()) {
        auto comma = list.find(',');
        auto spec = text::trim(list.substr(0, comma));
        list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
        if (spec.empty()) continue;  // RFC 9110 §5.6.1: empty list elements are ignored
        // Counted before coalescing: a thousand copies of one range is an attack, not a request.
        if (++specs > max_ranges) return ignored;
        auto dash = spec.find('-');
        if (dash == std::string_view::npos) return ignored;
        auto a = spec.substr(0, dash), b = spec.substr(dash + 1);
        if (a.empty()) {  // suffix-range: the last N bytes; N = 0 selects nothing
            auto n = digits(b);
            if (!n) return ignored;
            if (*n > 0 && size > 0) ranges.push_back({{size - std::min(*n, size), size - 1}, specs});
        } else {  // int-range, with last-pos omitted for "to the end"
            auto first = digits(a);
            auto last = b.empty() ? std::optional<std::uint64_t>(UINT64_MAX) : digits(b);
            if (!first || !last || *last < *first) return ignored;
            if (*first < size) ranges.push_back({{*first, std::min(*last, size - 1)}, specs});
        }
    }
    if (specs == 0) return ignored;
    if (ranges.empty()) return {RangeKind::unsatisfiable, {}};
    return {RangeKind::satisfiable, coalesce(std::move(ranges))};
}

std::string content_range(ByteRange r, std::uint64_t size) {
    return "bytes " + std::to_string(r.first) + "-" + std::to_string(r.last) + "/" + std::to_string(size);
}

std::string unsatisfied_content_range(std::uint64_t size) { return "bytes */" + std::to_string(size); }

}  // namespace wasmdev::http
