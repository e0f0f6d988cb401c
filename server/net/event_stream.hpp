// Live reload's Server-Sent Events on a connection whose head is out (docs/design.md#live-reload): each
// change the feed publishes (change_feed.hpp) becomes one chunk, an idle stream gets a heartbeat comment,
// and the stream ends at once when the server stops. An open stream is not counted against
// the connection limit. What to send is server/http/reload.cpp's; who may listen, too.
#pragma once
#include <cstdint>

#include "server/net/connections.hpp"
#include "server/net/task.hpp"
#include "server/net/transport.hpp"

namespace wasmdev::net {

// Streams until the client is gone or the server stops; returns the body bytes sent.
Task<std::uint64_t> stream_events(Transport& t, SessionHost& host, SessionControl& control);

}  // namespace wasmdev::net
