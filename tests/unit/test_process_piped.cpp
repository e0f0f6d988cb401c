// The process runner's piped children (run's browser): fds 3 and 4 are the pipes, output goes
// to the log file, and end_piped leaves no process of the child's group, whether the child
// exits on the end of its input or has to be ended, along with what it started.
#include <doctest/doctest.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "server/cpython/process.hpp"
#include "tests/support/temp_tree.hpp"

using namespace wasmdev::cpython;
using namespace std::chrono_literals;

namespace {

Environment base_env() { return {{"PATH", "/usr/bin:/bin"}}; }

// Reads from fd until `want` bytes came or 20 s passed (a loaded machine), never blocking forever.
std::string read_some(int fd, std::size_t want) {
    std::string out;
    auto const deadline = std::chrono::steady_clock::now() + 20s;
    while (out.size() < want && std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        char buf[256];
        auto n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        out.append(buf, std::size_t(n));
    }
    return out;
}

std::string slurp(std::filesystem::path const& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("spawn_piped: the child reads fd 3 and writes fd 4; its stdout and stderr go to the log") {
    wasmdev::test::TempTree t({}, "piped");
    auto c = spawn_piped({"sh", "-c", "read x <&3; printf 'got %s' \"$x\" >&4; echo to-log; echo to-log-err >&2"},
                         base_env(), t / "log");
    REQUIRE(c.pid > 0);
    CHECK(c.exit_notice >= 0);
    CHECK(::getpgid(c.pid) == c.pid);  // a process group of its own
    REQUIRE(::write(c.to_child, "ping\n", 5) == 5);
    CHECK(read_some(c.from_child, 8) == "got ping");
    auto r = end_piped(c, 10s);
    CHECK(r.exit_code == 0);
    CHECK(r.term_signal == 0);
    CHECK(slurp(t / "log") == "to-log\nto-log-err\n");
    CHECK(c.pid == 0);
    CHECK(c.to_child == -1);
    CHECK(c.from_child == -1);
}

TEST_CASE("end_piped: a child that exits at the end of its input is waited for, not signalled") {
    wasmdev::test::TempTree t({}, "piped");
    auto c = spawn_piped({"sh", "-c", "cat <&3 >/dev/null; exit 7"}, base_env(), t / "log");
    REQUIRE(c.pid > 0);
    auto r = end_piped(c, 10s);
    CHECK(r.exit_code == 7);
    CHECK(r.term_signal == 0);
}

TEST_CASE("end_piped: a child that lingers is ended, and so is everything its group started") {
    wasmdev::test::TempTree t({}, "piped");
    // The background sleep stands for a renderer: it outlives nothing it is not made to.
    auto c = spawn_piped({"sh", "-c", "trap '' TERM; sleep 300 & printf started >&4; while :; do sleep 1; done"},
                         base_env(), t / "log");
    REQUIRE(c.pid > 0);
    int const group = c.pid;
    REQUIRE(read_some(c.from_child, 7) == "started");
    auto r = end_piped(c, 100ms);
    CHECK(r.term_signal == SIGKILL);  // it ignored SIGTERM
    errno = 0;
    CHECK(::kill(-group, 0) == -1);
    CHECK(errno == ESRCH);
}

TEST_CASE("spawn_piped: a program that is not there is an error, not a child") {
    wasmdev::test::TempTree t({}, "piped");
    auto c = spawn_piped({"wasmdev-no-such-program"}, base_env(), t / "log");
    CHECK(c.pid == 0);
    CHECK(c.error.find("wasmdev-no-such-program") != std::string::npos);
    auto r = end_piped(c, 10ms);  // harmless on a child that never started
    CHECK(r.exit_code == 0);
}
