// A large file sent as is (sendfile) while it changes on disk (#12 item 4b): rewritten in
// place, the client sees an abort, never a complete-looking body mixing old and new bytes;
// replaced by rename (a new inode), the old version goes out whole, as its ETag promised.
// Synchronised on the body's bytes read by a slow client, not on sleeps.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/socket_base.hpp>
#include <filesystem>
#include <string>

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
