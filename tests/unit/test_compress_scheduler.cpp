// compress::Scheduler (docs/design.md#compression-lanes): small jobs never wait behind big ones, free big threads
// help with small jobs, and stop() drops what is queued without running it.
#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <memory>
#include <utility>
#include <vector>

#include "server/compress/scheduler.hpp"

using wasmdev::compress::Scheduler;
using namespace std::chrono_literals;

namespace {

// A job that blocks until released, and says when it has started.
struct Gate {
    std::promise<void> started, release;
    std::shared_future<void> released{release.get_future().share()};
    bool opened = false;
    void open() {
        if (!std::exchange(opened, true)) release.set_value();
    }
    Scheduler::Job job() {
        return [this] {
            started.set_value();
            released.wait();
        };
    }
};

// Opens the gates when the test body ends, even by a failed REQUIRE: declared after the
// scheduler, it runs first, so the scheduler's join does not wait on a closed gate.
struct OpenOnExit {
    std::vector<Gate*> gates;
    ~OpenOnExit() {
        for (auto* g : gates) g->open();
    }
};

}  // namespace

TEST_CASE("Scheduler: a small job runs while every big thread is busy and big jobs are queued") {
    Gate a, b;  // outlive the scheduler, whose threads use them until it is joined
    Scheduler s(2);
    OpenOnExit guard{{&a, &b}};
    s.post_big(a.job());
    s.post_big(b.job());
    REQUIRE(a.started.get_future().wait_for(30s) == std::future_status::ready);
    REQUIRE(b.started.get_future().wait_for(30s) == std::future_status::ready);
    s.post_big([] {});  // queued behind the two
    std::promise<void> small_ran;
    s.post_small([&] { small_ran.set_value(); });
    CHECK(small_ran.get_future().wait_for(30s) == std::future_status::ready);
    CHECK(s.queued_big() == 1);
    a.open();
    b.open();
}

TEST_CASE("Scheduler: a free big thread takes small jobs when the small lane is busy") {
    Gate small_lane;
    Scheduler s(1);
    OpenOnExit guard{{&small_lane}};
    s.post_small(small_lane.job());  // one of the two threads takes it
    REQUIRE(small_lane.started.get_future().wait_for(30s) == std::future_status::ready);
    std::promise<void> second;
    s.post_small([&] { second.set_value(); });  // the other thread, whichever lane it is
    CHECK(second.get_future().wait_for(30s) == std::future_status::ready);
    small_lane.open();
}

TEST_CASE("Scheduler: stop drops queued jobs unrun - destroying them - and later posts too") {
    auto const dropped = std::make_shared<int>(0);
    bool ran = false;
    {
        Gate busy_big, busy_small;
        Scheduler s(1);
        OpenOnExit guard{{&busy_big, &busy_small}};
        // One after the other: a free big thread takes a small job first, when one is queued.
        s.post_big(busy_big.job());
        REQUIRE(busy_big.started.get_future().wait_for(30s) == std::future_status::ready);
        s.post_small(busy_small.job());
        REQUIRE(busy_small.started.get_future().wait_for(30s) == std::future_status::ready);
        s.post_big([&ran, keep = dropped] { ran = true; });
        s.post_small([&ran, keep = dropped] { ran = true; });
        CHECK(dropped.use_count() == 3);
        s.stop();
        CHECK(dropped.use_count() == 1);  // the queued jobs are gone
        s.post_small([&ran, keep = dropped] { ran = true; });
        CHECK(dropped.use_count() == 1);
        busy_big.open();
        busy_small.open();
    }
    CHECK_FALSE(ran);
}
