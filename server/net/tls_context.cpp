#include "server/net/tls_context.hpp"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

namespace wasmdev::net {
namespace {

// ALPN (RFC 7301): this server speaks HTTP/1.1 only. A client that offers only other protocols
// goes on without ALPN rather than failing the handshake (what nginx does).
int select_alpn(SSL*, unsigned char const** out, unsigned char* outlen, unsigned char const* in, unsigned inlen,
                void*) {
    static unsigned char const ours[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    unsigned char* chosen = nullptr;
    if (SSL_select_next_proto(&chosen, outlen, ours, sizeof ours, in, inlen) != OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    *out = chosen;
    return SSL_TLSEXT_ERR_OK;
}

std::string openssl_error() {
    char text[256] = {};
    ERR_error_string_n(ERR_get_error(), text, sizeof text);
    ERR_clear_error();
    return text;
}

}  // namespace

std::unique_ptr<boost::asio::ssl::context> make_tls_context(http::TlsSettings const& tls, std::string& error) {
    namespace ssl = boost::asio::ssl;
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    SSL_CTX* h = ctx->native_handle();
    SSL_CTX_set_min_proto_version(h, TLS1_2_VERSION);
    SSL_CTX_set_options(h, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    // OpenSSL's read and write buffers (about 34 KiB) are freed while a connection has nothing
    // in flight: an idle keep-alive connection, of which a browser keeps several, holds none.
    SSL_CTX_set_mode(h, SSL_MODE_RELEASE_BUFFERS);
    // Resumption: a browser opens six connections at once and reconnects after idling; a
    // resumed handshake skips the signature. Tickets are on by default; the cache is per process.
    SSL_CTX_set_session_cache_mode(h, SSL_SESS_CACHE_SERVER);
    static unsigned char const sid_ctx[] = "wasmdev";
    SSL_CTX_set_session_id_context(h, sid_ctx, sizeof sid_ctx - 1);
    SSL_CTX_set_alpn_select_cb(h, select_alpn, nullptr);
    // Never prompt on the terminal for a passphrase (the CLI refuses encrypted keys first).
    SSL_CTX_set_default_passwd_cb(h, [](char*, int, int, void*) { return 0; });
    if (SSL_CTX_use_certificate_chain_file(h, tls.cert_file.c_str()) != 1) {
        error = fmt::format("cannot load the certificate {}: {}", tls.cert_file.string(), openssl_error());
        return nullptr;
    }
    if (SSL_CTX_use_PrivateKey_file(h, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(h) != 1) {
        error = fmt::format("cannot use the key {} with {}: {}", tls.key_file.string(), tls.cert_file.string(),
                            openssl_error());
        return nullptr;
    }
    return ctx;
}

}  // namespace wasmdev::net
