// The reload debounce (docs/design.md#live-reload) on an explicit clock: a burst of writes is one event once
// the writes settle, a wasmdev build's log holds events until the build ends, and a flood
// of paths becomes "all". No sleeps: the test says what time it is.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "server/watch/debounce.hpp"
#include "server/watch/ignore.hpp"

using namespace wasmdev::watch;
using namespace std::chrono_literals;

namespace {
Clock::time_point const t0{std::chrono::seconds(1000)};
}

TEST_CASE("debounce: nothing is due before anything changed") {
    Debouncer d(200ms);
    CHECK_FALSE(d.deadline());
    CHECK_FALSE(d.take_due(t0 + 1h));
}

TEST_CASE("debounce: a burst of 200 writes 10 ms apart is one event, 200 ms after the last") {
    Debouncer d(200ms);
    auto now = t0;
    for (int i = 0; i < 200; ++i) {
        d.changed("/out/file" + std::to_string(i % 50) + ".js", now);
        CHECK_FALSE(d.take_due(now));
        now += 10ms;
    }
    auto const last = now - 10ms;
    CHECK_FALSE(d.take_due(last + 199ms));
    auto c = d.take_due(last + 200ms);
    REQUIRE(c);
    CHECK_FALSE(c->all);
    CHECK(c->paths.size() == 50);  // each path once, sorted
    CHECK(c->paths.front() == "/out/file0.js");
    CHECK_FALSE(d.take_due(last + 10s));  // and nothing after it
}

TEST_CASE("debounce: a file still being written delays a pending event, and a write alone announces nothing") {
    Debouncer d(200ms);
    d.writing(t0);
    CHECK_FALSE(d.deadline());
    d.changed("/a.wasm", t0);
    d.writing(t0 + 150ms);
    CHECK_FALSE(d.take_due(t0 + 300ms));
    CHECK(d.take_due(t0 + 350ms));
}

TEST_CASE("debounce: past max_paths the event says all") {
    Debouncer d(200ms, 3);
    for (auto p : {"/a", "/b", "/c", "/a"}) d.changed(p, t0);
    auto c = d.take_due(t0 + 200ms);
    REQUIRE(c);
    CHECK_FALSE(c->all);
    CHECK(c->paths == std::vector<std::string>{"/a", "/b", "/c"});
    for (auto p : {"/a", "/b", "/c", "/d"}) d.changed(p, t0 + 1s);
    c = d.take_due(t0 + 2s);
    REQUIRE(c);
    CHECK(c->all);
    CHECK(c->paths.empty());
}

TEST_CASE("debounce: while a build's log is written, changes wait for its close, then go at once") {
    Debouncer d(200ms);
    d.build_log_written(t0);
    d.changed("/builddir/python.wasm", t0 + 1s);
    d.build_log_written(t0 + 3s);
    d.changed("/builddir/python.js", t0 + 5s);
    CHECK_FALSE(d.take_due(t0 + 10s));  // quiet for 5 s, but the build runs on
    d.build_log_closed(t0 + 20s);
    auto c = d.take_due(t0 + 20s);
    REQUIRE(c);
    CHECK(c->paths == std::vector<std::string>{"/builddir/python.js", "/builddir/python.wasm"});
    CHECK_FALSE(d.take_due(t0 + 1h));
}

TEST_CASE("debounce: a build log that stops being written holds events for the hold limit only") {
    Debouncer d(200ms, 256, std::chrono::seconds(60));
    d.build_log_written(t0);
    d.changed("/x.js", t0 + 1s);
    CHECK_FALSE(d.take_due(t0 + 59s));
    CHECK(d.take_due(t0 + 60s));
    d.changed("/y.js", t0 + 61s);  // the hold is over: the usual quiet period again
    CHECK(d.take_due(t0 + 61s + 200ms));
}

TEST_CASE("debounce: a build that changed nothing sends nothing when it ends") {
    Debouncer d(200ms);
    d.build_log_written(t0);
    d.build_log_closed(t0 + 5s);
    CHECK_FALSE(d.take_due(t0 + 1h));
}

TEST_CASE("ignore: dot directories, caches and editor noise are skipped, sources and builds are not") {
    struct Row {
        std::string_view name;
        bool dir_ignored, file_ignored;
    };
    Row const rows[] = {
        {".git", true, true},
        {"__pycache__", true, false},
        {"node_modules", true, false},
        {"src", false, false},
        {"index.html", false, false},
        {"python.wasm", false, false},
        {".index.html.swp", true, true},
        {"index.html~", false, true},
        {"#main.c#", false, true},
        {"4913", false, true},
        {"main.c.swp", false, true},
        {"mod.cpython-312.pyc", false, true},
        {"wasmdev-build.log", false, true},
        {"build.log", false, false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.name);
        CHECK(is_ignored_directory(row.name) == row.dir_ignored);
        CHECK(is_ignored_file(row.name) == row.file_ignored);
    }
    CHECK(is_build_log("wasmdev-build.log"));
    CHECK(is_build_log("wasmdev-emscripten-browser.log"));
    CHECK_FALSE(is_build_log("build.log"));
}

TEST_CASE("debounce: a file rewritten every 100 ms forever still gives an event, after max_wait") {
    Debouncer d(200ms, 256, std::chrono::minutes(10), std::chrono::seconds(10));
    auto now = t0;
    std::optional<Change> c;
    for (; now < t0 + 30s && !c; now += 100ms) {
        d.changed("/other-tool.log", now);
        d.writing(now + 50ms);
        c = d.take_due(now + 50ms);
    }
    REQUIRE(c);
    CHECK(now - 100ms >= t0 + 9900ms);
    CHECK(now - 100ms <= t0 + 10s);
}
