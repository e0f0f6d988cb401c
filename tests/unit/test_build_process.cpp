// The build's process runner: argv without a shell, cwd, env, exit codes, streamed output,
// and Ctrl-C forwarded to the child's process group.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "server/cpython/process.hpp"
#include "tests/support/temp_tree.hpp"

using namespace wasmdev::cpython;
using namespace std::chrono_literals;

namespace {

Environment base_env() { return {{"PATH", "/usr/bin:/bin"}, {"WASMDEV_T", "a b'c"}}; }

}  // namespace

TEST_CASE("process: argv reaches the child verbatim with no shell in between") {
    ProcessRunner r;
    std::string out;
    auto res = r.capture({"printf", "%s|", "a b", "$HOME", "*", "'q'"}, "/", base_env(), out);
    CHECK(res.ok());
    CHECK(out == "a b|$HOME|*|'q'|");
}

TEST_CASE("process: cwd and environment are the ones given") {
    ProcessRunner r;
    std::string out;
    auto res = r.capture({"sh", "-c", "pwd; echo \"$WASMDEV_T\"; echo \"${HOME-unset}\""}, "/tmp", base_env(), out);
    CHECK(res.ok());
    CHECK(out == "/tmp\na b'c\nunset\n");
}

TEST_CASE("process: exit codes and signals and programs that do not exist") {
    ProcessRunner r;
    std::string out;
    auto res = r.capture({"sh", "-c", "echo before; exit 3"}, "/", base_env(), out);
    CHECK(res.exit_code == 3);
    CHECK_FALSE(res.ok());
    CHECK(out == "before\n");
    res = r.capture({"sh", "-c", "kill -TERM $$"}, "/", base_env(), out);
    CHECK(res.term_signal == SIGTERM);
    CHECK(res.exit_code == 128 + SIGTERM);
    res = r.capture({"no-such-program-wasmdev"}, "/", base_env(), out);
    CHECK(res.spawn_failed);
    CHECK(res.exit_code == 127);
    CHECK(res.error.find("not found") != std::string::npos);
    res = r.capture({"pwd"}, "/nonexistent-dir-wasmdev", base_env(), out);
    CHECK(res.spawn_failed);
}

TEST_CASE("process: stderr is merged and stdin is /dev/null and SIGPIPE is default again in the child") {
    ProcessRunner r;
    std::string out;
    ::signal(SIGPIPE, SIG_IGN);  // as the server does
    auto res = r.capture({"sh", "-c", "echo err >&2; cat; grep SigIgn /proc/self/status"}, "/", base_env(), out);
    ::signal(SIGPIPE, SIG_DFL);
    CHECK(res.ok());
    CHECK(out.starts_with("err\n"));
    // SIGPIPE is signal 13: bit 12 of the ignored mask must be clear.
    auto mask = std::stoull(out.substr(out.find(':') + 1), nullptr, 16);
    CHECK((mask & (1ull << (SIGPIPE - 1))) == 0);
}

TEST_CASE("process: Ctrl-C is forwarded to the child's process group with grandchildren") {
    ProcessRunner r;
    wasmdev::test::TempTree dir({}, "proc");
    auto pidfile = dir / "grandchild.pid";
    // Ctrl-C once the grandchild exists (its pid is in the file), not after a guess at how long
    // a shell takes to start: asked every 10 ms for at most 10 s, then sent anyway so the run ends.
    auto const grandchild_started = [&pidfile] {
        pid_t p = 0;
        std::ifstream(pidfile) >> p;
        return p > 0;
    };
    std::thread interrupter([&] {
        auto const until = std::chrono::steady_clock::now() + 10s;
        while (!grandchild_started() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(10ms);
        ::kill(::getpid(), SIGINT);
    });
    auto start = std::chrono::steady_clock::now();
    std::string out;
    auto res = r.capture({"sh", "-c", "sleep 30 & echo $! > \"$0\"; wait", pidfile.string()}, "/", base_env(), out);
    interrupter.join();
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    CHECK(res.interrupted);
    CHECK(res.term_signal == SIGINT);
    CHECK(interrupt_requested());
    pid_t grandchild = 0;
    std::ifstream(pidfile) >> grandchild;
    REQUIRE(grandchild > 0);
    // Ended (a zombie at most, when no init reaps orphans here): the group got SIGTERM after.
    // Asked until then, within 5 s (SIGTERM ends a sleep at once).
    std::string stat;
    auto const ended = [&] {
        stat.clear();
        std::getline(std::ifstream("/proc/" + std::to_string(grandchild) + "/stat"), stat);
        auto const state = stat.empty() ? 'X' : stat[stat.rfind(')') + 2];
        return state == 'Z' || state == 'X';
    };
    auto const until = std::chrono::steady_clock::now() + 5s;
    bool gone = false;
    while (!(gone = ended()) && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(10ms);
    CAPTURE(stat);
    CHECK(gone);
}

TEST_CASE("process: output streams as it arrives and ticks come while the child runs") {
    ProcessRunner r;
    std::vector<std::string> chunks;
    int ticks = 0;
    RunOptions o;
    o.on_output = [&](std::string_view c) { chunks.emplace_back(c); };
    o.on_tick = [&] { ++ticks; };
    auto res = r.run({"sh", "-c", "echo one; sleep 1.3; echo two"}, "/", base_env(), o);
    CHECK(res.ok());
    REQUIRE(chunks.size() >= 2);
    CHECK(chunks.front() == "one\n");
    CHECK(ticks >= 1);
}

TEST_CASE("process: a detached helper (--open's xdg-open) is reaped when it ends, not left a zombie") {
    int pid = ProcessRunner::spawn_detached({"sh", "-c", "exit 0"});
    REQUIRE(pid > 0);
    // A zombie still answers kill(pid, 0); a reaped process is gone (ESRCH).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    bool gone = false;
    while (!gone && std::chrono::steady_clock::now() < deadline) {
        gone = ::kill(pid, 0) != 0 && errno == ESRCH;
        if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(gone);
    if (!gone) ::waitpid(pid, nullptr, 0);
    CHECK(ProcessRunner::spawn_detached({"/nonexistent/helper"}) == 0);
}

TEST_CASE("process: a step whose background job holds the pipe open ends after a short drain") {
    ProcessRunner r;
    std::string out;
    auto const start = std::chrono::steady_clock::now();
    auto res = r.capture({"sh", "-c", "sleep 30 & echo $!"}, "/", base_env(), out);
    CHECK(std::chrono::steady_clock::now() - start < 10s);  // not the 30 s of the job
    CHECK(res.ok());
    pid_t const job = pid_t(std::stol(out));
    REQUIRE(job > 0);
    ::kill(job, SIGKILL);
}

TEST_CASE("process: a step that closes its output is still waited for to its end, and ticks meanwhile") {
    ProcessRunner r;
    int ticks = 0;
    RunOptions o;
    o.on_tick = [&] { ++ticks; };
    auto res = r.run({"sh", "-c", "exec >/dev/null 2>&1; sleep 1.3; exit 4"}, "/", base_env(), o);
    CHECK(res.exit_code == 4);
    CHECK_FALSE(res.interrupted);
    CHECK(ticks >= 1);
}
