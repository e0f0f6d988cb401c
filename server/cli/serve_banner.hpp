// What `serve` (and `build ... repl`) tell the user once the server listens: the URL line,
// how to reach an HTTPS server from a phone (docs/design.md#https), and the warnings about
// who can reach it (docs/design.md#host-check). Printing only; the server decides nothing here.
#pragma once
#include <cstdint>
#include <string>

#include "server/http/config.hpp"

namespace wasmdev::cli {

// cfg is the config the server was started with; url and port are where it listens.
// The URL line and the HTTPS lines go to stdout (flushed: scripts wait for them), the rest to the log.
void announce_server(http::Config const& cfg, std::string const& url, std::uint16_t port);

}  // namespace wasmdev::cli
