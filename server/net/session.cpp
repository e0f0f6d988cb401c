#include "server/net/session.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/optional.hpp>
#include <cerrno>
#include <chrono>
#include <memory_resource>
#include <optional>

#include "server/http/access_line.hpp"
#include "server/http/parse_error.hpp"
#include "server/http/plain_on_tls.hpp"
#include "server/http/request_warning.hpp"
#include "server/http/unsent.hpp"
#include "server/net/access_log.hpp"
#include "server/net/event_stream.hpp"
#include "server/net/handshake_slots.hpp"
#include "server/net/tls_connection.hpp"
#include "server/net/tls_opening.hpp"
#include "server/net/writer.hpp"

namespace wasmdev::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

// A request's header fields live in an arena on the session's frame, rebuilt per request:
// Beast allocates one node per field, so a browser's dozen headers cost a dozen mallocs.
using FieldsAllocator = std::pmr::polymorphic_allocator<char>;
using Fields = bhttp::basic_fields<FieldsAllocator>;
constexpr std::size_t fields_arena_bytes = 4096;  // larger heads (up to the limit) spill to the heap

// A request body is read and dropped, never held: this server only reads files. What it
// keeps is the head's fields as they were when the head was done (init() runs then, before
// the body): Beast adds trailer fields to the header's, and a trailer must not become a
// header. A copy of the views, not a count: Beast keeps fields of one name together, so a
// trailer named like a head field lands among the head's fields, not after them.
struct DroppedBody {
    using FieldViews = std::vector<std::pair<std::string_view, std::string_view>>;
    struct value_type {
        std::uint64_t bytes = 0;
        bool had_body = false;
        FieldViews head_fields{};  // views into Beast's field nodes, which trailers never move
    };
    class reader {
        void const* head_;
        void (*copy_fields_)(void const*, FieldViews&);  // Beast checks the concept with a model of Fields
        value_type& body_;

    public:
        template <bool isRequest, class AnyFields>
        reader(bhttp::header<isRequest, AnyFields>& h, value_type& b)
            : head_(&h),
              copy_fields_([](void const* p, FieldViews& out) {
                  for (auto const& f : *static_cast<bhttp::header<isRequest, AnyFields> const*>(p))
                      out.emplace_back(f.name_string(), f.value());
              }),
              body_(b) {}
        void init(boost::optional<std::uint64_t> const&, beast::error_code& ec) {
            body_.had_body = true;
            copy_fields_(head_, body_.head_fields);
            ec = {};
        }
        template <class Buffers>
        std::size_t put(Buffers const& buffers, beast::error_code& ec) {
            auto const n = beast::buffer_bytes(buffers);
            body_.bytes += n;
            ec = {};
            return n;
        }
        void finish(beast::error_code& ec) { ec = {}; }
    };
};
using Request = bhttp::request<DroppedBody, Fields>;

// parser_keep_alive: the parser's verdict from Connection, which a trailer can only turn to close.
http::RequestHead to_head(Request const& req, bool parser_keep_alive) {
    auto const& body = req.body();
    http::RequestHead head;
    head.method = req.method_string();
    head.target = req.target();
    head.version = req.version();
    if (body.had_body) {
        head.fields = body.head_fields;  // without the trailers
    } else {
        head.fields.reserve(16);  // a browser sends about a dozen; one allocation, no growth
        for (auto const& f : req) head.fields.emplace_back(f.name_string(), f.value());
    }
    // RFC 9112 §6.1: a Transfer-Encoding in an HTTP/1.0 request closes the connection after.
    head.keep_alive = parser_keep_alive && !(head.version < 11 && head.field("Transfer-Encoding"));
    return head;
}

// Beast's parser error, named for http::answer_parse_failure.
http::ParseFailure parse_failure(beast::error_code ec, bool head_done) {
    if (ec == bhttp::error::header_limit) return http::ParseFailure::header_too_large;
    if (ec == bhttp::error::buffer_overflow)
        return head_done ? http::ParseFailure::framing_too_large : http::ParseFailure::header_too_large;
    if (ec == bhttp::error::body_limit) return http::ParseFailure::body_too_large;
    if (ec == bhttp::error::bad_content_length || ec == bhttp::error::bad_transfer_encoding)
        return http::ParseFailure::bad_framing;
    return http::ParseFailure::malformed;
}

