#include "server/tls/local_addresses.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace wasmdev::tls {

std::vector<std::string> local_addresses() {
    std::vector<std::string> out;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) return out;  // then the certificate covers the loopback names only
    for (auto* i = list; i; i = i->ifa_next) {
        if (!i->ifa_addr) continue;
        char text[INET6_ADDRSTRLEN] = {};
        if (i->ifa_addr->sa_family == AF_INET) {
            auto const* a = reinterpret_cast<sockaddr_in const*>(i->ifa_addr);
            if (::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text)) out.emplace_back(text);
        } else if (i->ifa_addr->sa_family == AF_INET6) {
            auto const* a = reinterpret_cast<sockaddr_in6 const*>(i->ifa_addr);
            if (IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr)) continue;
            if (::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text)) out.emplace_back(text);
        }
    }
    ::freeifaddrs(list);
    return out;
}

std::vector<std::string> local_host_names() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || !name[0]) return {};
    std::string host = name;
    std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (host == "localhost") return {};  // answered on every bind already
    std::vector<std::string> out{host};
    auto const mdns = host.substr(0, host.find('.')) + ".local";
    if (mdns != host) out.push_back(mdns);
    return out;
}

}  // namespace wasmdev::tls
