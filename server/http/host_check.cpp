#include "server/http/host_check.hpp"

#include <algorithm>
#include <boost/url/ipv4_address.hpp>
#include <boost/url/ipv6_address.hpp>
#include <optional>

#include "server/text/ascii.hpp"

namespace wasmdev::http {
namespace {

bool valid_port(std::string_view p) {
    return !p.empty() && p.size() <= 5 && std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool valid_host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == ':' ||
           c == '[' || c == ']';
}

// The 16 bytes of an IP address (IPv4 as its mapped IPv6 form), or nullopt for anything else.
std::optional<boost::urls::ipv6_address::bytes_type> address_bytes(std::string_view s) {
    if (auto v4 = boost::urls::parse_ipv4_address(s)) return boost::urls::ipv6_address(*v4).to_bytes();
    if (auto v6 = boost::urls::parse_ipv6_address(s)) return v6->to_bytes();
    return std::nullopt;
}

}  // namespace

bool is_loopback_address(std::string_view address) {
    if (auto v4 = boost::urls::parse_ipv4_address(address)) return v4->is_loopback();
    auto v6 = boost::urls::parse_ipv6_address(address);
    if (!v6) return false;
    if (v6->is_loopback()) return true;
    if (!v6->is_v4_mapped()) return false;
    auto const b = v6->to_bytes();
    return boost::urls::ipv4_address(boost::urls::ipv4_address::bytes_type{b[12], b[13], b[14], b[15]}).is_loopback();
}

std::string host_without_port(std::string_view v) {
    std::string host;
    if (v.starts_with('[')) {
        auto close = v.find(']');
        if (close == std::string_view::npos) return {};
        host = v.substr(0, close + 1);
        auto rest = v.substr(close + 1);
        if (!rest.empty() && !(rest.front() == ':' && valid_port(rest.substr(1)))) return {};
    } else {
        auto colon = v.find(':');
        host = v.substr(0, colon);
        if (colon != std::string_view::npos && !valid_port(v.substr(colon + 1))) return {};
    }
    host = text::lowercase(host);
    if (!std::all_of(host.begin(), host.end(), valid_host_char)) return {};
    // A trailing dot names the same host ("localhost.").
    if (host.size() > 1 && host.back() == '.') host.pop_back();
    return host;
}

bool is_allowed_host(std::string_view host_header, std::string_view bind_address,
                     std::vector<std::string> const& machine_names, std::vector<std::string> const& allow_hosts) {
    auto host = host_without_port(host_header);
    if (host.empty()) return false;
    if (host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host.ends_with(".localhost")) return true;
    std::string const bind = text::lowercase(bind_address);
    if (host == bind || host == "[" + bind + "]") return true;
    auto const unbracketed = host.starts_with('[') ? std::string_view(host).substr(1, host.size() - 2) : host;
    auto const host_address = host.starts_with('[')                   ? address_bytes(unbracketed)
                              : boost::urls::parse_ipv4_address(host) ? address_bytes(host)
                                                                      : std::nullopt;
    if (auto bound = address_bytes(bind); bound && host.starts_with('[') && host_address == bound) return true;
    // Beyond loopback, other devices reach the server by this machine's address or name. A
    // rebinding page is reached by a name its owner's DNS controls, never by an IP literal,
    // and this machine's own names resolve through the local network, not that DNS.
    if (!is_loopback_address(bind)) {
        if (host_address) return true;
        for (auto const& name : machine_names)
            if (host_without_port(name) == host) return true;
    }
    for (auto const& allowed : allow_hosts)
        if (allowed == "*" || host_without_port(allowed) == host) return true;
    return false;
}

std::string host_refusal(std::string_view host_header, bool loopback_bind) {
    auto name = host_without_port(host_header);
    if (name.empty()) name = "NAME";
    return "This server does not answer to the Host " + name + ": it answers only to " +
           (loopback_bind ? "localhost names" : "localhost names, IP addresses and this machine's own names") +
           ", so that no web page can reach it through DNS rebinding. If you trust this name, start wasmdev with "
           "--allow-host " +
           name + ".";
}

}  // namespace wasmdev::http