// A TLS failure (a client gone without close_notify, a bad record) ends the connection
// quietly: there is no way to answer on a broken TLS stream.
bool is_normal_close(beast::error_code ec) {
    return ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
           ec == asio::error::bad_descriptor || ec == asio::error::connection_reset || ec == asio::error::eof ||
           ec.category() == asio::error::get_ssl_category() || ec == asio::ssl::error::stream_truncated;
}

// One access line, formatted into the thread's buffer and handed to the log's writer thread.
void log_access(AccessLog* log, http::AccessRecord const& r) {
    if (!log) return;
    thread_local std::string line, clock;
    line.clear();
    http::append_access_line(line, AccessLog::clock_now(clock), r);
    log->add(line);
}

// write_response, with the response counted in stats.json's "being_sent" until it is all out
// or cut: a client that stops reading keeps its response counted until the write-stall
// timeout drops it, and a test can wait for "mid-response" as a state instead of a sleep.
Task<WriteResult> send_response(SessionHost& host, Transport& t, http::ResponsePlan const& plan, unsigned version,
                                bool keep_alive, WriteScratch& scratch) {
    ++host.responses_being_sent;
    struct Uncount {
        std::atomic<std::size_t>& n;
        ~Uncount() { --n; }  // also when the session is destroyed while suspended in the write
    } uncount{host.responses_being_sent};
    co_return co_await write_response(t, plan, version, keep_alive, scratch);
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

// What the loop answers: handle() normally; on the TLS port, plain HTTP gets a redirect.
enum class Answer { handle, plain_on_tls_port };

// Everything a connection's loop works with, whatever carries its bytes.
struct Connection {
    SessionHost& host;
    Registration& reg;
    Stream& stream;  // the TCP stream (for a TLS connection, the one under it)
    std::string const& peer_text;
};

// How a connection's loop ended.
struct Ending {
    bool linger = false;   // the client may still be sending: read and drop before closing
    bool orderly = false;  // the server chose to close after a whole response (TLS then sends close_notify)
};

// Reads requests from `in` and writes the answers to t, until the connection should close.
// One loop for TCP and TLS: In is Stream or TlsConnection.
template <class In>
Task<Ending> serve_requests(Connection c, In& in, Transport& transport, Answer answer) {
    auto& host = c.host;
    auto& reg = c.reg;
    auto const& cfg = *host.cfg;
    auto const& peer_text = c.peer_text;
    WriteScratch scratch;  // reused across the connection's responses
    // The read buffer holds what the parser has not consumed yet: a head, a chunk-size line
    // with its extensions, trailers. Capped, a read beyond it fails with buffer_overflow.
    beast::flat_buffer buffer(std::max(cfg.server.max_read_buffer_bytes, cfg.server.max_header_bytes + 1024));
    alignas(std::max_align_t) std::array<std::byte, fields_arena_bytes> fields_arena;
    while (!host.stopping) {
        // Read.
        std::pmr::monotonic_buffer_resource fields_memory(fields_arena.data(), fields_arena.size());
        bhttp::request_parser<DroppedBody, FieldsAllocator> parser(std::piecewise_construct, std::make_tuple(),
                                                                   std::make_tuple(FieldsAllocator(&fields_memory)));
        parser.header_limit(std::uint32_t(cfg.server.max_header_bytes));
        parser.body_limit(cfg.server.max_body_bytes);
        reg.control.arm(std::chrono::seconds(cfg.server.header_timeout_s));
        reg.control.reading = true;
        auto [ec, n] = co_await bhttp::async_read(in, buffer, parser, use_tuple);
        reg.control.reading = false;
        if (is_normal_close(ec)) {
            spdlog::debug("{} closed: {}", peer_text, ec.message());
            co_return Ending{};
        }
        auto const started = std::chrono::steady_clock::now();
        if (ec) {
            auto const failure = http::answer_parse_failure(parse_failure(ec, parser.is_header_done()));
            auto plan = http::error_response(failure.status, failure.cause, cfg, true);
            auto const r = co_await send_response(host, transport, plan, 11, false, scratch);
            log_access(host.access_log, {peer_text, "-", "(unparsable request)", failure.status, r.body_bytes,
                                         "identity", 0, r.sent != Sent::whole});
            spdlog::debug("{} unparsable request: {}", peer_text, ec.message());
            co_return Ending{true, r.sent == Sent::whole};
        }

        // Handle and write. A response whose file changed before its first byte has promised
        // nothing: the request is decided again with the file as it is now, a bounded number
        // of times, then answered 503 (http::answer_unsent), never closed without a reply.
        auto const& req = parser.get();
        auto const head = to_head(req, parser.keep_alive());
        auto decide = [&] {
            return answer == Answer::handle ? http::handle(head, cfg, host.services)
                                            : http::answer_plain_http_on_tls_port(head, cfg);
        };
        auto plan = decide();
        bool keep_alive = head.keep_alive && !plan.close && !host.stopping;
        auto written = co_await send_response(host, transport, plan, req.version(), keep_alive, scratch);
        for (unsigned decisions = 1; written.sent == Sent::nothing; ++decisions) {
            auto unavailable = http::answer_unsent(decisions, cfg);
            plan = unavailable ? std::move(*unavailable) : decide();
            keep_alive = head.keep_alive && !plan.close && !host.stopping;
            written = co_await send_response(host, transport, plan, req.version(), keep_alive, scratch);
        }

        // Live reload's event stream: the head is out, the events follow until the end.
        if (std::holds_alternative<http::EventStreamBody>(plan.body) && written.sent == Sent::whole)
            written.body_bytes += co_await stream_events(transport, host, reg.control);

        // Log what was sent.
        auto const elapsed = std::chrono::steady_clock::now() - started;
        if (!plan.log_note.empty()) spdlog::warn("{}", http::request_warning(head.target, plan.log_note));
        log_access(host.access_log,
                   {peer_text, head.method, head.target, plan.status, written.body_bytes, plan.coding,
                    std::chrono::duration<double, std::milli>(elapsed).count(), written.sent != Sent::whole});

        // Loop, or close.
        if (written.sent != Sent::whole || !keep_alive) {
            if (written.sent != Sent::whole) co_return Ending{};  // no close_notify: a cut body must look cut
            beast::error_code unread;
            co_return Ending{buffer.size() > 0 || c.stream.socket().available(unread) > 0, true};
        }
    }
    co_return Ending{};
}

}  // namespace

