// The addresses of this machine's network interfaces (getifaddrs), for the names of the
// generated certificate when wasmdev listens on every interface. Link-local IPv6 addresses
// are left out (a browser cannot use them without a zone). Decides nothing else.
#pragma once
#include <string>
#include <vector>

namespace wasmdev::tls {

std::vector<std::string> local_addresses();

}  // namespace wasmdev::tls
