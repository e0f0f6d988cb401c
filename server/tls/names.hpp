// Which names wasmdev's generated certificate covers, and where its files live.
// Pure: takes the bind address and the machine's addresses as values; reading the
// environment and the network interfaces is the caller's (local_addresses.cpp, the CLI).
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::tls {

// localhost, 127.0.0.1, ::1 and the bind address; for a wildcard bind (0.0.0.0, ::) the
// machine's addresses instead, since a phone reaches the server at one of those. Addresses
// in canonical text form (no brackets), sorted, without duplicates; an entry that is not
// an IP address is dropped.
std::vector<std::string> leaf_names(std::string_view bind, std::vector<std::string> const& machine_addresses);

// $XDG_CACHE_HOME/wasmdev/tls, or ~/.cache/wasmdev/tls (the XDG rule: a relative or empty
// XDG_CACHE_HOME is ignored). Empty when neither variable gives an absolute path.
std::filesystem::path certificate_dir(char const* xdg_cache_home, char const* home);

}  // namespace wasmdev::tls
