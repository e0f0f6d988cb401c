// The answer to plain HTTP that arrives on the HTTPS port: a temporary redirect to the same
// URL over https when the Host is one this server answers to (host_check.hpp), a 403 naming
// --allow-host for a foreign one, else a page saying to use https. Temporary (307), so a
// browser does not remember it after the server runs without --tls. Pure; the session
// detects the plain request (its first byte is not a TLS record).
#pragma once
#include "server/http/config.hpp"
#include "server/http/request.hpp"

namespace wasmdev::http {

ResponsePlan answer_plain_http_on_tls_port(RequestHead const& req, Config const& cfg);

}  // namespace wasmdev::http
