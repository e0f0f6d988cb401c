#include "server/tls/certificate.hpp"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace wasmdev::tls {
namespace {

struct FreeBio {
    void operator()(BIO* b) const { BIO_free(b); }
};
using Bio = std::unique_ptr<BIO, FreeBio>;

// Allocation failures inside OpenSSL are programming-level failures here: there is no
// sensible partial certificate.
[[noreturn]] void fail(char const* what) {
    char text[256] = {};
    ERR_error_string_n(ERR_get_error(), text, sizeof text);
    ERR_clear_error();
    throw std::runtime_error(std::string(what) + ": " + text);
}

void add_ext(X509* cert, X509* issuer, int nid, char const* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext) fail("cannot build a certificate extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

// A new certificate: version 3, a random positive 127-bit serial (RFC 5280 §4.1.2.2),
// notBefore an hour back (clocks of phones drift), the subject and key.
Cert new_cert(EVP_PKEY* key, char const* organisation, std::string const& common_name, std::time_t now,
              std::time_t lifetime) {
    Cert cert(X509_new());
    if (!cert) fail("X509_new");
    X509_set_version(cert.get(), X509_VERSION_3);
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1) fail("RAND_bytes");
    serial[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    ASN1_TIME_set(X509_getm_notBefore(cert.get()), now - 3600);
    ASN1_TIME_set(X509_getm_notAfter(cert.get()), now + lifetime);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<unsigned char const*>(organisation), -1, -1,
                               0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<unsigned char const*>(common_name.c_str()),
                               -1, -1, 0);
    X509_set_pubkey(cert.get(), key);
    return cert;
}

bool is_ip_address(std::string const& s) {
    unsigned char buf[16];
    return ::inet_pton(AF_INET, s.c_str(), buf) == 1 || ::inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// Refuses to prompt on the terminal for an encrypted key's passphrase.
int no_passphrase(char*, int, int, void*) { return -1; }

}  // namespace

Key make_key() {
    Key key(EVP_EC_gen("P-256"));
    if (!key) fail("cannot create a P-256 key");
    return key;
}

Cert make_ca_cert(EVP_PKEY* key, std::string const& common_name, std::time_t now, std::time_t lifetime) {
    auto cert = new_cert(key, "wasmdev development CA", common_name, now, lifetime);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
    add_ext(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    add_ext(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
    if (X509_sign(cert.get(), key, EVP_sha256()) == 0) fail("cannot sign the CA certificate");
    return cert;
}

Cert make_leaf_cert(EVP_PKEY* leaf_key, X509* ca, EVP_PKEY* ca_key, std::vector<std::string> const& names,
                    std::time_t now, std::time_t lifetime) {
    // Browsers match the subjectAltNames alone; the subject only names the certificate for people.
    auto cert = new_cert(leaf_key, "wasmdev development certificate", "wasmdev localhost", now, lifetime);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(ca));
    std::string san;
    for (auto const& n : names) san += (san.empty() ? "" : ",") + std::string(is_ip_address(n) ? "IP:" : "DNS:") + n;
    add_ext(cert.get(), ca, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(cert.get(), ca, NID_key_usage, "critical,digitalSignature");
    add_ext(cert.get(), ca, NID_ext_key_usage, "serverAuth");
    add_ext(cert.get(), ca, NID_subject_key_identifier, "hash");
    add_ext(cert.get(), ca, NID_authority_key_identifier, "keyid:always");
    if (!san.empty()) add_ext(cert.get(), ca, NID_subject_alt_name, san.c_str());
    if (X509_sign(cert.get(), ca_key, EVP_sha256()) == 0) fail("cannot sign the certificate");
    return cert;
}

std::string to_pem(X509* cert) {
    Bio bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    char* data = nullptr;
    auto const n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, std::size_t(n));
}

std::string to_pem(EVP_PKEY* key) {
    Bio bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    auto const n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, std::size_t(n));
}

Cert cert_from_pem(std::string_view pem) {
    Bio bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
    Cert cert(PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr));
    ERR_clear_error();
    return cert;
}

Key key_from_pem(std::string_view pem) {
    Bio bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
    Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
    ERR_clear_error();
    return key;
}

std::vector<std::string> cert_names(X509* cert) {
    std::vector<std::string> out;
    auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    if (!names) return out;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
        GENERAL_NAME const* n = sk_GENERAL_NAME_value(names, i);
        if (n->type == GEN_DNS) {
            auto const* s = n->d.dNSName;
            out.emplace_back(reinterpret_cast<char const*>(ASN1_STRING_get0_data(s)),
                             std::size_t(ASN1_STRING_length(s)));
        } else if (n->type == GEN_IPADD) {
            auto const* s = n->d.iPAddress;
            char text[INET6_ADDRSTRLEN] = {};
            int const family = ASN1_STRING_length(s) == 4 ? AF_INET : ASN1_STRING_length(s) == 16 ? AF_INET6 : 0;
            if (family && ::inet_ntop(family, ASN1_STRING_get0_data(s), text, sizeof text)) out.emplace_back(text);
        }
    }
    GENERAL_NAMES_free(names);
    return out;
}

std::time_t cert_not_after(X509* cert) {
    std::tm tm{};
    if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) return 0;
    return ::timegm(&tm);
}

bool issued_by(X509* cert, X509* ca) {
    EVP_PKEY* ca_key = X509_get0_pubkey(ca);
    bool const ok = ca_key && X509_check_issued(ca, cert) == X509_V_OK && X509_verify(cert, ca_key) == 1;
    ERR_clear_error();
    return ok;
}

}  // namespace wasmdev::tls
