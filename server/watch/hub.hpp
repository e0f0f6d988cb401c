// Where reload events meet their listeners: the watcher publishes each debounced Change,
// every open event stream (server/net/) subscribes and is called on the publisher's
// thread (it must only hand the event to its own thread). Knows nothing of HTTP.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

#include "server/watch/debounce.hpp"

namespace wasmdev::watch {

class Hub {
public:
    using Listener = std::function<void(Change const&)>;
    // A handle; 0 is never returned.
    std::uint64_t subscribe(Listener listener);
    void unsubscribe(std::uint64_t id);
    void publish(Change const& change);
    std::size_t listeners() const;
    std::uint64_t published() const;  // events so far

private:
    mutable std::mutex mutex_;
    std::map<std::uint64_t, Listener> listeners_;
    std::uint64_t next_id_ = 0;
    std::uint64_t published_ = 0;
};

}  // namespace wasmdev::watch
