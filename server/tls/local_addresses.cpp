#include "server/tls/local_addresses.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

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

}  // namespace wasmdev::tls
