#include "server/net/session.hpp"

#include "server/compress/cache.hpp"
#include "server/http/serialize.hpp"
#include "server/http/validators.hpp"

#include <spdlog/spdlog.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <array>
#include <span>
#include <cstdio>
#include <ctime>
#include <chrono>
#include <memory>
#include <memory_resource>
#include <optional>
#include <utility>

namespace wasmdev::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
// Every session runs on one io_context: its concrete executor type, not the type-erased
// any_io_executor, spares a copy through a vtable at every suspension point.
template <class T>
using Task = asio::awaitable<T, Executor>;
using Socket = Stream::socket_type;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock, asio::wait_traits<std::chrono::steady_clock>, Executor>;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable_t<Executor>{});
constexpr std::uint64_t small_file_limit = 64 * 1024;

// Timeouts are deadlines the session stores and the server's sweeper checks a few times a
// second (expire_overdue_sessions), instead of a timer armed and cancelled around every read
// and write: that cost two timer operations and a handler dispatch per request.
struct SessionControl {
    Stream* stream = nullptr;
    bool reading = false;  // touched only on the session's own thread (its io_context)
    std::atomic<std::int64_t> deadline{0};  // steady_clock ticks; 0: nothing pending

    void arm(std::chrono::seconds limit) {
        deadline.store((std::chrono::steady_clock::now() + limit).time_since_epoch().count(), std::memory_order_relaxed);
    }
    void disarm() { deadline.store(0, std::memory_order_relaxed); }
    bool overdue(std::int64_t now) const {
        auto const d = deadline.load(std::memory_order_relaxed);
        return d != 0 && now > d;
    }
};

void SessionHost::close_idle_sessions() {
    std::lock_guard lock(mutex);
    for (auto const& [id, s] : sessions) {
        asio::post(s->stream->get_executor(), [id, this] {
            std::lock_guard inner(mutex);
            auto it = sessions.find(id);
            if (it != sessions.end() && it->second->reading) it->second->stream->cancel();
        });
    }
}

void SessionHost::expire_overdue_sessions() {
    auto const now = std::chrono::steady_clock::now().time_since_epoch().count();
    std::lock_guard lock(mutex);
    for (auto const& [id, s] : sessions) {
        if (!s->overdue(now)) continue;
        // Closed on its own thread, where it is suspended in the overdue operation (or has
        // moved on, re-armed, and is no longer overdue): that operation ends with an error.
        asio::post(s->stream->get_executor(), [id, this] {
            std::lock_guard inner(mutex);
            auto it = sessions.find(id);
            if (it == sessions.end() || !it->second->overdue(std::chrono::steady_clock::now().time_since_epoch().count()))
                return;
            beast::error_code ignored;
            it->second->stream->socket().close(ignored);
        });
    }
}

