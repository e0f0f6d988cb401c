// wasmdev's local certificate authority (docs/https.md): created once under the user's cache
// directory (a key and a self-signed certificate), and a leaf certificate for the names the
// server answers to, issued again when those names change or it nears expiry (reissue.hpp).
// OpenSSL 3. Knows nothing about sockets; the server loads the files this returns.
#pragma once
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wasmdev::tls {

inline constexpr std::time_t ca_lifetime = std::time_t(10) * 365 * 24 * 3600;

struct LocalCertificates {
    std::filesystem::path ca_cert{};   // what a phone or another machine must trust
    std::filesystem::path cert{};      // the leaf, then the CA: the chain the server sends
    std::filesystem::path key{};       // the leaf's key (mode 0600)
    std::vector<std::string> names{};  // what the leaf covers
    bool ca_created = false;           // this call created the CA (it must be trusted anew)
    std::string issued_because{};      // why this call issued the leaf; empty: reused
};

// Makes sure dir holds a CA and a leaf for names (created with mode 0700; keys 0600), under
// a lock so that two servers starting at once agree. ca_name is the CA's common name.
// On failure: nullopt and a one-line error naming the file and the fix.
std::optional<LocalCertificates> ensure_local_certificates(std::filesystem::path const& dir,
                                                           std::vector<std::string> const& names, std::time_t now,
                                                           std::string const& ca_name, std::string& error);

// Empty when cert_file holds a PEM certificate and key_file the (unencrypted) private key that
// belongs to it; otherwise the one-line reason.
std::string check_key_pair(std::filesystem::path const& cert_file, std::filesystem::path const& key_file);

}  // namespace wasmdev::tls
