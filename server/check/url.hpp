// URLs as `wasmdev check` follows them: the page's URL checked once (http or https, a host),
// references resolved against the URL that named them (RFC 3986 §5), origins compared as a
// browser does (scheme, host, port; default ports made explicit). Pure, on Boost.URL.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace wasmdev::check {

struct Target {
    std::string scheme{};  // "http" or "https"
    std::string host{};    // as written, IPv6 without brackets
    std::string port{};    // explicit or the scheme's default
    std::string target{};  // path and query, "/" at least; never a fragment
};

// The parts to connect to and ask for; nullopt with `error` set (one line naming the problem:
// "unsupported scheme ftp", "not a URL") otherwise.
std::optional<Target> split_url(std::string_view url, std::string& error);

// `ref` resolved against `base`, without fragment; nullopt when either is not a URL or the
// result is not http(s).
std::optional<std::string> resolve_url(std::string_view base, std::string_view ref);

// "https://example.com:443": scheme and host lowercased, the default port made explicit.
std::string origin_of(std::string_view url);

// The origin as a browser sends it in an Origin field: "https://example.com", the port only
// when it is not the scheme's default.
std::string origin_field(std::string_view url);

// The URL's path (percent-encoded, as sent), for extension lookups.
std::string path_of(std::string_view url);

// The host of a URL, lowercased ("" when not a URL).
std::string host_of(std::string_view url);

}  // namespace wasmdev::check
