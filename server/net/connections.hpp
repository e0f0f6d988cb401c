// The live connections of a server and their deadlines: each session registers a control
// block; the server's sweeper closes those whose read or write is overdue (header timeout,
// write stall) and, at shutdown, those waiting for a request. Moves no bytes, knows no HTTP.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "server/http/handler.hpp"
#include "server/net/change_feed.hpp"
#include "server/net/task.hpp"

namespace wasmdev::net {

class AccessLog;
class HandshakeSlots;

// Timeouts are deadlines the session stores and the sweeper checks a few times a second,
// instead of a timer armed and cancelled around every read and write: that cost two timer
// operations and a handler dispatch per request.
struct SessionControl {
    Stream* stream = nullptr;
    bool reading = false;                   // touched only on the session's own thread (its io_context)
    std::atomic<std::int64_t> deadline{0};  // steady_clock ticks; 0: nothing pending
    std::function<void()> interrupt{};      // set while an event stream waits: ends it (session's thread only)

    void arm(std::chrono::seconds limit) {
        deadline.store((std::chrono::steady_clock::now() + limit).time_since_epoch().count(),
                       std::memory_order_relaxed);
    }
    void disarm() { deadline.store(0, std::memory_order_relaxed); }
    bool overdue(std::int64_t now) const {
        auto const d = deadline.load(std::memory_order_relaxed);
        return d != 0 && now > d;
    }
};

// What sessions share with the server that owns them.
struct SessionHost {
    http::Config const* cfg = nullptr;
    http::Services services{};
    AccessLog* access_log = nullptr;  // nullptr: --quiet
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> active{0};
    std::atomic<std::size_t> responses_being_sent{0};  // begun, not yet all taken by the client (session.cpp)
    std::mutex mutex{};
    // Live sessions by an id never reused: work posted to a session's thread finds it by id,
    // so it cannot touch a newer session that happens to live at a freed one's address.
    std::unordered_map<std::uint64_t, SessionControl*> sessions{};
    std::uint64_t next_session_id = 0;  // under mutex
    // Live reload (event_stream.cpp): the changes event streams listen to (empty: streams get
    // only heartbeats), the open event streams (not counted against the connection limit), and
    // what tells the accept loop that a connection left the count.
    ChangeFeed reload_feed{};
    std::atomic<std::size_t> event_streams{0};
    std::function<void()> slot_freed{};
    // With TLS: the cap on handshakes in progress (handshake_slots.hpp); nullptr without.
    HandshakeSlots* handshakes = nullptr;

    // Asks every session that is waiting for a request to close, and ends every event
    // stream (open tabs never keep Ctrl-C waiting); busy ones finish first.
    void close_idle_sessions();

    // Closes every session whose current read or write has passed its deadline (header
    // timeout, write stall). The server calls it a few times a second.
    void expire_overdue_sessions();
};

// A session's entry in its host's registry, for the session's lifetime.
struct Registration {
    SessionHost& host;
    SessionControl control;
    std::uint64_t id = 0;
    Registration(SessionHost& h, Stream& s);
    ~Registration();
    Registration(Registration const&) = delete;
    Registration& operator=(Registration const&) = delete;
};

}  // namespace wasmdev::net
