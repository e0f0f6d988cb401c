// The reload watcher on a real temporary tree (docs/design.md#live-reload): inotify sees writes, new
// directories and their files, skips noise, and a burst becomes one event. Each check
// waits on the hub's event (with a deadline), never on a sleep.
#include <doctest/doctest.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/watch/watcher.hpp"

using namespace wasmdev::watch;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct Tree {
    fs::path root;
    Tree() {
        static int counter = 0;
        root = fs::temp_directory_path() /
               ("wasmdev-watch-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(root);
        fs::create_directories(root / "sub");
        fs::create_directories(root / ".git");
    }
    ~Tree() { fs::remove_all(root); }
    void write(std::string const& rel, std::string const& bytes = "x") const {
        std::ofstream(root / rel, std::ios::binary | std::ios::trunc) << bytes;
    }
};

// Collects what the hub publishes; next() waits for the next event or the deadline.
struct Events {
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<Change> got;
    std::size_t taken = 0;
    std::optional<Change> next(std::chrono::milliseconds deadline = 10s) {
        std::unique_lock lock(mutex);
        if (!cv.wait_for(lock, deadline, [&] { return got.size() > taken; })) return std::nullopt;
        return got[taken++];
    }
    std::size_t count() {
        std::lock_guard lock(mutex);
        return got.size();
    }
};

struct Watched {
    Hub hub;
    Events events;
    std::vector<std::string> warnings;
    std::optional<Watcher> watcher;
    Watched(fs::path const& root, WatchOptions o = {50ms}) {
        hub.subscribe([this](Change const& c) {
            std::lock_guard lock(events.mutex);
            events.got.push_back(c);
            events.cv.notify_all();
        });
        watcher.emplace(root, hub, o, [this](std::string const& w) { warnings.push_back(w); });
    }
};

}  // namespace

TEST_CASE("watcher: a file written under ROOT is one event naming its URL path") {
    Tree t;
    Watched w(t.root);
    t.write("sub/app.js");
    auto c = w.events.next();
    REQUIRE(c);
    CHECK_FALSE(c->all);
    CHECK(c->paths == std::vector<std::string>{"/sub/app.js"});
}

TEST_CASE("watcher: a burst of 200 writes to 20 files is one event") {
    Tree t;
    Watched w(t.root, {1000ms});  // a loaded machine may pause mid-burst; not for a second
    for (int i = 0; i < 200; ++i) t.write("sub/f" + std::to_string(i % 20) + ".js", std::to_string(i));
    auto c = w.events.next();
    REQUIRE(c);
    CHECK(c->paths.size() == 20);
    // A marker written after the burst arrives as the next event: nothing came in between.
    t.write("marker.txt");
    auto m = w.events.next();
    REQUIRE(m);
    CHECK(m->paths == std::vector<std::string>{"/marker.txt"});
    CHECK(w.events.count() == 2);
}

TEST_CASE("watcher: a new directory is watched, and files written in it before its watch are reported") {
    Tree t;
    Watched w(t.root);
    fs::create_directories(t.root / "new" / "deeper");
    t.write("new/deeper/early.wasm");
    auto c = w.events.next();
    REQUIRE(c);
    bool saw = false;
    for (auto const& p : c->paths) saw = saw || p == "/new/deeper/early.wasm";
    CHECK(saw);
    // And the new directory is watched from now on.
    t.write("new/deeper/later.wasm");
    for (auto e = w.events.next(); e; e = w.events.next()) {
        if (std::find(e->paths.begin(), e->paths.end(), "/new/deeper/later.wasm") != e->paths.end()) return;
    }
    FAIL("no event named /new/deeper/later.wasm");
}

TEST_CASE("watcher: noise (dot directories, swap files) makes no event") {
    Tree t;
    Watched w(t.root);
    t.write(".git/index");
    t.write("sub/.app.js.swp");
    t.write("sub/app.js~");
    t.write("marker.txt");  // the first event must be this one alone
    auto c = w.events.next();
    REQUIRE(c);
    CHECK(c->paths == std::vector<std::string>{"/marker.txt"});
}

TEST_CASE("watcher: at the bound, a warning says which directories are watched") {
    Tree t;
    for (int i = 0; i < 5; ++i) fs::create_directories(t.root / ("d" + std::to_string(i)));
    Watched w(t.root, {50ms, 3});
    CHECK(w.watcher->directories() == 3);
    REQUIRE(w.warnings.size() == 1);
    CHECK(w.warnings[0].find("first 3 directories") != std::string::npos);
}

TEST_CASE("watcher: while a wasmdev build's log is open for writing, changes wait and its close sends them") {
    Tree t;
    Watched w(t.root);
    {
        std::ofstream log(t.root / "sub" / "wasmdev-build.log", std::ios::app);
        log << "==> [1/2] make\n" << std::flush;
        t.write("sub/python.wasm");
        log << "==> [2/2] link\n" << std::flush;
        // A negative check can only wait: six quiet periods, and no event (a loaded machine
        // makes it weaker, never wrong).
        CHECK_FALSE(w.events.next(300ms));
    }  // the build ends: its log is closed
    auto c = w.events.next();
    REQUIRE(c);
    CHECK(c->paths == std::vector<std::string>{"/sub/python.wasm"});  // the log itself is not a change
}

TEST_CASE("watcher: a build log created empty holds changes too (`emcc ... | tee wasmdev-build.log` prints nothing)") {
    Tree t;
    Watched w(t.root);
    {
        std::ofstream log(t.root / "wasmdev-build.log");  // created, never written
        t.write("sub/hello.wasm");
        CHECK_FALSE(w.events.next(300ms));
    }
    auto c = w.events.next();
    REQUIRE(c);
    CHECK(c->paths == std::vector<std::string>{"/sub/hello.wasm"});
}
