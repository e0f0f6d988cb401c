#include "server/net/session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/optional.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory_resource>

#include "server/http/access_line.hpp"
#include "server/http/parse_error.hpp"
#include "server/net/access_log.hpp"
#include "server/net/event_stream.hpp"
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
// keeps is what the head said when the head was done (init() runs then, before the body):
// Beast appends trailer fields to the header's, and a trailer must not become a header.
struct DroppedBody {
    struct value_type {
        std::uint64_t bytes = 0;
        std::size_t head_fields = std::size_t(-1);  // fields before the body; -1: no body
    };
    class reader {
        void const* head_;
        std::size_t (*count_fields_)(void const*);  // Beast checks the concept with a model of Fields
        value_type& body_;

    public:
        template <bool isRequest, class AnyFields>
        reader(bhttp::header<isRequest, AnyFields>& h, value_type& b)
            : head_(&h),
              count_fields_([](void const* p) {
                  auto const& fields = *static_cast<bhttp::header<isRequest, AnyFields> const*>(p);
                  return std::size_t(std::distance(fields.begin(), fields.end()));
              }),
              body_(b) {}
        void init(boost::optional<std::uint64_t> const&, beast::error_code& ec) {
            body_.head_fields = count_fields_(head_);
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
    bool const had_body = body.head_fields != std::size_t(-1);
    http::RequestHead head;
    head.method = req.method_string();
    head.target = req.target();
    head.version = req.version();
    head.fields.reserve(16);  // a browser sends about a dozen; one allocation, no growth
    std::size_t n = 0;
    for (auto const& f : req) {
        if (had_body && n++ == body.head_fields) break;  // the rest are trailers
        head.fields.emplace_back(f.name_string(), f.value());
    }
    // RFC 9112 §6.1: a Transfer-Encoding in an HTTP/1.0 request closes the connection after.
    head.keep_alive = parser_keep_alive &&
                      !(head.version < 11 && head.field("Transfer-Encoding"));
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

bool is_normal_close(beast::error_code ec) {
    return ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
           ec == asio::error::bad_descriptor || ec == asio::error::connection_reset || ec == asio::error::eof;
}

// One access line, formatted into the thread's buffer and handed to the log's writer thread.
void log_access(AccessLog* log, http::AccessRecord const& r) {
    if (!log) return;
    thread_local std::string line, clock;
    line.clear();
    http::append_access_line(line, AccessLog::clock_now(clock), r);
    log->add(line);
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
    Registration reg(host, stream);
    TcpTransport transport(stream, reg.control, std::chrono::seconds(cfg.write_stall_timeout_s));
    WriteScratch scratch;  // reused across the connection's responses
    beast::error_code ignored;
    auto const peer = stream.socket().remote_endpoint(ignored);
    auto const peer_text = fmt::format("{}:{}", peer.address().to_string(), peer.port());

    if (over_limit) {
        auto plan = http::error_response(503, "Too many open connections; try again shortly.", cfg, true);
        co_await write_response(transport, plan, 11, false, scratch);
    }
    // The read buffer holds what the parser has not consumed yet: a head, a chunk-size line
    // with its extensions, trailers. Capped, a read beyond it fails with buffer_overflow.
    beast::flat_buffer buffer(std::max(cfg.max_read_buffer_bytes, cfg.max_header_bytes + 1024));
    alignas(std::max_align_t) std::array<std::byte, fields_arena_bytes> fields_arena;
    // Linger before closing only when the client may still be sending: after a request we
    // could not parse, or with unread input. A 503 over the connection limit never lingers.
    bool linger = false;
    while (!over_limit && !host.stopping) {
        // Read.
        std::pmr::monotonic_buffer_resource fields_memory(fields_arena.data(), fields_arena.size());
        bhttp::request_parser<DroppedBody, FieldsAllocator> parser(
            std::piecewise_construct, std::make_tuple(), std::make_tuple(FieldsAllocator(&fields_memory)));
        parser.header_limit(std::uint32_t(cfg.max_header_bytes));
        parser.body_limit(cfg.max_body_bytes);
        reg.control.arm(std::chrono::seconds(cfg.header_timeout_s));
        reg.control.reading = true;
        auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
        reg.control.reading = false;
        if (is_normal_close(ec)) {
            spdlog::debug("{} closed: {}", peer_text, ec.message());
            break;
        }
        auto const started = std::chrono::steady_clock::now();
        if (ec) {
            auto const answer = http::answer_parse_failure(parse_failure(ec, parser.is_header_done()));
            auto plan = http::error_response(answer.status, answer.cause, cfg, true);
            auto const r = co_await write_response(transport, plan, 11, false, scratch);
            log_access(host.access_log, {peer_text, "-", "(unparsable request)", answer.status, r.body_bytes, "identity", 0,
                                         r.sent != Sent::whole});
            spdlog::debug("{} unparsable request: {}", peer_text, ec.message());
            linger = true;
            break;
        }

        // Handle and write. A compressed body whose file changed before its first byte has
        // promised nothing: the request is decided again, once, and gets the file as it is now.
        auto const& req = parser.get();
        auto const head = to_head(req, parser.keep_alive());
        auto plan = http::handle(head, cfg, host.services);
        bool keep_alive = head.keep_alive && !plan.close && !host.stopping;
        auto written = co_await write_response(transport, plan, req.version(), keep_alive, scratch);
        if (written.sent == Sent::nothing) {
            plan = http::handle(head, cfg, host.services);
            keep_alive = head.keep_alive && !plan.close && !host.stopping;
            written = co_await write_response(transport, plan, req.version(), keep_alive, scratch);
        }

        // Live reload's event stream: the head is out, the events follow until the end.
        if (std::holds_alternative<http::EventStreamBody>(plan.body) && written.sent == Sent::whole)
            written.body_bytes += co_await stream_events(transport, host, reg.control);

        // Log what was sent.
        auto const elapsed = std::chrono::steady_clock::now() - started;
        if (!plan.log_note.empty()) spdlog::warn("{} {}", req.target(), plan.log_note);
        log_access(host.access_log, {peer_text, head.method, head.target, plan.status, written.body_bytes, plan.coding,
                                     std::chrono::duration<double, std::milli>(elapsed).count(), written.sent != Sent::whole});

        // Loop, or close.
        if (written.sent != Sent::whole || !keep_alive) {
            beast::error_code unread;
            linger = written.sent == Sent::whole && (buffer.size() > 0 || stream.socket().available(unread) > 0);
            break;
        }
    }
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);  // the peer may be gone already
    if (linger && !host.stopping) co_await drain_before_close(stream, reg.control);
    stream.close();
}

}  // namespace wasmdev::net
