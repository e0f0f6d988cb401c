// The server's TLS settings as an OpenSSL context (docs/design.md#https): TLS 1.2 and 1.3 only, OpenSSL's
// default ciphers, session resumption on (a server-side cache and tickets), ALPN http/1.1.
// Loads the files http::TlsSettings names; which certificate to use is the CLI's decision.
#pragma once
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "server/http/config_tls.hpp"

namespace wasmdev::net {

// The context, or nullptr with a one-line reason in error.
std::unique_ptr<boost::asio::ssl::context> make_tls_context(http::TlsSettings const& tls, std::string& error);

}  // namespace wasmdev::net