Task<void> run_session(Stream stream, SessionHost& host, asio::ssl::context* tls) {
    auto const& cfg = *host.cfg;
    Registration reg(host, stream);
    auto const stall = std::chrono::seconds(cfg.server.write_stall_timeout_s);
    beast::error_code ignored;
    auto const peer = stream.socket().remote_endpoint(ignored);
    auto const peer_text = fmt::format("{}:{}", peer.address().to_string(), peer.port());
    Connection const c{host, reg, stream, peer_text};

    // Linger before closing only when the client may still be sending: after a request we
    // could not parse, or with unread input.
    Ending end;
    if (!tls) {
        TcpTransport transport(stream, reg.control, stall);
        end = co_await serve_requests(c, stream, transport, Answer::handle);
    } else {
        // The ClientHello and the handshake each count against the header deadline, and a
        // client still in them is idle for Ctrl-C: one that never finishes is dropped by the
        // sweeper. TLS state exists only from a whole ClientHello and a handshake slot on
        // (docs/https.md, "Handshakes in progress").
        reg.control.arm(std::chrono::seconds(cfg.server.header_timeout_s));
        reg.control.reading = true;
        auto const opening = co_await wait_for_opening(stream);
        reg.control.reading = false;
        if (opening == Opening::plain) {
            TcpTransport transport(stream, reg.control, stall);
            end = co_await serve_requests(c, stream, transport, Answer::plain_on_tls_port);
        } else if (opening == Opening::tls) {
            auto slot = co_await host.handshakes->take(reg.control, stream.get_executor());
            if (slot && !host.stopping) {
                reg.control.arm(std::chrono::seconds(cfg.server.header_timeout_s));
                reg.control.reading = true;
                TlsConnection connection(stream.socket(), tls->native_handle());
                auto const ec = co_await connection.handshake();
                reg.control.reading = false;
                slot.release();
                if (ec) {
                    spdlog::debug("{} TLS handshake failed: {}", peer_text, ec.message());
                } else {
                    TlsTransport transport(connection, reg.control, stall);
                    end = co_await serve_requests(c, connection, transport, Answer::handle);
                    // RFC 8446 §6.1: close_notify before closing, so the client can tell the end
                    // from a truncation. Then the wait for the client's close_notify or EOF, for
                    // at most 2 s; Ctrl-C cuts it short like any wait for the client.
                    if (end.orderly && !host.stopping) {
                        reg.control.arm(std::chrono::seconds(2));
                        reg.control.reading = true;
                        co_await connection.shutdown();
                        reg.control.reading = false;
                    }
                }
            }
        }
    }
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);  // the peer may be gone already
    if (end.linger && !host.stopping) co_await drain_before_close(stream, reg.control);
    stream.close();
}

}  // namespace wasmdev::net
