// The bounded fetcher (fetch.hpp): one coroutine on one io_context walks a queue of URLs,
// one connection per request (Connection: close), each step under the stream's own expiry
// and the whole walk under io_context::run_for(total_timeout).
#include "server/check/fetch.hpp"

#include <fmt/format.h>
#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <charconv>
#include <deque>
#include <memory>
#include <unordered_set>

#include "server/check/decode.hpp"
#include "server/check/scan.hpp"
#include "server/check/url.hpp"
#include "server/text/ascii.hpp"

namespace wasmdev::check {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using asio::ip::tcp;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

struct Reply {
    std::string error{};
    int status = 0;
    std::vector<Header> headers{};
    std::string body{};
    std::uint64_t body_bytes = 0;
    bool cut = false;
};

struct Request {
    std::string method = "GET";
    std::vector<Header> headers{};
    std::uint64_t body_cap = 0;  // bytes of body to read; 0: none (the header is enough)
    bool need_body = false;      // the scanners read it; otherwise a Content-Length is enough
};

std::string describe(beast::error_code ec) {
    if (ec == beast::error::timeout) return "timed out";
    return ec.message();
}

template <class Stream>
asio::awaitable<void> exchange(Stream& stream, Target const& t, Request const& rq, Reply& reply,
                               std::chrono::milliseconds timeout) {
    bhttp::request<bhttp::empty_body> req{rq.method == "HEAD" ? bhttp::verb::head : bhttp::verb::get, t.target, 11};
    bool const default_port = (t.scheme == "http" && t.port == "80") || (t.scheme == "https" && t.port == "443");
    std::string host = t.host.find(':') != std::string::npos ? "[" + t.host + "]" : t.host;
    req.set(bhttp::field::host, default_port ? host : host + ":" + t.port);
    req.set(bhttp::field::user_agent, "wasmdev-check/" WASMDEV_VERSION);
    req.set(bhttp::field::connection, "close");
    for (auto const& h : rq.headers) req.set(h.name, h.value);
    beast::get_lowest_layer(stream).expires_after(timeout);
    auto [wec, wn] = co_await bhttp::async_write(stream, req, tuple_awaitable);
    if (wec) {
        reply.error = "sending the request: " + describe(wec);
        co_return;
    }

    beast::flat_buffer buf;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.header_limit(64 * 1024);
    if (rq.method == "HEAD") parser.skip(true);
    beast::get_lowest_layer(stream).expires_after(timeout);
    auto [hec, hn] = co_await bhttp::async_read_header(stream, buf, parser, tuple_awaitable);
    if (hec) {
        reply.error = "reading the response: " + describe(hec);
        co_return;
    }
    auto const& res = parser.get();
    reply.status = static_cast<int>(res.result_int());
    for (auto const& f : res) reply.headers.push_back({std::string(f.name_string()), std::string(f.value())});
    if (rq.method == "HEAD" || parser.is_done()) co_return;
    // A body longer than the cap: not read; its size is its Content-Length (or unknown).
    auto const length = parser.content_length();
    if (rq.body_cap == 0 || (length && *length > rq.body_cap)) {
        reply.cut = length.has_value() && *length > 0;
        co_return;
    }
    // A .wasm or .data with a length: its size is known, its bytes judge nothing.
    if (length && !rq.need_body) co_return;
    parser.body_limit(rq.body_cap);
    beast::get_lowest_layer(stream).expires_after(timeout);
    auto [bec, bn] = co_await bhttp::async_read(stream, buf, parser, tuple_awaitable);
    reply.body = std::move(parser.get().body());
    reply.body_bytes = reply.body.size();
    if (bec == bhttp::error::body_limit)
        reply.cut = true;
    else if (bec)
        reply.error = "reading the body: " + describe(bec);
}

class Crawler {
public:
    Crawler(asio::io_context& io, Limits const& limits, Crawl& out) : io_(io), limits_(limits), out_(out) {
        tls_.set_default_verify_paths();
        tls_.set_verify_mode(asio::ssl::verify_peer);
    }

