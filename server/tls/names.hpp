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
// machine's addresses instead, since a phone reaches the server at one of those. Then the
// host names the server answers to besides localhost (the machine's own names on a bind
// beyond loopback, --allow-host names): https://mylaptop.local:8443/ must verify as well as
// pass the Host check. Addresses in canonical text form (no brackets); an address that is not
// one is dropped, and so is a host name that is not plain DNS (letters, digits, '-' and dots:
// a comma or a colon would be another entry in OpenSSL's subjectAltName text). Sorted,
// without duplicates.
std::vector<std::string> leaf_names(std::string_view bind, std::vector<std::string> const& machine_addresses,
                                    std::vector<std::string> const& host_names = {});

// Pure: a host name a certificate may carry as a DNS subjectAltName: dot-separated labels of
// 1-63 letters, digits and '-' (not first or last), at most 253 characters, not an address.
bool is_dns_name(std::string_view name);

// $XDG_CACHE_HOME/wasmdev/tls, or ~/.cache/wasmdev/tls (the XDG rule: a relative or empty
// XDG_CACHE_HOME is ignored). Empty when neither variable gives an absolute path.
std::filesystem::path certificate_dir(char const* xdg_cache_home, char const* home);

}  // namespace wasmdev::tls
