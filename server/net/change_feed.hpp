// What live reload's event streams listen to (docs/design.md#live-reload): a subscription to
// changes under ROOT. The command that starts the server connects it to the watch folder's hub
// (cli/serve_wiring.cpp); net/ knows only these two calls, not who watches or how.
#pragma once
#include <cstdint>
#include <functional>
#include <span>
#include <string>

namespace wasmdev::net {

struct ChangeFeed {
    // One change: every page reloads (all), or the pages that use one of paths ("/app.js").
    // Called on the publisher's thread: a listener only hands the change to its own thread.
    using Listener = std::function<void(bool all, std::span<std::string const> paths)>;
    // Returns a handle for unsubscribe. Once unsubscribe returns, the listener is never called again.
    std::function<std::uint64_t(Listener)> subscribe{};
    std::function<void(std::uint64_t)> unsubscribe{};
};

}  // namespace wasmdev::net
