#include "server/http/validators.hpp"

#include <charconv>

#include <algorithm>
#include <array>

#include "server/text/ascii.hpp"

namespace wasmdev::http {
namespace {

constexpr std::array<std::string_view, 7> weekdays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> long_weekdays{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                        "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

constexpr std::int64_t seconds_per_day = 86400;
// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the instants an IMF-fixdate can spell.
constexpr std::int64_t earliest_date = -62135596800;
constexpr std::int64_t latest_date = 253402300799;

// Exactly `count` ASCII digits.
std::optional<int> number(std::string_view s, std::size_t count) {
    if (s.size() != count) return std::nullopt;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

template <std::size_t N>
bool is_one_of(std::string_view s, std::array<std::string_view, N> const& names) {
    return std::find(names.begin(), names.end(), s) != names.end();
}

std::optional<int> month_index(std::string_view s) {  // 1-12; month names are case-sensitive
    for (std::size_t i = 0; i < months.size(); ++i)
        if (months[i] == s) return int(i) + 1;
    return std::nullopt;
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(std::int64_t y, int m) {
    constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil):
// no timegm(), no time zone, no normalisation of 31 Feb into March.
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
    y -= m <= 2;
    std::int64_t const era = (y >= 0 ? y : y - 399) / 400;
    std::int64_t const yoe = y - era * 400;
    std::int64_t const doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    std::int64_t const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct Civil {
    std::int64_t year = 1970;
    int month = 1;  // 1-12
    int day = 1;
};

Civil civil_from_days(std::int64_t z) {
    z += 719468;
    std::int64_t const era = (z >= 0 ? z : z - 146096) / 146097;
    std::int64_t const doe = z - era * 146097;
    std::int64_t const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    std::int64_t const mp = (5 * doy + 2) / 153;
    int const d = int(doy - (153 * mp + 2) / 5 + 1);
    int const m = int(mp < 10 ? mp + 3 : mp - 9);
    return {yoe + era * 400 + (m <= 2), m, d};
}

// "hh:mm:ss" on a valid calendar day; second 60 is accepted for leap seconds (RFC 5322).
std::optional<std::time_t> make_time(int year, int month, int day, std::string_view hms) {
    if (hms.size() != 8 || hms[2] != ':' || hms[5] != ':') return std::nullopt;
    auto h = number(hms.substr(0, 2), 2), m = number(hms.substr(3, 2), 2), s = number(hms.substr(6, 2), 2);
    if (!h || !m || !s || *h > 23 || *m > 59 || *s > 60) return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
    return std::time_t(days_from_civil(year, month, day) * seconds_per_day + *h * 3600 + *m * 60 + *s);
}

// Splits on spaces, dropping empty pieces (asctime pads single-digit days with a space).
// count is words.size() + 1 when there are too many words for any date form.
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

std::string_view etag_suffix(ContentCoding c) { return codings::row(c).etag_suffix; }

void append_hex(std::string& out, std::uint64_t v) {
    std::array<char, 16> digits;
    auto const [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), v, 16);
    out.append(digits.data(), end);  // 16 hex digits hold any 64-bit value: ec is always success
}

// "INO-SIZE-MTIME-CTIME" in hex, then the suffix. Formatted by hand: it runs for every response,
// and fmt's format-string machinery cost more than the rest of the tag.
std::string etag_with_suffix(std::uint64_t ino, std::uint64_t size, std::int64_t mtime_ns, std::int64_t ctime_ns,
                             std::string_view suffix) {
    std::string tag;
    tag.reserve(4 * 16 + 5 + suffix.size());
    tag.push_back('"');
    append_hex(tag, ino);
    tag.push_back('-');
    append_hex(tag, size);
    tag.push_back('-');
    // mtime_ns as its two's-complement bits: a pre-1970 mtime must not put a '-' in a field.
    append_hex(tag, std::uint64_t(mtime_ns));
    tag.push_back('-');
    append_hex(tag, std::uint64_t(ctime_ns));
    tag.append(suffix).push_back('"');
    return tag;
}

void put_digits(char* at, std::int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10) at[i] = char('0' + value % 10);
}

}  // namespace

std::string make_etag(std::uint64_t ino, std::uint64_t size, std::int64_t mtime_ns, std::int64_t ctime_ns,
                      ContentCoding coding) {
    return etag_with_suffix(ino, size, mtime_ns, ctime_ns, etag_suffix(coding));
}

std::string make_etag(std::uint64_t ino, std::uint64_t size, std::int64_t mtime_ns, std::int64_t ctime_ns,
                      std::string_view coding) {
    if (coding.empty()) return make_etag(ino, size, mtime_ns, ctime_ns, ContentCoding::identity);
    if (auto c = parse_content_coding(coding)) return make_etag(ino, size, mtime_ns, ctime_ns, *c);
    // A coding this unit has no short suffix for still gets a tag of its own.
    return etag_with_suffix(ino, size, mtime_ns, ctime_ns, "-" + std::string(coding));
}

std::string format_http_date(std::time_t t) {
    auto const clamped = std::clamp<std::int64_t>(t, earliest_date, latest_date);
    // Floor division, so instants before 1970 land on the right day.
    std::int64_t days = clamped / seconds_per_day, secs = clamped % seconds_per_day;
    if (secs < 0) {
        secs += seconds_per_day;
        --days;
    }
    auto const date = civil_from_days(days);
    auto const weekday = ((days + 4) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
    // "Sun, 06 Nov 1994 08:49:37 GMT": fixed width (the clamp keeps the year at four digits).
    std::string out = "Ddd, DD Mmm YYYY hh:mm:ss GMT";
    out.replace(0, 3, weekdays[std::size_t(weekday)]);
    put_digits(&out[5], date.day, 2);
    out.replace(8, 3, months[std::size_t(date.month - 1)]);
    put_digits(&out[12], date.year, 4);
    put_digits(&out[17], secs / 3600, 2);
    put_digits(&out[20], secs / 60 % 60, 2);
    put_digits(&out[23], secs % 60, 2);
    return out;
}

std::optional<std::time_t> parse_http_date(std::string_view s) {
    s = text::trim(s);
    std::size_t n = 0;
    auto w = words(s, n);
    // The day name is checked for spelling only: RFC 9110 §5.6.7 doesn't ask recipients to
    // check that it agrees with the date, and the date is what gets compared.
    if (n == 6 && w[0].ends_with(',') && is_one_of(w[0].substr(0, w[0].size() - 1), weekdays) &&
        w[5] == "GMT") {  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        auto day = number(w[1], 2);
        auto month = month_index(w[2]);
        auto year = number(w[3], 4);
        if (!day || !month || !year) return std::nullopt;
        return make_time(*year, *month, *day, w[4]);
    }
    if (n == 4 && w[0].ends_with(',') && is_one_of(w[0].substr(0, w[0].size() - 1), long_weekdays) && w[3] == "GMT" &&
        w[1].size() == 9 && w[1][2] == '-' && w[1][6] == '-') {
        // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT". §5.6.7 puts a two-digit year more than
        // 50 years in the future into the previous century. A pure function has no clock, so
        // the pivot is fixed at 70; that differs from the rule only for 70 up to the current
        // year minus 1950 (70-76 in 2026), years no client that still sends this form writes.
        auto day = number(w[1].substr(0, 2), 2);
        auto month = month_index(w[1].substr(3, 3));
        auto yy = number(w[1].substr(7, 2), 2);
        if (!day || !month || !yy) return std::nullopt;
        return make_time(*yy < 70 ? 2000 + *yy : 1900 + *yy, *month, *day, w[2]);
    }
    if (n == 5 && is_one_of(w[0], weekdays)) {  // asctime: "Sun Nov  6 08:49:37 1994"
        auto month = month_index(w[1]);
        auto day = w[2].size() == 1 ? number(w[2], 1) : number(w[2], 2);
        auto year = number(w[4], 4);
        if (!day || !month || !year) return std::nullopt;
        return make_time(*year, *month, *day, w[3]);
    }
    return std::nullopt;
}

bool etag_list_matches(std::string_view list, std::string_view etag, bool weak_comparison) {
    list = text::trim(list);
    if (list == "*") return true;
    auto current = parse_tag(etag);
    if (!current) return false;
    while (!list.empty()) {
        // opaque-tag characters include ',', so split only on commas outside quotes.
        std::size_t end = 0;
        bool quoted = false;
        for (; end < list.size(); ++end) {
            if (list[end] == '"') quoted = !quoted;
            if (list[end] == ',' && !quoted) break;
        }
        auto tag = parse_tag(text::trim(list.substr(0, end)));
        list.remove_prefix(end == list.size() ? end : end + 1);
        if (!tag) continue;  // a malformed member matches nothing; the rest still count
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
    if_range = text::trim(if_range);
    if (if_range.starts_with('"') || if_range.starts_with("W/")) {
        auto tag = parse_tag(if_range);
        return tag && !tag->weak && tag->opaque == etag;
    }
    auto t = parse_http_date(if_range);
    return t && *t == last_modified;
}

}  // namespace wasmdev::http