    asio::awaitable<void> run(std::string page_url) {
        page_origin_ = origin_of(page_url);
        queue_.push_back({page_url, Kind::page});
        seen_.insert(page_url);
        while (!queue_.empty()) {
            auto [url, kind] = queue_.front();
            queue_.pop_front();
            if (out_.resources.size() >= limits_.max_resources) {
                out_.skipped.push_back(fmt::format("{} more URL(s) not fetched: the limit is {} requests",
                                                   queue_.size() + 1, limits_.max_resources));
                break;
            }
            if (total_bytes_ >= limits_.max_total_bytes) {
                out_.skipped.push_back(fmt::format("{} more URL(s) not fetched: {} bytes read, the limit",
                                                   queue_.size() + 1, total_bytes_));
                break;
            }
            co_await visit(url, kind);
        }
    }

    // What the walk had not reached when the total time ran out: the URL in flight and the queue.
    void note_timeout() {
        out_.skipped.push_back(
            fmt::format("stopped after {} s (the total time limit) while fetching {}; {} more URL(s) "
                        "not fetched",
                        limits_.total_timeout.count() / 1000, in_flight_, queue_.size()));
    }

private:
    asio::awaitable<void> visit(std::string const& url, Kind kind) {
        in_flight_ = url;
        Observed o;
        o.url = url;
        o.kind = kind;
        o.cross_origin = origin_of(url) != page_origin_;
        bool const scanned = !o.cross_origin && (kind == Kind::page || kind == Kind::script || kind == Kind::module ||
                                                 kind == Kind::worker);
        Request rq;
        rq.method = o.cross_origin ? "HEAD" : "GET";
        rq.headers.push_back({"Accept-Encoding", "br, gzip"});
        // A browser's CORS request (a module script, a worker, a crossorigin element) carries
        // Origin, and servers and CDNs often send Access-Control-Allow-Origin only when asked
        // with one: every other-origin HEAD carries it, as that request would.
        if (o.cross_origin) rq.headers.push_back({"Origin", origin_field(page_url_)});
        rq.need_body = scanned;
        rq.body_cap =
            scanned ? std::min<std::uint64_t>(limits_.max_body_bytes, max_scan_bytes) : limits_.max_body_bytes;
        Reply reply;
        std::string current = url;
        for (int hop = 0;; ++hop) {
            reply = {};
            co_await fetch(current, rq, reply);
            bool const redirect =
                reply.error.empty() && reply.status >= 300 && reply.status < 400 && reply.status != 304;
            if (!redirect || hop >= limits_.max_redirects) break;
            std::string location;
            for (auto const& h : reply.headers)
                if (text::iequals(h.name, "Location")) location = h.value;
            auto next = resolve_url(current, location);
            // The page is navigated to, so a browser follows it anywhere (http → https is the
            // usual case) and the page's origin becomes where it landed; a subresource
            // redirected to another origin would be a cross-origin load, which check does not
            // fetch in full.
            if (location.empty() || !next || (kind != Kind::page && origin_of(*next) != origin_of(current))) break;
            if (o.redirected_from.empty()) o.redirected_from = url;
            current = *next;
        }
        o.url = current;
        if (kind == Kind::page) {
            page_origin_ = origin_of(current);
            page_url_ = current;
        }
        o.error = reply.error;
        o.status = reply.status;
        o.headers = std::move(reply.headers);
        o.body_bytes = reply.body_bytes;
        o.body_cut = reply.cut;
        total_bytes_ += reply.body_bytes;
        if (reply.error.empty() && reply.status == 200 && !o.cross_origin &&
            (kind == Kind::wasm || kind == Kind::data || kind == Kind::source_map))
            co_await probe_range(o);
        if (scanned && reply.cut)
            out_.skipped.push_back(
                fmt::format("{}: longer than the {} MiB a page or script is scanned for, its "
                            "references were not read",
                            o.url, rq.body_cap >> 20));
        if (scanned && reply.error.empty() && reply.status >= 200 && reply.status < 300 && !reply.cut) {
            auto coding = combined_header(o.headers, "Content-Encoding").value_or("");
            auto decoded = decode_body(coding, reply.body, max_scan_bytes);
            if (decoded) {
                auto refs = kind == Kind::page ? scan_html(*decoded)
                                               : scan_script(*decoded, kind == Kind::module || kind == Kind::worker);
                for (auto& r : refs) enqueue(o.url, r);
            }
        }
        out_.resources.push_back(std::move(o));
    }

