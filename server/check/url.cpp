// URL splitting, resolution and origins for check (url.hpp).
#include "server/check/url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "server/text/ascii.hpp"

namespace wasmdev::check {
namespace {

std::string default_port(std::string_view scheme) { return scheme == "https" ? "443" : "80"; }

}  // namespace

std::optional<Target> split_url(std::string_view url, std::string& error) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) {
        error = "not an absolute URL (expected http://HOST/... or https://HOST/...)";
        return std::nullopt;
    }
    auto const& u = *parsed;
    Target t;
    t.scheme = text::lowercase(u.scheme());
    if (t.scheme != "http" && t.scheme != "https") {
        error = "unsupported scheme " + t.scheme + " (only http and https)";
        return std::nullopt;
    }
    if (!u.has_authority() || u.encoded_host().empty()) {
        error = "the URL names no host";
        return std::nullopt;
    }
    if (u.has_userinfo()) {
        error = "credentials in the URL are not supported";
        return std::nullopt;
    }
    t.host = u.host_type() == boost::urls::host_type::ipv6 ? std::string(u.encoded_host_address())
                                                           : std::string(u.encoded_host());
    t.port = u.has_port() && !u.port().empty() ? std::string(u.port()) : default_port(t.scheme);
    t.target = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
    if (u.has_query()) t.target += "?" + std::string(u.encoded_query());
    return t;
}

std::optional<std::string> resolve_url(std::string_view base, std::string_view ref) {
    auto b = boost::urls::parse_uri(base);
    auto r = boost::urls::parse_uri_reference(ref);
    if (!b || !r) return std::nullopt;
    boost::urls::url out;
    if (!boost::urls::resolve(*b, *r, out)) return std::nullopt;
    out.remove_fragment();
    auto scheme = text::lowercase(out.scheme());
    if (scheme != "http" && scheme != "https") return std::nullopt;
    return std::string(out.buffer());
}

std::string origin_of(std::string_view url) {
    auto u = boost::urls::parse_uri(url);
    if (!u) return {};
    auto scheme = text::lowercase(u->scheme());
    auto port = u->has_port() && !u->port().empty() ? std::string(u->port()) : default_port(scheme);
    return scheme + "://" + text::lowercase(u->encoded_host()) + ":" + port;
}

std::string origin_field(std::string_view url) {
    auto u = boost::urls::parse_uri(url);
    if (!u) return {};
    auto scheme = text::lowercase(u->scheme());
    auto out = scheme + "://" + text::lowercase(u->encoded_host());
    if (u->has_port() && !u->port().empty() && u->port() != default_port(scheme)) out += ":" + std::string(u->port());
    return out;
}

std::string path_of(std::string_view url) {
    auto u = boost::urls::parse_uri(url);
    return u ? std::string(u->encoded_path()) : std::string();
}

std::string host_of(std::string_view url) {
    auto u = boost::urls::parse_uri(url);
    return u ? text::lowercase(u->encoded_host()) : std::string();
}

}  // namespace wasmdev::check
