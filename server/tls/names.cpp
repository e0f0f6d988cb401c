#include "server/tls/names.hpp"

#include <arpa/inet.h>

#include <algorithm>

namespace wasmdev::tls {
namespace {

// The canonical text of an IPv4 or IPv6 address, or empty when text is not one.
std::string canonical_address(std::string_view text) {
    std::string s(text);
    if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
    char out[INET6_ADDRSTRLEN] = {};
    unsigned char bytes[16] = {};
    if (::inet_pton(AF_INET, s.c_str(), bytes) == 1) return ::inet_ntop(AF_INET, bytes, out, sizeof out);
    if (::inet_pton(AF_INET6, s.c_str(), bytes) == 1) return ::inet_ntop(AF_INET6, bytes, out, sizeof out);
    return {};
}

}  // namespace

bool is_dns_name(std::string_view name) {
    if (name.empty() || name.size() > 253 || !canonical_address(name).empty()) return false;
    std::size_t label = 0;
    char prev = '.';
    for (char c : name) {
        if (c == '.') {
            if (label == 0 || prev == '-') return false;
            label = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
            if (c == '-' && label == 0) return false;
            if (++label > 63) return false;
        } else {
            return false;
        }
        prev = c;
    }
    return label > 0 && prev != '-';
}

std::vector<std::string> leaf_names(std::string_view bind, std::vector<std::string> const& machine_addresses,
                                    std::vector<std::string> const& host_names) {
    std::vector<std::string> names{"localhost", "127.0.0.1", "::1"};
    auto const b = canonical_address(bind);
    if (b == "0.0.0.0" || b == "::") {
        for (auto const& a : machine_addresses)
            if (auto c = canonical_address(a); !c.empty()) names.push_back(std::move(c));
    } else if (!b.empty()) {
        names.push_back(b);
    }
    for (auto const& h : host_names) {
        if (auto c = canonical_address(h); !c.empty())
            names.push_back(std::move(c));
        else if (is_dns_name(h))
            names.push_back(h);
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

std::filesystem::path certificate_dir(char const* xdg_cache_home, char const* home) {
    std::filesystem::path base;
    if (xdg_cache_home && std::filesystem::path(xdg_cache_home).is_absolute())
        base = xdg_cache_home;
    else if (home && std::filesystem::path(home).is_absolute())
        base = std::filesystem::path(home) / ".cache";
    else
        return {};
    return base / "wasmdev" / "tls";
}

}  // namespace wasmdev::tls
