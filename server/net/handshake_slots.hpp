// The cap on TLS handshakes in progress. A handshake holds OpenSSL's state and record buffers
// (tens of KiB) from the client's whole ClientHello until it ends, so a crowd of stalled
// handshakes must not each hold them: a session takes a slot before it creates any TLS state
// and gives it back when its handshake ends; at the cap it waits, in order of arrival, holding
// no buffers (docs/https.md, "Handshakes in progress").
#pragma once
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <unordered_map>
#include <utility>

#include <boost/asio/steady_timer.hpp>

#include "server/http/handler.hpp"
#include "server/net/connections.hpp"
#include "server/net/task.hpp"

namespace wasmdev::net {

// The cap for a server that serves at most max_connections at once: a quarter of them, at
// most 64 (a page load opens six connections per host, and a handshake takes a round trip),
// at least 1.
std::size_t handshake_cap(std::size_t max_connections);

class HandshakeSlots;

// A slot held by a session: given back at release() or when it goes out of scope.
class HandshakeSlot {
public:
    HandshakeSlot() = default;
    explicit HandshakeSlot(HandshakeSlots* slots) : slots_(slots) {}
    HandshakeSlot(HandshakeSlot&& o) noexcept : slots_(std::exchange(o.slots_, nullptr)) {}
    HandshakeSlot& operator=(HandshakeSlot&&) = delete;
    ~HandshakeSlot() { release(); }
    explicit operator bool() const { return slots_ != nullptr; }
    void release();

private:
    HandshakeSlots* slots_ = nullptr;
};

class HandshakeSlots {
public:
    explicit HandshakeSlots(std::size_t cap);

    // A slot, at once or after waiting for one; an empty one when the wait was ended by
    // Ctrl-C (ctl's interrupt). While it waits the session has no deadline: the wait is the
    // server's, not the client's, and the handshake gets its own once the slot comes.
    Task<HandshakeSlot> take(SessionControl& ctl, Executor ex);

    // take()'s steps, public for the unit tests. A waiter's timer never expires by itself: it
    // is cancelled on its own executor when a slot is handed to it, or by its interrupt.
    struct Waiter {
        explicit Waiter(Executor ex) : wake(ex, boost::asio::steady_timer::time_point::max()) {}
        boost::asio::steady_timer wake;
        std::uint64_t id = 0;
        bool granted = false;  // under the mutex
    };
    // Takes a slot at once (true), or queues w (false): then wait on w.wake and settle(w).
    bool take_or_queue(Waiter& w);
    // After w.wake ended (or when w goes away): true when a slot was handed to w, now the
    // caller's to give back; false, and w leaves the queue, when it was woken otherwise.
    bool settle(Waiter& w);
    // Ends a handshake: its slot passes to the first waiter, or back to the pool.
    void give_back();

    http::HandshakeStats const& stats() const { return stats_; }

private:
    std::mutex mutex_;
    std::size_t used_ = 0;
    std::list<Waiter*> queue_;
    // Waiters handed a slot whose wake-up is posted: found by id, so a wake-up that arrives
    // after its waiter went away touches nothing.
    std::unordered_map<std::uint64_t, Waiter*> handed_;
    std::uint64_t next_id_ = 0;
    http::HandshakeStats stats_;
};

}  // namespace wasmdev::net