    // One byte by Range, uncompressed: does the server answer 206, and how large is the file
    // itself (a compressed answer's length says nothing of that)?
    asio::awaitable<void> probe_range(Observed& o) {
        Request rq;
        rq.headers.push_back({"Range", "bytes=0-0"});
        rq.body_cap = 16;
        Reply reply;
        co_await fetch(o.url, rq, reply);
        if (!reply.error.empty()) co_return;
        o.range_status = reply.status;
        Observed probe;
        probe.headers = std::move(reply.headers);
        if (reply.status == 206) {
            auto range = combined_header(probe.headers, "Content-Range").value_or("");
            auto slash = range.rfind('/');
            std::uint64_t n = 0;
            if (slash != std::string::npos) {
                auto const* first = range.data() + slash + 1;
                auto const* last = range.data() + range.size();
                auto [p, ec] = std::from_chars(first, last, n);
                if (ec == std::errc{} && p == last) o.identity_size = n;
            }
        } else if (reply.status == 200 && !combined_header(probe.headers, "Content-Encoding")) {
            if (combined_header(probe.headers, "Content-Length")) o.identity_size = body_size(probe);
        }
    }

    void enqueue(std::string const& base, Reference const& r) {
        auto url = resolve_url(base, r.url);
        if (!url || !seen_.insert(*url).second) return;
        if (seen_.size() > 4 * limits_.max_resources) return;  // the queue is bounded too
        queue_.push_back({*url, r.kind == Kind::other ? kind_by_name(*url) : r.kind});
    }

    asio::awaitable<void> fetch(std::string const& url, Request const& rq, Reply& reply) {
        std::string error;
        auto t = split_url(url, error);
        if (!t) {
            reply.error = error;
            co_return;
        }
        tcp::resolver resolver(io_);
        auto [rec, endpoints] = co_await resolver.async_resolve(t->host, t->port, tuple_awaitable);
        if (rec) {
            reply.error = fmt::format("resolving {}: {}", t->host, describe(rec));
            co_return;
        }
        beast::tcp_stream tcp(io_);
        tcp.expires_after(limits_.request_timeout);
        auto [cec, ep] = co_await tcp.async_connect(endpoints, tuple_awaitable);
        if (cec) {
            reply.error = fmt::format("connecting to {}:{}: {}", t->host, t->port, describe(cec));
            co_return;
        }
        if (t->scheme == "http") {
            co_await exchange(tcp, *t, rq, reply, limits_.request_timeout);
            beast::error_code ignored;  // closing a finished exchange: nothing to do if it fails
            tcp.socket().shutdown(tcp::socket::shutdown_both, ignored);
            co_return;
        }
        beast::ssl_stream<beast::tcp_stream> tls(std::move(tcp), tls_);
        if (!SSL_set_tlsext_host_name(tls.native_handle(), t->host.c_str())) {
            reply.error = "TLS: cannot set the server name";
            co_return;
        }
        tls.set_verify_callback(asio::ssl::host_name_verification(t->host));
        beast::get_lowest_layer(tls).expires_after(limits_.request_timeout);
        auto [hec] = co_await tls.async_handshake(asio::ssl::stream_base::client, tuple_awaitable);
        if (hec) {
            reply.error = "TLS handshake: " + describe(hec);
            co_return;
        }
        co_await exchange(tls, *t, rq, reply, limits_.request_timeout);
    }

    asio::io_context& io_;
    Limits const& limits_;
    Crawl& out_;
    asio::ssl::context tls_{asio::ssl::context::tls_client};
    std::string page_origin_{};
    std::string in_flight_{};
    std::string page_url_{};
    std::deque<std::pair<std::string, Kind>> queue_{};
    std::unordered_set<std::string> seen_{};
    std::uint64_t total_bytes_ = 0;
};

}  // namespace

Crawl crawl(std::string const& page_url, Limits const& limits) {
    Crawl out;
    // The io_context goes before the crawler: a walk cut short by the time limit leaves
    // coroutine frames that the io_context destroys, and they may still name the crawler.
    auto io = std::make_unique<asio::io_context>();
    Crawler crawler(*io, limits, out);
    bool finished = false;
    asio::co_spawn(*io, crawler.run(page_url), [&](std::exception_ptr e) {
        finished = true;
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (std::exception const& x) {
            out.skipped.push_back(fmt::format("the walk stopped: {}", x.what()));
        }
    });
    io->run_for(limits.total_timeout);
    if (!finished) crawler.note_timeout();
    io.reset();
    return out;
}

}  // namespace wasmdev::check
