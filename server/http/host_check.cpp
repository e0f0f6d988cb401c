#include "server/http/host_check.hpp"

#include <algorithm>

namespace wasmdev::http {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool valid_port(std::string_view p) {
    return !p.empty() && p.size() <= 5 && std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool valid_host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == ':' ||
           c == '[' || c == ']';
}

}  // namespace

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
    std::transform(host.begin(), host.end(), host.begin(), lower);
    if (!std::all_of(host.begin(), host.end(), valid_host_char)) return {};
    // A trailing dot names the same host ("localhost.").
    if (host.size() > 1 && host.back() == '.') host.pop_back();
    return host;
}

bool is_allowed_host(std::string_view host_header, std::string_view bind_address,
                     std::vector<std::string> const& allow_hosts) {
    auto host = host_without_port(host_header);
    if (host.empty()) return false;
    if (host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host.ends_with(".localhost")) return true;
    std::string bind(bind_address);
    std::transform(bind.begin(), bind.end(), bind.begin(), lower);
    if (host == bind || host == "[" + bind + "]") return true;
    for (auto const& allowed : allow_hosts)
        if (allowed == "*" || host_without_port(allowed) == host) return true;
    return false;
}

}  // namespace wasmdev::http
