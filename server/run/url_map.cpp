// The pure decisions of `run --map` (see url_map.hpp).
#include "server/run/url_map.hpp"

#include "server/http/target.hpp"
#include "server/text/ascii.hpp"

namespace wasmdev::run {

std::optional<UrlMap> parse_url_map(std::string_view value, std::string& error) {
    auto eq = value.find('=');
    if (eq == std::string_view::npos) {
        error = "want URL-PREFIX=DIR";
        return std::nullopt;
    }
    std::string prefix(value.substr(0, eq));
    auto dir = value.substr(eq + 1);
    std::size_t scheme_end = 0;
    for (std::string_view scheme : {"http://", "https://"})
        if (text::istarts_with(prefix, scheme)) scheme_end = scheme.size();
    if (scheme_end == 0) {
        error = "URL-PREFIX must start with http:// or https:// and name a host";
        return std::nullopt;
    }
    auto slash = prefix.find('/', scheme_end);
    if (slash == std::string::npos || slash == scheme_end) {
        error = "URL-PREFIX must name a host and a path ending in '/' (https://host/path/)";
        return std::nullopt;
    }
    if (prefix.back() != '/') {
        error = "URL-PREFIX must end in '/' (it names a directory: https://host/path/)";
        return std::nullopt;
    }
    if (prefix.find_first_of("?#*\\") != std::string::npos) {
        error = "URL-PREFIX must not hold '?', '#', '*' or '\\'";
        return std::nullopt;
    }
    for (unsigned char c : prefix)
        if (c <= 0x20 || c >= 0x7f) {
            error = "URL-PREFIX must be an encoded URL (no spaces, controls or raw non-ASCII bytes)";
            return std::nullopt;
        }
    if (dir.empty()) {
        error = "DIR is empty";
        return std::nullopt;
    }
    // The browser reports URLs with the scheme and host in lower case.
    for (std::size_t i = 0; i < slash; ++i) prefix[i] = text::lower(prefix[i]);
    return UrlMap{std::move(prefix), std::filesystem::path(std::string(dir))};
}

MapResult map_url(std::vector<UrlMap> const& maps, std::string_view url) {
    MapResult r;
    for (std::size_t i = 0; i < maps.size(); ++i) {
        if (!url.starts_with(maps[i].prefix)) continue;
        auto rest = url.substr(maps[i].prefix.size());
        rest = rest.substr(0, rest.find_first_of("?#"));
        // The server's own parsing of a request path: percent-decoding, dot segments resolved
        // below the root, segments holding '/', '\' or NUL refused.
        auto t = http::parse_target("/" + std::string(rest));
        if (!t) {
            r.match = MapMatch::invalid;
            r.url.map = i;
            return r;
        }
        r.match = MapMatch::mapped;
        r.url = {i, std::move(t->segments), t->trailing_slash};
        return r;
    }
    return r;
}

std::string fetch_pattern(std::string_view prefix) {
    std::string out;
    for (char c : prefix) {
        if (c == '*' || c == '?' || c == '\\') out += '\\';
        out += c;
    }
    return out + '*';
}

}  // namespace wasmdev::run
