// Certificates and keys in memory, with OpenSSL 3: create a key, a self-signed CA, a leaf
// signed by it; read a PEM certificate's facts (names, expiry, issuer). No files and no
// policy: local_ca.cpp decides what to create and where it goes.
#pragma once
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::tls {

struct FreeKey {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct FreeCert {
    void operator()(X509* c) const { X509_free(c); }
};
using Key = std::unique_ptr<EVP_PKEY, FreeKey>;
using Cert = std::unique_ptr<X509, FreeCert>;

// An ECDSA P-256 key: small, fast, and accepted by every browser.
Key make_key();
// A CA certificate for key, self-signed, valid from an hour before now for lifetime seconds.
Cert make_ca_cert(EVP_PKEY* key, std::string const& common_name, std::time_t now, std::time_t lifetime);
// A server certificate for names (host names and IP addresses) with leaf_key's public half,
// signed by the CA.
Cert make_leaf_cert(EVP_PKEY* leaf_key, X509* ca, EVP_PKEY* ca_key, std::vector<std::string> const& names,
                    std::time_t now, std::time_t lifetime);

// PEM text of a certificate or an unencrypted private key.
std::string to_pem(X509* cert);
std::string to_pem(EVP_PKEY* key);
// The first certificate / the private key in PEM text; null when there is none. Never asks
// for a passphrase: an encrypted key reads as none.
Cert cert_from_pem(std::string_view pem);
Key key_from_pem(std::string_view pem);

// The subjectAltNames (DNS names and IP addresses as text), and notAfter as a time_t.
std::vector<std::string> cert_names(X509* cert);
std::time_t cert_not_after(X509* cert);
// The CA's key signed cert.
bool issued_by(X509* cert, X509* ca);

}  // namespace wasmdev::tls
