// Live reload's settings (docs/design.md#live-reload, docs/reload.md): whether HTML pages get
// the client, the token that guards the event stream, and the streams' bounds. Read by
// reload.cpp's checks and net/'s event stream; the watcher's wiring is the CLI's
// (cli/serve_wiring.cpp).
#pragma once
#include <cstddef>
#include <string>

namespace wasmdev::http {

struct ReloadOptions {
    bool enabled = false;
    std::string token{};                  // per process; net/server.cpp makes one when empty
    std::size_t max_event_streams = 256;  // open tabs; each holds a descriptor
    unsigned quiet_ms = 200;              // writes settle this long before an event
    unsigned heartbeat_s = 20;            // a comment on an idle stream, so proxies keep it
};

}  // namespace wasmdev::http