namespace {

struct Registration {
    SessionHost& host;
    SessionControl control;
    std::uint64_t id = 0;
    Registration(SessionHost& h, Stream& s) : host(h) {
        control.stream = &s;
        std::lock_guard lock(host.mutex);
        id = ++host.next_session_id;
        host.sessions.emplace(id, &control);
    }
    ~Registration() {
        std::lock_guard lock(host.mutex);
        host.sessions.erase(id);
    }
};

// A request's header fields live in an arena on the session's frame, rebuilt per request:
// Beast allocates one node per field, so a browser's dozen headers cost a dozen mallocs.
using FieldsAllocator = std::pmr::polymorphic_allocator<char>;
using Request = bhttp::request<bhttp::string_body, bhttp::basic_fields<FieldsAllocator>>;
constexpr std::size_t fields_arena_bytes = 4096;  // larger heads (up to the limit) spill to the heap

http::RequestHead to_head(Request const& req) {
    http::RequestHead head;
    head.method = req.method_string();
    head.target = req.target();
    head.version = req.version();
    head.keep_alive = req.keep_alive();
    head.fields.reserve(16);  // a browser sends about a dozen; one allocation, no growth
    for (auto const& f : req) head.fields.emplace_back(f.name_string(), f.value());
    return head;
}

// After EAGAIN: waits for room in the socket, with the whole stall allowance for each wait.
// False when the sweeper closed the socket (the client stalled) or the peer did.
Task<bool> wait_writable(Socket& sock, SessionControl& ctl, std::chrono::seconds stall) {
    ctl.arm(stall);
    auto [ec] = co_await sock.async_wait(Socket::wait_write, use_tuple);
    co_return !ec;
}

// Streams [offset, offset+length) of fd with sendfile(2): zero-copy, and a stalled client
// costs a timer, not a thread. False when the client vanished or stalled, or the file shrank.
Task<bool> send_file_range(Socket& sock, SessionControl& ctl, int fd, std::uint64_t offset, std::uint64_t length,
                           std::chrono::seconds stall) {
    if (!sock.native_non_blocking()) sock.native_non_blocking(true);
    while (length > 0) {
        ctl.arm(stall);  // a body that keeps moving is never a stall, however long it takes
        off_t off = off_t(offset);
        auto n = ::sendfile(sock.native_handle(), fd, &off, std::min<std::uint64_t>(length, 1u << 22));
        if (n > 0) {
            offset += std::uint64_t(n);
            length -= std::uint64_t(n);
            continue;
        }
        if (n == 0) co_return false;  // truncated under us: the promised length cannot be kept
        if (errno == EINTR) continue;
        if (errno != EAGAIN || !co_await wait_writable(sock, ctl, stall)) co_return false;
    }
    co_return true;
}

void set_cork(Socket& s, bool on) {
    int v = on ? 1 : 0;
    // Best effort: without TCP_CORK the bytes are the same, only in more segments.
    ::setsockopt(s.native_handle(), IPPROTO_TCP, TCP_CORK, &v, sizeof v);
}

// The Date header, formatted once per second per thread.
std::string_view http_date_now() {
    thread_local std::time_t cached_second = 0;
    thread_local std::string cached;
    auto now = std::time(nullptr);
    if (now != cached_second) {
        cached_second = now;
        cached = http::format_http_date(now);
    }
    return cached;
}

iovec iov_of(std::string_view s) {
    return iovec{const_cast<char*>(s.data()), s.size()};
}

// Sends what the socket takes now, without waiting: the bytes sent (maybe 0), or -1 when the
// connection is gone.
ssize_t send_now(Socket& sock, std::span<iovec> iov) {
    if (!sock.native_non_blocking()) sock.native_non_blocking(true);
    msghdr msg{};
    msg.msg_iov = iov.data();
    msg.msg_iovlen = iov.size();
    for (;;) {
        auto const n = ::sendmsg(sock.native_handle(), &msg, MSG_NOSIGNAL);
        if (n >= 0) return n;
        if (errno == EINTR) continue;
        return errno == EAGAIN ? 0 : -1;
    }
}

// Small files are read into a buffer the thread's sessions share, not into one per session
// that would keep up to 64 KiB for the connection's life: send_response is done with it
// before its session can be suspended. Allocated once per thread, never zero-filled.
char* thread_file_buffer() {
    thread_local std::unique_ptr<char[]> const buffer(new char[small_file_limit]);
    return buffer.get();
}

// Writes every byte of iov with non-blocking sendmsg(2): as much per call as the socket takes
// (asio's async_write stops each call at 64 KiB), and a stalled client costs a deadline, not
// a thread. False when the client vanished or stalled.
Task<bool> send_all(Socket& sock, SessionControl& ctl, std::span<iovec> iov, std::chrono::seconds stall) {
    if (!sock.native_non_blocking()) sock.native_non_blocking(true);
    std::size_t first = 0;
    while (first < iov.size()) {
        ctl.arm(stall);  // a body that keeps moving is never a stall, however long it takes
        msghdr msg{};
        msg.msg_iov = iov.data() + first;
        msg.msg_iovlen = iov.size() - first;
        auto n = ::sendmsg(sock.native_handle(), &msg, MSG_NOSIGNAL);
        if (n >= 0) {
            auto left = std::size_t(n);
            for (; first < iov.size() && left >= iov[first].iov_len; ++first) left -= iov[first].iov_len;
            if (first < iov.size()) {
                iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
                iov[first].iov_len -= left;
            }
            continue;
        }
        if (errno == EINTR) continue;
        if (errno != EAGAIN || !co_await wait_writable(sock, ctl, stall)) co_return false;
    }
    co_return true;
}

// How a response went out.
enum class Sent {
    whole,    // every byte
    cut,      // not whole: the connection must be dropped (client gone or stalled, body cut short)
    nothing,  // not one byte: its compressed body failed before it began (the file changed)
};

// Streams a compressed body, after the response head, as the cache produces it: new bytes
// are written as soon as they exist, uncorked, so the first bytes of a cold 20 MB wasm leave
// within milliseconds; a warm body is one contiguous buffer that goes out with its head in a
// few large sends. (A copy into the socket, not sendfile from a memfd: the copy lands in
// large socket pages, which a local client, the usual bottleneck here, reads about 1.5x
// faster than a memfd's 4 KiB pages; see bench/README.md, "What moved the numbers".)
// The head waits for the first bytes (a millisecond or two): a compression that fails
// before them (the file changed) has promised nothing yet, and the request can be decided
// again instead of answered with a 200 cut short.
Task<Sent> write_stream(Stream& stream, SessionControl& ctl, std::string_view head, compress::Entry const& entry,
                        bool chunked, std::chrono::seconds stall) {
    static constexpr std::string_view crlf = "\r\n", crlf_last = "\r\n0\r\n\r\n", last = "0\r\n\r\n";
    Timer timer(stream.get_executor());
    std::uint64_t sent = 0;  // body bytes written so far
    for (;;) {
        auto const [state, bytes] = entry.view();
        bool const done = state == compress::Entry::State::done;
        bool const failed = state == compress::Entry::State::failed;
        if (failed && !head.empty()) co_return Sent::nothing;
        if (done || sent < bytes.size()) {
            std::array<char, 24> line;
            std::array<iovec, 4> iov;
            std::size_t n = 0;
            if (!head.empty()) iov[n++] = iov_of(std::exchange(head, {}));  // the head goes with the first bytes
            if (sent < bytes.size()) {
                auto const fresh = bytes.substr(std::size_t(sent));
                if (chunked) {
                    auto len = std::snprintf(line.data(), line.size(), "%zx\r\n", fresh.size());
                    iov[n++] = iov_of(std::string_view(line.data(), std::size_t(len)));
                }
                iov[n++] = iov_of(fresh);
                if (chunked) iov[n++] = iov_of(done ? crlf_last : crlf);  // the last chunk ends the body too
                sent = bytes.size();
            } else if (chunked) {
                iov[n++] = iov_of(last);  // done, nothing new: only the end of the body
            }
            if (n > 0 && !co_await send_all(stream.socket(), ctl, std::span(iov.data(), n), stall)) co_return Sent::cut;
            if (done) co_return Sent::whole;
        }
        // A compression that fails once bytes are out (the file changed under it) must not
        // end like a complete body: dropping the connection tells the client it is cut short.
        if (failed) co_return Sent::cut;
        // More bytes, or the end, arrived while we were sending: no need to wait.
        if (auto const now = entry.view(); sent < now.bytes.size() || now.state != compress::Entry::State::filling) continue;
        ctl.disarm();  // waiting for the compressor is not the client's stall
        timer.expires_after(std::chrono::milliseconds(2));
        co_await timer.async_wait(use_tuple);
    }
}

// Sends a response that is all in memory: in one call when the socket takes it all, as it
// almost always does; otherwise the rest goes out as the client reads. A body in the thread's
// file buffer is copied to `rest`, which the session owns, before anything can suspend;
// other bodies (the plan's own, shared or static) stay valid and are sent from where they are.
Task<bool> send_response(Socket& sock, SessionControl& ctl, std::string_view head, std::string_view body,
                         bool body_in_thread_buffer, std::string& rest, std::chrono::seconds stall) {
    std::array<iovec, 2> iov{iov_of(head), iov_of(body)};
    auto const sent = send_now(sock, iov);
    if (sent < 0) co_return false;
    auto const done = std::size_t(sent);
    if (done == head.size() + body.size()) co_return true;
    auto const head_left = done < head.size() ? head.substr(done) : std::string_view();
    auto body_left = body.substr(done - (head.size() - head_left.size()));
    if (body_in_thread_buffer) body_left = rest.assign(body_left);
    iov = {iov_of(head_left), iov_of(body_left)};
    bool const ok = co_await send_all(sock, ctl, iov, stall);
    if (body_in_thread_buffer) {
        rest.clear();
        rest.shrink_to_fit();  // a slow client's rest is not kept for the connection's life
    }
    co_return ok;
}

// Writes the plan's head and body.
Task<Sent> write_plan(Stream& stream, SessionControl& ctl, http::ResponsePlan const& plan, unsigned version,
                      bool keep_alive, std::chrono::seconds stall, std::string& head, std::string& rest) {
    http::serialize_head(plan, version, keep_alive, http_date_now(), head);
    bool const with_body = plan.send_body && http::status_has_body(plan.status);
    if (with_body && plan.stream)
        co_return co_await write_stream(stream, ctl, head, *plan.stream, !plan.content_length, stall);
    std::string_view body;
    bool const small_file = with_body && plan.file && plan.parts.size() == 1 && plan.parts[0].from_file &&
                            plan.parts[0].length <= small_file_limit;
    if (with_body) {
        if (small_file) {
            // Small files go out with their header in one write: one syscall, not three.
            char* const buffer = thread_file_buffer();
            auto const length = std::size_t(plan.parts[0].length);
            auto n = ::pread(plan.file->fd, buffer, length, off_t(plan.parts[0].offset));
            if (n != ssize_t(length)) co_return Sent::cut;  // truncated under us: the length cannot be kept
            body = std::string_view(buffer, length);
        } else if (plan.shared_body) {
            body = *plan.shared_body;
        } else if (!plan.static_body.empty()) {
            body = plan.static_body;
        } else if (!plan.file) {
            body = plan.body;
        }
    }
    if (!with_body || !plan.file || small_file) {
        bool const ok = co_await send_response(stream.socket(), ctl, head, body, small_file, rest, stall);
        co_return ok ? Sent::whole : Sent::cut;
    }

    // Files sent with sendfile go out corked: full-size segments instead of one push per call
    // (with TCP_NODELAY on, uncorked sendfile moved ~40 KB per call; corked, megabytes).
    set_cork(stream.socket(), true);
    struct Uncork {
        Socket& s;
        ~Uncork() { set_cork(s, false); }
    } uncork{stream.socket()};
    std::array<iovec, 1> head_only{iov_of(head)};
    if (!co_await send_all(stream.socket(), ctl, head_only, stall)) co_return Sent::cut;
    for (auto const& part : plan.parts) {
        std::array<iovec, 1> literal{iov_of(part.literal)};
        bool ok = part.from_file ? co_await send_file_range(stream.socket(), ctl, plan.file->fd, part.offset, part.length, stall)
                                 : co_await send_all(stream.socket(), ctl, literal, stall);
        if (!ok) co_return Sent::cut;
    }
    co_return Sent::whole;
}

std::string_view error_cause(beast::error_code ec, unsigned& status) {
    if (ec == bhttp::error::header_limit) {
        status = 431;
        return "The request's headers are too large.";
    }
    if (ec == bhttp::error::body_limit) {
        status = 413;
        return "The request's body is too large; this server only reads files.";
    }
    status = 400;
    if (ec == bhttp::error::bad_content_length || ec == bhttp::error::bad_transfer_encoding)
        return "The request's Content-Length or Transfer-Encoding is invalid or conflicting.";
    return "The request could not be parsed as HTTP/1.1.";
}

// Lingering close, as nginx and Apache do: after our FIN, read and drop what the client is
// still sending (the rest of oversized headers, a refused body), for at most 2 s and 1 MiB.
// Closing with unread input makes the kernel answer with a RST, and a RST can destroy the
// 400/431 response before the client has read it.
Task<void> drain_before_close(Stream& stream, SessionControl& ctl) {
    ctl.arm(std::chrono::seconds(2));
    std::array<char, 16 * 1024> sink;
    for (std::size_t total = 0; total < (1u << 20);) {
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
        if (ec) break;
        total += n;
    }
}

}  // namespace

