#include "tests/integration/support.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "server/http/policy.hpp"

namespace wasmdev::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

std::string Response::header(std::string_view name) const {
    for (auto const& [n, v] : headers)
        if (http::iequals(n, name)) return v;
    return {};
}

bool Response::has(std::string_view name) const {
    for (auto const& h : headers)
        if (http::iequals(h.first, name)) return true;
    return false;
}

http::Config config_for(std::filesystem::path const& root) {
    http::Config cfg;
    cfg.root = std::filesystem::canonical(root);
    cfg.server.port = 0;
    cfg.server.threads = 2;
    return cfg;
}

TestServer::TestServer(http::Config cfg) : server_(std::move(cfg)) { server_.start(); }

TestServer::~TestServer() {
    server_.stop();
    server_.wait();
}

// A client's deadline bounds a hang, it does not time the server: under a sanitizer (5-15x
// slower) ctest sets WASMDEV_TEST_TIME_SCALE so a cold 32 MB compression is not a hang.
static std::chrono::milliseconds scaled(std::chrono::milliseconds d) {
    static int const scale = [] {
        char const* s = std::getenv("WASMDEV_TEST_TIME_SCALE");
        int const v = s ? std::atoi(s) : 1;
        return v >= 1 ? v : 1;
    }();
    return d * scale;
}

RawClient::RawClient(std::uint16_t port, std::chrono::milliseconds deadline) : deadline_(scaled(deadline)) {
    beast::error_code ec = asio::error::would_block;
    socket_.async_connect({asio::ip::make_address("127.0.0.1"), port}, [&](beast::error_code e) { ec = e; });
    ioc_.run_for(deadline_);
    if (ec) throw std::runtime_error("connect failed: " + ec.message());
}

void RawClient::send(std::string_view bytes) {
    beast::error_code ec = asio::error::would_block;
    ioc_.restart();
    asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()),
                      [&](beast::error_code e, std::size_t) { ec = e; });
    ioc_.run_for(deadline_);
    if (ec) throw std::runtime_error("send failed: " + ec.message());
}

std::optional<Response> RawClient::read(bool head_request) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(1ull << 32);
    parser.skip(head_request);
    beast::error_code ec = asio::error::would_block;
    ioc_.restart();
    bhttp::async_read(socket_, buffer_, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    ioc_.run_for(deadline_);
    if (ec == asio::error::would_block) {
        socket_.cancel();
        ioc_.restart();
        ioc_.run();
        return std::nullopt;
    }
    if (ec) return std::nullopt;
    auto const& msg = parser.get();
    Response r;
    r.status = msg.result_int();
    for (auto const& f : msg) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    r.body = msg.body();
    r.keep_alive = msg.keep_alive();
    return r;
}

bool RawClient::wait_for(std::string_view marker) {
    auto const until = std::chrono::steady_clock::now() + deadline_;
    auto seen = [&] {
        auto const data = buffer_.cdata();
        return std::string_view(static_cast<char const*>(data.data()), data.size()).find(marker) !=
               std::string_view::npos;
    };
    while (!seen()) {
        auto const left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        if (left <= 0ms) return false;
        beast::error_code ec = asio::error::would_block;
        ioc_.restart();
        socket_.async_read_some(buffer_.prepare(64 * 1024), [&](beast::error_code e, std::size_t n) {
            ec = e;
            buffer_.commit(n);
        });
        ioc_.run_for(left);
        if (ec == asio::error::would_block) {
            socket_.cancel();
            ioc_.restart();
            ioc_.run();
            return false;
        }
        if (ec) return false;
    }
    return true;
}

bool RawClient::closed_by_peer(std::chrono::milliseconds deadline) {
    deadline = scaled(deadline);
    char byte = 0;
    beast::error_code ec = asio::error::would_block;
    ioc_.restart();
    // Anything still buffered from the server counts as "not closed yet".
    if (buffer_.size() > 0) return false;
    socket_.async_read_some(asio::buffer(&byte, 1), [&](beast::error_code e, std::size_t) { ec = e; });
    ioc_.run_for(deadline);
    if (ec == asio::error::would_block) {
        socket_.cancel();
        ioc_.restart();
        ioc_.run();
        return false;
    }
    return ec == asio::error::eof || ec == asio::error::connection_reset;
}

std::string request_line(std::string_view method, std::string_view target, std::vector<std::string> const& extra,
                         std::string_view host) {
    std::string s;
    s.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
    if (!host.empty()) s.append("Host: ").append(host).append("\r\n");
    for (auto const& e : extra) s.append(e).append("\r\n");
    s.append("\r\n");
    return s;
}

Response request(std::uint16_t port, std::string_view method, std::string_view target,
                 std::vector<std::string> const& extra) {
    RawClient c(port);
    c.send(request_line(method, target, extra));
    auto r = c.read(method == "HEAD");
    if (!r) throw std::runtime_error("no response to " + std::string(method) + " " + std::string(target));
    return *r;
}

long long json_number(std::string_view text, std::string_view path) {
    if (auto const head_end = text.find("\r\n\r\n"); head_end != std::string_view::npos)
        text.remove_prefix(head_end + 4);
    boost::system::error_code ec;
    auto const doc = boost::json::parse(text, ec);
    if (ec) return -1;
    boost::json::value const* v = &doc;
    while (!path.empty()) {
        auto const dot = path.find('.');
        auto const key = path.substr(0, dot);
        auto const* o = v->if_object();
        v = o ? o->if_contains(key) : nullptr;
        if (!v) return -1;
        path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    }
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64()) return static_cast<long long>(v->get_uint64());
    return -1;
}

long long stats_number(std::uint16_t port, std::string_view path) {
    return json_number(request(port, "GET", "/__wasmdev/stats.json").body, path);
}

bool eventually(std::function<bool()> const& holds, std::chrono::milliseconds bound) {
    auto const until = std::chrono::steady_clock::now() + scaled(bound);
    for (;;) {
        if (holds()) return true;
        if (std::chrono::steady_clock::now() >= until) return false;
        std::this_thread::sleep_for(10ms);  // the period of the asking, not a synchronisation
    }
}

std::string read_file(std::filesystem::path const& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string pseudo_random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::string s(n, '\0');
    for (auto& c : s) c = char(gen() & 0xff);
    return s;
}

}  // namespace wasmdev::test
