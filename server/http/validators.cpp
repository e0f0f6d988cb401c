#include "server/http/validators.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>

namespace wasmdev::http {
namespace {

constexpr std::array<std::string_view, 7> weekdays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::optional<int> number(std::string_view s, std::size_t digits) {
    if (s.size() != digits) return std::nullopt;
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<int> month_index(std::string_view s) {
    for (std::size_t i = 0; i < months.size(); ++i)
        if (months[i] == s) return int(i);
    return std::nullopt;
}

std::optional<std::time_t> make_time(int year, int month, int day, std::string_view hms) {
    if (hms.size() != 8 || hms[2] != ':' || hms[5] != ':') return std::nullopt;
    auto h = number(hms.substr(0, 2), 2), m = number(hms.substr(3, 2), 2), s = number(hms.substr(6, 2), 2);
    if (!h || !m || !s || *h > 23 || *m > 59 || *s > 60 || day < 1 || day > 31) return std::nullopt;
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month;
    tm.tm_mday = day;
    tm.tm_hour = *h;
    tm.tm_min = *m;
    tm.tm_sec = *s;
    return ::timegm(&tm);
}

// Splits on single spaces, dropping empty pieces (asctime pads single-digit days).
std::array<std::string_view, 6> words(std::string_view s, std::size_t& count) {
    std::array<std::string_view, 6> out{};
    count = 0;
    while (!s.empty()) {
        auto sp = s.find(' ');
        auto w = s.substr(0, sp);
        if (!w.empty()) {
            if (count == out.size()) {
                count = out.size() + 1;
                return out;
            }
            out[count++] = w;
        }
        if (sp == std::string_view::npos) break;
        s.remove_prefix(sp + 1);
    }
    return out;
}

struct Tag {
    bool weak = false;
    std::string_view opaque{};  // including the quotes
};

std::optional<Tag> parse_tag(std::string_view s) {
    Tag t;
    if (s.starts_with("W/")) {
        t.weak = true;
        s.remove_prefix(2);
    }
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::nullopt;
    t.opaque = s;
    return t;
}

}  // namespace

std::string make_etag(std::uint64_t ino, std::uint64_t size, std::int64_t mtime_ns, std::string_view coding) {
    if (coding.empty() || coding == "identity") return fmt::format("\"{:x}-{:x}-{:x}\"", ino, size, mtime_ns);
    return fmt::format("\"{:x}-{:x}-{:x}-{}\"", ino, size, mtime_ns, coding);
}

std::string format_http_date(std::time_t t) {
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", weekdays[std::size_t(tm.tm_wday)], tm.tm_mday,
                       months[std::size_t(tm.tm_mon)], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::optional<std::time_t> parse_http_date(std::string_view s) {
    s = trim(s);
    std::size_t n = 0;
    auto w = words(s, n);
    if (n == 6 && w[0].size() == 4 && w[0].back() == ',' && w[5] == "GMT") {  // IMF-fixdate
        auto day = number(w[1], 2);
        auto month = month_index(w[2]);
        auto year = number(w[3], 4);
        if (!day || !month || !year) return std::nullopt;
        return make_time(*year, *month, *day, w[4]);
    }
    if (n == 4 && w[0].ends_with(',') && w[3] == "GMT" && w[1].size() == 9 && w[1][2] == '-' && w[1][6] == '-') {
        // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; two-digit years within 50 years of now.
        auto day = number(w[1].substr(0, 2), 2);
        auto month = month_index(w[1].substr(3, 3));
        auto yy = number(w[1].substr(7, 2), 2);
        if (!day || !month || !yy) return std::nullopt;
        return make_time(*yy < 70 ? 2000 + *yy : 1900 + *yy, *month, *day, w[2]);
    }
    if (n == 5 && w[0].size() == 3) {  // asctime: "Sun Nov  6 08:49:37 1994"
        auto month = month_index(w[1]);
        auto day = w[2].size() == 1 ? number(w[2], 1) : number(w[2], 2);
        auto year = number(w[4], 4);
        if (!day || !month || !year) return std::nullopt;
        return make_time(*year, *month, *day, w[3]);
    }
    return std::nullopt;
}

bool etag_list_matches(std::string_view list, std::string_view etag, bool weak_comparison) {
    list = trim(list);
    if (list == "*") return true;
    auto current = parse_tag(etag);
    if (!current) return false;
    while (!list.empty()) {
        // Entity tags cannot contain commas inside quotes that matter here: opaque-tag
        // characters exclude DQUOTE but allow ','; split on commas outside quotes.
        std::size_t end = 0;
        bool quoted = false;
        for (; end < list.size(); ++end) {
            if (list[end] == '"') quoted = !quoted;
            if (list[end] == ',' && !quoted) break;
        }
        auto tag = parse_tag(trim(list.substr(0, end)));
        list.remove_prefix(end == list.size() ? end : end + 1);
        if (!tag) continue;
        if (tag->opaque != current->opaque) continue;
        if (weak_comparison || (!tag->weak && !current->weak)) return true;
    }
    return false;
}

Conditional evaluate_conditionals(ConditionalHeaders const& h, std::string_view etag, std::time_t last_modified) {
    if (h.if_match) {
        if (!etag_list_matches(*h.if_match, etag, false)) return Conditional::precondition_failed;
    } else if (h.if_unmodified_since) {
        if (auto t = parse_http_date(*h.if_unmodified_since); t && last_modified > *t)
            return Conditional::precondition_failed;
    }
    if (h.if_none_match) {
        if (etag_list_matches(*h.if_none_match, etag, true)) return Conditional::not_modified;
    } else if (h.if_modified_since) {
        if (auto t = parse_http_date(*h.if_modified_since); t && last_modified <= *t) return Conditional::not_modified;
    }
    return Conditional::none;
}

bool if_range_matches(std::string_view if_range, std::string_view etag, std::time_t last_modified) {
    if_range = trim(if_range);
    if (if_range.starts_with('"') || if_range.starts_with("W/")) {
        auto tag = parse_tag(if_range);
        return tag && !tag->weak && tag->opaque == etag;
    }
    auto t = parse_http_date(if_range);
    return t && *t == last_modified;
}

}  // namespace wasmdev::http
