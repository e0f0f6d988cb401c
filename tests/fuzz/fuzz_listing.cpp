// The listing's escaping (server/http/listing.cpp, html_escape) on any file names and path:
// hostile names add no markup (the page has as many '<', '>', '"' and '&'-entities as with
// harmless names), each link parses back to its name, and escaped text holds no raw markup.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "server/http/error_page.hpp"
#include "server/http/listing.hpp"
#include "server/http/target.hpp"
#include "tests/fuzz/check.hpp"

using namespace wasmdev;
using fuzz::check;

namespace {
std::size_t count(std::string const& s, char c) { return std::size_t(std::count(s.begin(), s.end(), c)); }

// Every '&' in s starts one of the entities html_escape writes.
bool entities_only(std::string_view s) {
    for (auto at = s.find('&'); at != std::string_view::npos; at = s.find('&', at + 1)) {
        auto const rest = s.substr(at);
        if (!rest.starts_with("&amp;") && !rest.starts_with("&lt;") && !rest.starts_with("&gt;") &&
            !rest.starts_with("&quot;") && !rest.starts_with("&#39;"))
            return false;
    }
    return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view in(reinterpret_cast<char const*>(data), size);
    auto const escaped = http::html_escape(in);
    check(escaped.find_first_of("<>\"'") == std::string::npos, "escaped text holds no < > \" '", in);
    check(entities_only(escaped), "every & starts an entity", in);

    // The first line is the directory's display path; each further line a name (a POSIX name:
    // no '/' or NUL), the first byte of each saying directory or file.
    auto [display, rest] = fuzz::split_once(in);
    std::vector<http::ListingEntry> hostile, harmless;
    while (!rest.empty()) {
        auto [line, tail] = fuzz::split_once(rest);
        rest = tail;
        if (line.size() < 2 || line.find_first_of(std::string_view("/\0", 2)) != std::string_view::npos) continue;
        std::string name(line.substr(1));
        if (name == "." || name == "..") continue;
        bool const dir = line[0] & 1;
        hostile.push_back(
            {name, dir, std::uint64_t(line.size()) << (line[0] & 31), std::int64_t(line[0]) << 24, false});
    }
    std::string const display_path = "/" + std::string(display);
    // The same entries under names that sort alike and mean nothing to HTML.
    auto sorted = hostile;
    std::sort(sorted.begin(), sorted.end(), [](auto const& a, auto const& b) {
        return a.is_directory != b.is_directory ? a.is_directory : a.name < b.name;
    });
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        auto e = sorted[i];
        e.name = "n" + std::string(6 - std::to_string(i).size(), '0') + std::to_string(i);
        harmless.push_back(e);
    }
    auto const page = http::render_listing(display_path, "/d/", hostile);
    auto const plain = http::render_listing(display_path == "/" ? "/" : "/x", "/d/", harmless);
    for (char c : {'<', '>', '"'}) check(count(page, c) == count(plain, c), "hostile names add no markup", in);
    check(entities_only(page), "every & of the page starts an entity", in);
    for (auto const& e : hostile) {
        auto const t = http::parse_target("/d/" + http::encode_segment(e.name));
        if (e.name.find('\\') != std::string::npos) continue;  // read_directory leaves those out
        check(t && t->segments.size() == 2 && t->segments[1] == e.name, "a link parses back to its name", in);
    }
    return 0;
}
