// One HTTP/1.x connection (SPEC §2.7): read a request, call handle(), write the plan,
// repeat. Pipelined requests are answered in order because each is read after the
// previous answer is written. Decides nothing about HTTP semantics.
#pragma once
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "server/http/handler.hpp"

namespace wasmdev::net {

struct SessionControl;

using Executor = boost::asio::io_context::executor_type;
using Stream = boost::beast::basic_stream<boost::asio::ip::tcp, Executor>;

// What sessions share with the server that owns them.
struct SessionHost {
    http::Config const* cfg = nullptr;
    http::Services services{};
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> active{0};
    std::mutex mutex{};
    // Live sessions by an id never reused: work posted to a session's thread finds it by id,
    // so it cannot touch a newer session that happens to live at a freed one's address.
    std::unordered_map<std::uint64_t, SessionControl*> sessions{};
    std::uint64_t next_session_id = 0;  // under mutex

    // Asks every session that is waiting for a request to close; busy ones finish first.
    void close_idle_sessions();

    // Closes every session whose current read or write has passed its deadline (header
    // timeout, write stall). The server calls it a few times a second.
    void expire_overdue_sessions();
};

boost::asio::awaitable<void, Executor> run_session(Stream stream, SessionHost& host, bool over_limit);

}  // namespace wasmdev::net
