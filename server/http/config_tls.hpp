// HTTPS's settings (--tls, --cert, --key; docs/design.md#https): whether the server speaks TLS
// and the PEM files it loads. The CLI fills them: with --tls alone from the certificate wasmdev
// issued itself (server/tls/), with --cert/--key from the user's files. net/tls_context.cpp
// turns them into an OpenSSL context; nothing else about TLS lives here.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace wasmdev::http {

struct TlsSettings {
    bool enabled = false;
    std::filesystem::path cert_file{};  // PEM: the leaf, then its chain
    std::filesystem::path key_file{};   // PEM, unencrypted
    std::filesystem::path ca_file{};    // wasmdev's local CA (to trust on a phone); empty for --cert
    std::vector<std::string> names{};   // what wasmdev's leaf covers; empty for --cert
};

}  // namespace wasmdev::http
