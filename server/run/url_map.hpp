// `run --map URL-PREFIX=DIR`: requests whose URL starts with URL-PREFIX are answered from DIR
// inside the browser (the DevTools Fetch domain), so a page that loads scripts from a CDN
// runs offline. This file holds the pure decisions: the flag's syntax, which map a URL falls
// under and the path segments below DIR it names, and the Fetch URL pattern for a prefix.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::run {

struct UrlMap {
    std::string prefix{};         // "https://unpkg.com/xterm@4.18.0/": scheme, host, a path ending in '/'
    std::filesystem::path dir{};  // as given; the caller makes it canonical before serving from it
};

// A mapped file larger than this is answered 500: the body travels base64-encoded in one
// DevTools message, which wasmdev builds in memory.
inline constexpr std::uint64_t max_mapped_bytes = std::uint64_t(32) << 20;

// "URL-PREFIX=DIR", split at the first '='. nullopt and `error` (one sentence) when the prefix
// is not an http:// or https:// URL with a host and a path ending in '/', has a query, a
// fragment or a wildcard, or DIR is empty. Does not look at the file system.
std::optional<UrlMap> parse_url_map(std::string_view value, std::string& error);

// Where a request's URL falls: the index of the first map whose prefix it starts with, and
// the decoded path segments below that map's DIR (the query and fragment dropped; dot
// segments resolved without ever climbing above DIR, as the server does for its own root).
struct MappedUrl {
    std::size_t map = 0;
    std::vector<std::string> segments{};
    bool names_directory = false;  // ends in '/' (or is the prefix itself): no file to answer with
};
enum class MapMatch { not_mapped, mapped, invalid };
struct MapResult {
    MapMatch match = MapMatch::not_mapped;
    MappedUrl url{};
};
MapResult map_url(std::vector<UrlMap> const& maps, std::string_view url);

// The Fetch.enable urlPattern matching every URL under prefix: the prefix with the pattern's
// wildcards ('*', '?') and its escape ('\') escaped, then '*'.
std::string fetch_pattern(std::string_view prefix);

}  // namespace wasmdev::run
