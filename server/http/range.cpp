#include "server/http/range.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include "server/http/policy.hpp"

namespace wasmdev::http {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::optional<std::uint64_t> digits(std::string_view s) {
    if (s.empty()) return std::nullopt;
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace

RangeSet parse_range(std::string_view value, std::uint64_t size, std::size_t max_ranges) {
    value = trim(value);
    auto eq = value.find('=');
    if (eq == std::string_view::npos || !iequals(trim(value.substr(0, eq)), "bytes")) return {RangeKind::ignored, {}};
    std::string_view list = value.substr(eq + 1);
    std::vector<ByteRange> ranges;
    std::size_t specs = 0;
    while (true) {
        auto comma = list.find(',');
        auto spec = trim(list.substr(0, comma));
        bool const last = comma == std::string_view::npos;
        list.remove_prefix(last ? list.size() : comma + 1);
        if (spec.empty()) {
            if (last) break;
            continue;  // RFC 9110 §5.6.1: empty list elements are ignored
        }
        if (++specs > max_ranges) return {RangeKind::ignored, {}};
        auto dash = spec.find('-');
        if (dash == std::string_view::npos) return {RangeKind::ignored, {}};
        auto a = spec.substr(0, dash), b = spec.substr(dash + 1);
        if (a.empty()) {  // suffix: the last N bytes
            auto n = digits(b);
            if (!n) return {RangeKind::ignored, {}};
            if (*n > 0 && size > 0) ranges.push_back({size - std::min(*n, size), size - 1});
        } else {
            auto first = digits(a);
            auto last_pos = b.empty() ? std::optional<std::uint64_t>(UINT64_MAX) : digits(b);
            if (!first || !last_pos || *last_pos < *first) return {RangeKind::ignored, {}};
            if (*first < size) ranges.push_back({*first, std::min(*last_pos, size - 1)});
        }
        if (last) break;
    }
    if (specs == 0) return {RangeKind::ignored, {}};
    if (ranges.empty()) return {RangeKind::unsatisfiable, {}};
    // Overlapping and adjacent ranges are merged (RFC 9110 §14.2 allows it), so a request
    // for the same bytes many times cannot multiply the response.
    std::sort(ranges.begin(), ranges.end(), [](auto const& x, auto const& y) { return x.first < y.first; });
    std::vector<ByteRange> merged{ranges.front()};
    for (std::size_t i = 1; i < ranges.size(); ++i) {
        auto& back = merged.back();
        if (ranges[i].first <= back.last + 1) back.last = std::max(back.last, ranges[i].last);
        else merged.push_back(ranges[i]);
    }
    return {RangeKind::satisfiable, std::move(merged)};
}

std::string content_range(ByteRange r, std::uint64_t size) {
    return "bytes " + std::to_string(r.first) + "-" + std::to_string(r.last) + "/" + std::to_string(size);
}

std::string unsatisfied_content_range(std::uint64_t size) { return "bytes */" + std::to_string(size); }

}  // namespace wasmdev::http
