#include "server/net/event_stream.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "server/http/chunked.hpp"
#include "server/http/reload.hpp"

namespace wasmdev::net {

namespace asio = boost::asio;

namespace {

using Timer =
    asio::basic_waitable_timer<std::chrono::steady_clock, asio::wait_traits<std::chrono::steady_clock>, Executor>;

// Shared with the feed's listener, which runs on the publisher's thread and may outlive this
// frame by a posted cancel: it only queues text and posts a cancel to the timer it keeps alive.
struct Mailbox {
    explicit Mailbox(Executor e) : timer(e) {}
    Timer timer;
    std::mutex mutex{};
    std::deque<std::string> events{};
    bool stop = false;  // touched on the session's thread only
};

iovec iov_of(std::string_view s) { return iovec{const_cast<char*>(s.data()), s.size()}; }

Task<bool> send_chunk(Transport& t, std::string_view payload) {
    http::ChunkSizeBuffer line;
    std::array<iovec, 3> iov{iov_of(http::chunk_size_line(payload.size(), line)), iov_of(payload),
                             iov_of(http::chunk_end)};
    bool const ok = co_await t.write_all(iov);
    t.not_waiting_for_client();  // between events the stream waits for the watcher, not the client
    co_return ok;
}

}  // namespace

Task<std::uint64_t> stream_events(Transport& t, SessionHost& host, SessionControl& control) {
    auto box = std::make_shared<Mailbox>(t.executor());
    auto const& feed = host.reload_feed;
    std::uint64_t const id = !feed.subscribe ? 0 : feed.subscribe([box](bool all, std::span<std::string const> paths) {
        {
            std::lock_guard lock(box->mutex);
            box->events.push_back(http::change_event(all, paths));
        }
        asio::post(box->timer.get_executor(), [box] { box->timer.cancel(); });
    });
    // From here the connection is an open tab's, not a request in flight: it leaves the
    // connection count, and a stop interrupts it (SessionHost::close_idle_sessions).
    ++host.event_streams;
    if (host.slot_freed) host.slot_freed();
    control.interrupt = [box] {
        box->stop = true;
        box->timer.cancel();
    };
    struct Leave {
        SessionHost& host;
        SessionControl& control;
        std::uint64_t id;
        ~Leave() {
            if (host.reload_feed.unsubscribe) host.reload_feed.unsubscribe(id);
            control.interrupt = nullptr;
            --host.event_streams;
        }
    } leave{host, control, id};

    // A tab that closes sends a FIN: the socket turns readable, and the stream ends now
    // rather than at its next heartbeat (a page reloading often would leave dead streams).
    // Nothing else may arrive on an event stream, so any readable byte ends it too.
    control.stream->socket().async_wait(Socket::wait_read, [box](boost::system::error_code ec) {
        if (ec) return;  // cancelled: the stream ended first
        box->stop = true;
        box->timer.cancel();
    });
    struct CancelWait {
        SessionControl& control;
        ~CancelWait() {
            boost::system::error_code ignored;  // cancelling a socket that is closing cannot matter
            control.stream->socket().cancel(ignored);
        }
    } cancel_wait{control};

    std::uint64_t sent = 0;
    auto const heartbeat = std::chrono::seconds(host.cfg->reload.heartbeat_s ? host.cfg->reload.heartbeat_s : 20);
    if (!co_await send_chunk(t, http::stream_preamble)) co_return sent;
    sent += http::stream_preamble.size();
    while (!host.stopping && !box->stop) {
        std::deque<std::string> ready;
        {
            std::lock_guard lock(box->mutex);
            ready.swap(box->events);
        }
        if (ready.empty()) {
            // No suspension between the check above and this wait: a change queued after the
            // check posts its cancel, which runs on this thread once the wait has begun.
            box->timer.expires_after(heartbeat);
            auto [ec] = co_await box->timer.async_wait(use_tuple);
            if (host.stopping || box->stop) break;
            std::lock_guard lock(box->mutex);
            if (!ec && box->events.empty())
                ready.emplace_back(http::heartbeat_event);
            else
                ready.swap(box->events);
        }
        for (auto const& e : ready) {
            if (!co_await send_chunk(t, e)) co_return sent;
            sent += e.size();
        }
    }
    // Stopping: end the body properly, so the browser sees a finished stream and reconnects.
    std::array<iovec, 1> last{iov_of(http::last_chunk)};
    t.write_now(last);
    co_return sent;
}

}  // namespace wasmdev::net
