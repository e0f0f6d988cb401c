// The addresses of this machine's network interfaces (getifaddrs), for the names of the
// generated certificate when wasmdev listens on every interface, and this machine's own host
// names, which the Host check answers to then. Link-local IPv6 addresses are left out (a
// browser cannot use them without a zone). Decides nothing else.
#pragma once
#include <string>
#include <vector>

namespace wasmdev::tls {

std::vector<std::string> local_addresses();

// gethostname(), and its first label with ".local", the name mDNS (Avahi, Bonjour) gives this
// machine on the local network. Lower case, without duplicates; empty when there is no name.
std::vector<std::string> local_host_names();

}  // namespace wasmdev::tls
