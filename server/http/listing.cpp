#include "server/http/listing.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <ctime>

#include "server/http/error_page.hpp"
#include "server/http/resolve.hpp"
#include "server/http/target.hpp"

namespace wasmdev::http {
namespace {

std::string human_size(std::uint64_t n) {
    if (n < 1024) return fmt::format("{} B", n);
    if (n < 1024 * 1024) return fmt::format("{:.1f} KiB", double(n) / 1024);
    if (n < 1024ull * 1024 * 1024) return fmt::format("{:.1f} MiB", double(n) / (1024 * 1024));
    return fmt::format("{:.1f} GiB", double(n) / (1024.0 * 1024 * 1024));
}

}  // namespace

std::vector<ListingEntry> read_directory(std::filesystem::path const& dir) {
    std::vector<ListingEntry> out;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
         it.increment(ec)) {
        auto name = it->path().filename().string();
        if (is_hidden_name(name)) continue;
        struct stat st {};
        if (::stat(it->path().c_str(), &st) != 0) continue;  // a dangling symlink: nothing to link to
        if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) continue;  // nothing a request could fetch
        bool const is_symlink = it->is_symlink(ec);
        ec.clear();
        out.push_back({std::move(name), S_ISDIR(st.st_mode), std::uint64_t(st.st_size), std::int64_t(st.st_mtime),
                       is_symlink});
    }
    return out;
}

std::string render_listing(std::string_view display_path, std::string_view href_base,
                           std::vector<ListingEntry> entries) {
    std::sort(entries.begin(), entries.end(), [](auto const& a, auto const& b) {
        if (a.is_directory != b.is_directory) return a.is_directory;
        return a.name < b.name;
    });
    auto title = html_escape(display_path);
    std::string out = fmt::format(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Index of {0}</title>\n"
        "<style>body{{font:14px/1.5 system-ui,sans-serif;margin:2em;color:#222}}"
        "table{{border-collapse:collapse}}td{{padding:.1em 1.2em .1em 0}}td.s{{text-align:right}}"
        "a{{text-decoration:none}}a:hover{{text-decoration:underline}}footer{{margin-top:1.5em;color:#666}}</style>\n"
        "</head>\n<body>\n<h1>Index of {0}</h1>\n<table>\n",
        title);
    if (display_path != "/") out += "<tr><td><a href=\"../\">../</a></td><td></td><td></td></tr>\n";
    for (auto const& e : entries) {
        auto href = fmt::format("{}{}{}", href_base, encode_segment(e.name), e.is_directory ? "/" : "");
        std::tm tm{};
        std::time_t t = e.mtime_s;
        ::gmtime_r(&t, &tm);
        out += fmt::format("<tr><td><a href=\"{}\">{}{}</a></td><td class=\"s\">{}</td><td>{:%Y-%m-%d %H:%M} UTC</td></tr>\n",
                           html_escape(href), html_escape(e.name), e.is_directory ? "/" : "",
                           e.is_directory ? "-" : human_size(e.size), tm);
    }
    out += "</table>\n<footer>wasmdev · <a href=\"/__wasmdev/\">self-check: is this server set up for WebAssembly?</a></footer>\n</body></html>\n";
    return out;
}

}  // namespace wasmdev::http
