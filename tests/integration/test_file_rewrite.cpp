// Files that change on disk while they are served (docs/hardening.md). A large file sent as is
// (sendfile) and rewritten in place: the client sees an abort, never a complete-looking body
// mixing old and new bytes; replaced by rename (a new inode), the old version goes out whole,
// as its ETag promised (synchronised on the body's bytes read by a slow client, not on sleeps).
// A file rewritten without pause: whole replies or 503s, never an empty one (counted).
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/socket_base.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/support.hpp"

using namespace wasmdev::test;

namespace {

constexpr std::size_t file_size = 48u << 20;
constexpr std::string_view marker = "<<one MiB in>>";

// file_size bytes of `fill`, with the marker one MiB in (where the client knows the body flows).
std::string version_of(char fill) {
    std::string bytes(file_size, fill);
    bytes.replace(1u << 20, marker.size(), marker);
    return bytes;
}

}  // namespace

TEST_CASE("identity body: a file rewritten in place while it is sent ends the connection - never a mixed body") {
    TempTree dir;
    auto const path = dir.write("big.bin", version_of('a'));
    TestServer srv(config_for(dir.path));
    RawClient c(srv.port(), 30s);
    c.socket().set_option(boost::asio::socket_base::receive_buffer_size(64 * 1024));  // a slow reader
    c.send(request_line("GET", "/big.bin"));
    REQUIRE(c.wait_for(marker));  // the body is flowing; most of it is still on disk only
    {
        // Same size, same inode, every byte different: what a build writing over its output does.
        auto const fresh = version_of('b');
        int const fd = ::open(path.c_str(), O_WRONLY);
        REQUIRE(fd >= 0);
        REQUIRE(::pwrite(fd, fresh.data(), fresh.size(), 0) == ssize_t(fresh.size()));
        ::close(fd);
    }
    auto const r = c.read();
    if (r) {  // had it completed, it must be one version, never a mix
        CAPTURE(r->body.size());
        CHECK((r->body == version_of('a') || r->body == version_of('b')));
    }
    CHECK_FALSE(r);  // rewritten with most of the body unsent: the client must see an abort
    auto const again = request(srv.port(), "GET", "/big.bin");
    CHECK(again.status == 200);
    CHECK(again.body == version_of('b'));
}

TEST_CASE("identity body: a file replaced by rename while it is sent goes out whole - the old version") {
    TempTree dir;
    auto const path = dir.write("big.bin", version_of('a'));
    TestServer srv(config_for(dir.path));
    RawClient c(srv.port(), 30s);
    c.socket().set_option(boost::asio::socket_base::receive_buffer_size(64 * 1024));
    c.send(request_line("GET", "/big.bin"));
    REQUIRE(c.wait_for(marker));
    dir.write("big.bin.new", version_of('b'));
    std::filesystem::rename(dir.path / "big.bin.new", path);  // the descriptor keeps the old inode
    auto const r = c.read();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == version_of('a'));
}

