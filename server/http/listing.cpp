#include "server/http/listing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <iterator>

#include "server/http/error_page.hpp"
#include "server/http/target.hpp"

namespace wasmdev::http {
namespace {

void append_human_size(std::string& out, std::uint64_t n) {
    auto it = std::back_inserter(out);
    if (n < 1024)
        fmt::format_to(it, "{} B", n);
    else if (n < 1024 * 1024)
        fmt::format_to(it, "{:.1f} KiB", double(n) / 1024);
    else if (n < 1024ull * 1024 * 1024)
        fmt::format_to(it, "{:.1f} MiB", double(n) / (1024 * 1024));
    else
        fmt::format_to(it, "{:.1f} GiB", double(n) / (1024.0 * 1024 * 1024));
}

// "YYYY-MM-DD HH:MM" in UTC, written digit by digit (snprintf was a tenth of a listing's CPU).
void append_utc_minute(std::string& out, std::int64_t seconds) {
    std::tm tm{};
    std::time_t const t = seconds;
    ::gmtime_r(&t, &tm);
    auto two = [&](int v) {
        out += char('0' + v / 10 % 10);
        out += char('0' + v % 10);
    };
    int const year = tm.tm_year + 1900;
    if (year < 0 || year > 9999) {
        out +=
            "????"
            "-??"
            "-??"
            " ??:??";  // split: "??-" is a trigraph to the compiler
        return;
    }
    two(year / 100);
    two(year % 100);
    out += '-';
    two(tm.tm_mon + 1);
    out += '-';
    two(tm.tm_mday);
    out += ' ';
    two(tm.tm_hour);
    out += ':';
    two(tm.tm_min);
}

}  // namespace

// A backslash's link would answer 400, so the entry is left out. Plain names skip the parse.
bool is_listable_name(std::string_view name) {
    bool const plain = std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
               c == '_' || c == '~';
    });
    if (plain) return true;
    auto const t = parse_target("/" + encode_segment(name));
    return t && t->segments.size() == 1 && t->segments.front() == name;
}

std::string render_listing(std::string_view display_path, std::string_view href_base,
                           std::vector<ListingEntry> entries) {
    std::sort(entries.begin(), entries.end(), [](auto const& a, auto const& b) {
        if (a.is_directory != b.is_directory) return a.is_directory;
        return a.name < b.name;
    });
    auto title = html_escape(display_path);
    std::string out;
    out.reserve(1024 + entries.size() * 160);
    fmt::format_to(
        std::back_inserter(out),
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Index of {0}</title>\n"
        "<style>body{{font:14px/1.5 system-ui,sans-serif;margin:2em;color:#222}}"
        "table{{border-collapse:collapse}}td{{padding:.1em 1.2em .1em 0}}td.s{{text-align:right}}"
        "a{{text-decoration:none}}a:hover{{text-decoration:underline}}footer{{margin-top:1.5em;color:#666}}</style>\n"
        "</head>\n<body>\n<h1>Index of {0}</h1>\n<table>\n",
        title);
    if (display_path != "/") out += "<tr><td><a href=\"../\">../</a></td><td></td><td></td></tr>\n";
    // Rows are appended in place: a 500-entry listing is a hot path (CPython's Lib/ has 200+).
    for (auto const& e : entries) {
        // href_base and percent-encoded names hold only unreserved characters, '/' and '%':
        // nothing HTML would read as markup, so the href needs no escaping.
        out += "<tr><td><a href=\"";
        out += href_base;
        append_encoded_segment(out, e.name);
        if (e.is_directory) out += '/';
        out += "\">";
        append_html_escaped(out, e.name);
        if (e.is_directory) out += '/';
        out += "</a></td><td class=\"s\">";
        if (e.is_directory)
            out += '-';
        else
            append_human_size(out, e.size);
        out += "</td><td>";
        append_utc_minute(out, e.mtime_s);
        out += " UTC</td></tr>\n";
    }
    out +=
        "</table>\n<footer>wasmdev · <a href=\"/__wasmdev/\">self-check: is this server set up for "
        "WebAssembly?</a></footer>\n</body></html>\n";
    return out;
}

}  // namespace wasmdev::http
