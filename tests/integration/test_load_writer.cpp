// The writer against a file that changes under it (docs/design.md#never-stale): a transport that records
// what would go on the wire, a real file, and a plan made before the file changed.
// Covers what the writer reports (Sent::*); run_session acts on it (decides again on nothing).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "server/fs/open_file.hpp"
#include "server/net/writer.hpp"
#include "tests/support/temp_tree.hpp"

namespace {

using namespace wasmdev;
namespace asio = boost::asio;

// Everything the writer sends lands in `wire`; the socket always takes it all.
class RecordingTransport final : public net::Transport {
public:
    explicit RecordingTransport(asio::io_context& ioc) : ioc_(ioc) {}
    std::string wire;

    ssize_t write_now(std::span<iovec const> iov) override {
        ssize_t n = 0;
        for (auto const& v : iov) {
            wire.append(static_cast<char const*>(v.iov_base), v.iov_len);
            n += ssize_t(v.iov_len);
        }
        return n;
    }
    net::Task<bool> write_all(std::span<iovec> iov) override {
        write_now(iov);
        co_return true;
    }
    net::Task<bool> write_file(int fd, std::uint64_t offset, std::uint64_t length, std::uint64_t& written) override {
        std::string buf(std::size_t(length), '\0');
        auto const n = ::pread(fd, buf.data(), buf.size(), off_t(offset));
        if (n > 0) {
            wire.append(buf.data(), std::size_t(n));
            written += std::uint64_t(n);
        }
        co_return n == ssize_t(length);
    }
    void cork(bool) override {}
    void not_waiting_for_client() override {}
    net::Executor executor() override { return ioc_.get_executor(); }

private:
    asio::io_context& ioc_;
};

net::WriteResult write_sync(http::ResponsePlan const& plan, std::string& wire) {
    asio::io_context ioc;
    RecordingTransport t(ioc);
    net::WriteScratch scratch;
    net::WriteResult result;
    asio::co_spawn(
        ioc, [&]() -> net::Task<void> { result = co_await net::write_response(t, plan, 11, true, scratch); },
        asio::detached);
    ioc.run();
    wire = t.wire;
    return result;
}

}  // namespace

TEST_CASE("writer: a small file that shrank after it was planned sends nothing, so the session decides again") {
    test::TempTree tree({{"f.bin", "0123456789abcdef0123456789abcdef"}}, "writer");  // 32 bytes when planned
    auto const path = tree / "f.bin";
    auto file = std::make_shared<fs::OpenFile>();
    file->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(file->fd >= 0);
    file->size = 32;
    http::ResponsePlan plan;
    plan.status = 200;
    plan.content_length = 32;
    plan.body = http::FileBody{file, {http::BodyPart{{}, 0, 32, true}}};
    REQUIRE(::truncate(path.c_str(), 10) == 0);  // shrinks between fstat and read

    std::string wire;
    auto const r = write_sync(plan, wire);
    CHECK(r.sent == net::Sent::nothing);
    CHECK(wire.empty());
}