namespace {

// Rewrites each file without pause, alternately replaced (write a new file, rename it over)
// and rewritten in place (truncate, then write), until told to stop.
class Rewriter {
public:
    Rewriter(std::filesystem::path dir, std::vector<std::string> names, std::size_t size)
        : thread_([this, dir = std::move(dir), names = std::move(names), size] {
              for (unsigned round = 0; !stop_; ++round) {
                  auto const& name = names[round % names.size()];
                  auto const path = dir / name;
                  // Two sizes, so a read of one version against the other's length is seen.
                  std::string const bytes(round % 3 == 0 ? size : size / 2 + round % 7, char('a' + round % 26));
                  if (round % 2 == 0) {
                      auto const fresh = dir / (name + ".new");
                      int const fd = ::open(fresh.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
                      if (fd < 0 || ::write(fd, bytes.data(), bytes.size()) != ssize_t(bytes.size())) failed_ = true;
                      if (fd >= 0) ::close(fd);
                      std::error_code ec;
                      std::filesystem::rename(fresh, path, ec);
                      if (ec) failed_ = true;
                  } else {
                      int const fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
                      if (fd < 0 || ::write(fd, bytes.data(), bytes.size()) != ssize_t(bytes.size())) failed_ = true;
                      if (fd >= 0) ::close(fd);
                  }
                  ++rounds_;
              }
          }) {}
    ~Rewriter() {
        stop_ = true;
        thread_.join();
    }
    bool failed() const { return failed_; }
    unsigned rounds() const { return rounds_; }

private:
    std::atomic<bool> stop_{false};
    std::atomic<bool> failed_{false};
    std::atomic<unsigned> rounds_{0};
    std::thread thread_;
};

// One GET on its own connection (Connection: close), everything the server sent until it
// closed: whether the reply was whole, cut after some body bytes (right once bytes are out),
// or empty (no status line, or a head whose body never began).
enum class Reply { whole, cut_after_bytes, empty };
struct Outcome {
    Reply reply = Reply::empty;
    unsigned status = 0;
    std::string head{};
};

Outcome get_once(std::uint16_t port, std::string const& target, std::vector<std::string> const& extra) {
    auto lines = extra;
    lines.emplace_back("Connection: close");
    auto const wire = request_line("GET", target, lines);
    int const fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    timeval deadline{30, 0};  // bounds a hang; a loaded machine answers in milliseconds
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &deadline, sizeof deadline);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::send(fd, wire.data(), wire.size(), MSG_NOSIGNAL) == ssize_t(wire.size()));
    std::string got;
    char buffer[65536];
    for (;;) {
        auto const n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            REQUIRE(n == 0);  // EOF, or ECONNRESET: not the deadline
            break;
        }
        got.append(buffer, std::size_t(n));
    }
    Outcome out;
    auto const end_of_head = got.find("\r\n\r\n");
    if (!got.starts_with("HTTP/1.1 ") || end_of_head == std::string::npos) return out;
    out.head = got.substr(0, end_of_head + 2);
    out.status = unsigned(std::stoul(got.substr(9, 3)));
    auto const body = std::string_view(got).substr(end_of_head + 4);
    auto const length_at = out.head.find("Content-Length: ");
    if (length_at != std::string::npos) {
        auto const length = std::stoull(out.head.substr(length_at + 16));
        out.reply = body.size() == length        ? Reply::whole
                    : body.empty() && length > 0 ? Reply::empty
                                                 : Reply::cut_after_bytes;
    } else {  // chunked: whole when its last chunk came
        out.reply = body.ends_with("0\r\n\r\n") ? Reply::whole : body.empty() ? Reply::empty : Reply::cut_after_bytes;
    }
    return out;
}

}  // namespace

TEST_CASE("a file rewritten without pause gets a whole response or a 503 with Retry-After - never an empty reply") {
    struct Row {
        std::string_view what;
        std::string name;
        std::size_t size;
        std::vector<std::string> extra;
    };
    Row const rows[] = {
        {"a small file (read with its head)", "small.bin", 20 * 1024, {}},
        {"a large file (sendfile)", "large.bin", 600 * 1024, {}},
        {"a compressed body", "code.js", 200 * 1024, {"Accept-Encoding: gzip"}},
    };
    for (auto const& row : rows) {
        CAPTURE(row.what);
        TempTree dir;
        dir.write(row.name, std::string(row.size, 'x'));
        TestServer srv(config_for(dir.path));
        Rewriter rewriter(dir.path, {row.name}, row.size);
        unsigned empty = 0, whole = 0, cut = 0, unavailable = 0, other = 0;
        // At least 1,500 requests and 200 rewrites among them (a loaded machine may starve the
        // rewriter), at most 20,000 requests.
        for (int i = 0; (i < 1500 || rewriter.rounds() < 200) && i < 20000; ++i) {
            auto const r = get_once(srv.port(), "/" + row.name, row.extra);
            if (r.reply == Reply::empty) {
                ++empty;
                CAPTURE(r.head);
                CHECK(r.reply != Reply::empty);  // shows the first few heads
                if (empty > 3) break;
            } else if (r.reply == Reply::cut_after_bytes) {
                ++cut;  // changed once bytes were out: cutting is right
            } else if (r.status == 200) {
                ++whole;
            } else if (r.status == 503) {
                ++unavailable;
                CHECK(r.head.find("\r\nRetry-After: 1\r\n") != std::string::npos);
            } else {
                ++other;
            }
        }
        CAPTURE(whole);
        CAPTURE(cut);
        CAPTURE(unavailable);
        CAPTURE(other);
        CAPTURE(rewriter.rounds());
        CHECK_FALSE(rewriter.failed());
        CHECK(empty == 0);
        CHECK(other == 0);
        CHECK(whole > 0);
        MESSAGE(row.what << ": " << whole << " whole, " << cut << " cut after bytes, " << unavailable << " 503, "
                         << empty << " empty; " << rewriter.rounds() << " rewrites");
    }
}