Task<void> run_session(Stream stream, SessionHost& host, bool over_limit) {
    auto const& cfg = *host.cfg;
    std::chrono::seconds const stall{cfg.write_stall_timeout_s};
    Registration reg(host, stream);
    beast::error_code ignored;
    auto const peer = stream.socket().remote_endpoint(ignored);
    auto peer_text = fmt::format("{}:{}", peer.address().to_string(), peer.port());

    std::string head_bytes, rest;  // reused across the connection's responses
    if (over_limit) {
        auto plan = http::error_response(503, "Too many open connections; try again shortly.", cfg, true);
        co_await write_plan(stream, reg.control, plan, 11, false, stall, head_bytes, rest);
    }
    beast::flat_buffer buffer;
    alignas(std::max_align_t) std::array<std::byte, fields_arena_bytes> fields_arena;
    // Linger before closing only when the client may still be sending: after a request we
    // could not parse, or with unread input. A 503 over the connection limit never lingers.
    bool linger = false;
    while (!over_limit && !host.stopping) {
        std::pmr::monotonic_buffer_resource fields_memory(fields_arena.data(), fields_arena.size());
        bhttp::request_parser<bhttp::string_body, FieldsAllocator> parser(
            std::piecewise_construct, std::make_tuple(), std::make_tuple(FieldsAllocator(&fields_memory)));
        parser.header_limit(std::uint32_t(cfg.max_header_bytes));
        parser.body_limit(cfg.max_body_bytes);
        reg.control.arm(std::chrono::seconds(cfg.header_timeout_s));
        reg.control.reading = true;
        auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
        reg.control.reading = false;
        if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor ||
            ec == asio::error::connection_reset || ec == asio::error::eof) {
            spdlog::debug("{} closed: {}", peer_text, ec.message());
            break;
        }
        auto const started = std::chrono::steady_clock::now();
        if (ec) {
            unsigned status = 400;
            auto cause = error_cause(ec, status);
            auto plan = http::error_response(status, cause, cfg, true);
            co_await write_plan(stream, reg.control, plan, 11, false, stall, head_bytes, rest);
            spdlog::info("{} \"(unparsable request)\" {} - {}", peer_text, status, ec.message());
            linger = true;
            break;
        }
        auto const& req = parser.get();
        auto head = to_head(req);
        auto plan = http::handle(head, cfg, host.services);
        bool keep_alive = req.keep_alive() && !plan.close && !host.stopping;
        auto sent = co_await write_plan(stream, reg.control, plan, req.version(), keep_alive, stall, head_bytes, rest);
        if (sent == Sent::nothing) {
            // The file changed before its compressed body began: nothing was promised, so the
            // request is decided again and gets the file as it is now. Once: a file rewritten
            // without pause gets its connection dropped instead.
            plan = http::handle(head, cfg, host.services);
            keep_alive = req.keep_alive() && !plan.close && !host.stopping;
            sent = co_await write_plan(stream, reg.control, plan, req.version(), keep_alive, stall, head_bytes, rest);
        }
        bool const ok = sent == Sent::whole;
        auto const micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
        if (!plan.log_note.empty()) spdlog::warn("{} {}", req.target(), plan.log_note);
        // Body bytes: a streamed body's length is known only once it is done.
        auto const body_bytes = !plan.send_body ? 0
                                : plan.stream   ? plan.stream->total_size()
                                                : plan.content_length.value_or(0);
        spdlog::info("{} \"{} {}\" {} {} {} {:.1f}ms", peer_text, head.method, head.target, plan.status, body_bytes,
                     plan.coding, micros.count() / 1000.0);
        if (!ok || !keep_alive) {
            beast::error_code unread;
            linger = ok && (buffer.size() > 0 || stream.socket().available(unread) > 0);
            break;
        }
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);  // the peer may be gone already
    if (linger && !host.stopping) co_await drain_before_close(stream, reg.control);
    stream.close();
}

}  // namespace wasmdev::net
