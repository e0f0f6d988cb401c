#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>

#include "server/net/handshake_slots.hpp"

using namespace wasmdev::net;

TEST_CASE("handshake_cap: a quarter of the connection limit, at least 1, at most 64") {
    struct Row {
        std::size_t max_connections, expected;
    };
    Row const rows[] = {{0, 1}, {1, 1}, {3, 1}, {8, 2}, {16, 4}, {256, 64}, {257, 64}, {24000, 64}};
    for (auto const& row : rows) {
        CAPTURE(row.max_connections);
        CHECK(handshake_cap(row.max_connections) == row.expected);
    }
}

TEST_CASE("HandshakeSlots: at the cap a handshake waits, and a slot given back goes to the first waiter") {
    boost::asio::io_context ioc(1);
    HandshakeSlots slots(2);
    HandshakeSlots::Waiter a(ioc.get_executor()), b(ioc.get_executor()), c(ioc.get_executor()), d(ioc.get_executor());
    CHECK(slots.take_or_queue(a));
    CHECK(slots.take_or_queue(b));
    CHECK_FALSE(slots.take_or_queue(c));
    CHECK_FALSE(slots.take_or_queue(d));
    CHECK(slots.stats().in_progress == 2);
    CHECK(slots.stats().waiting == 2);

    // c is woken (its timer cancelled on its executor) and holds the slot; the count never passed the cap.
    bool c_woken = false;
    c.wake.async_wait([&](auto) { c_woken = true; });
    slots.give_back();
    ioc.run();
    CHECK(c_woken);
    CHECK(slots.settle(c));
    CHECK(slots.stats().in_progress == 2);
    CHECK(slots.stats().peak == 2);
    CHECK(slots.stats().waiting == 1);

    // d leaves before its turn (its deadline, Ctrl-C): it gets nothing, and the queue is empty.
    CHECK_FALSE(slots.settle(d));
    CHECK(slots.stats().waiting == 0);
    slots.give_back();
    slots.give_back();
    CHECK(slots.stats().in_progress == 0);
    // With room again, a newcomer takes a slot at once.
    HandshakeSlots::Waiter e(ioc.get_executor());
    CHECK(slots.take_or_queue(e));
    CHECK(slots.stats().peak == 2);
}

TEST_CASE("HandshakeSlots: a wake-up posted to a waiter that has already gone touches nothing") {
    boost::asio::io_context ioc(1);
    HandshakeSlots slots(1);
    HandshakeSlots::Waiter a(ioc.get_executor());
    CHECK(slots.take_or_queue(a));
    {
        HandshakeSlots::Waiter gone(ioc.get_executor());
        CHECK_FALSE(slots.take_or_queue(gone));
        slots.give_back();          // handed to `gone`, its wake-up posted
        CHECK(slots.settle(gone));  // it was woken otherwise, but the slot is its own now
        slots.give_back();          // and it gives it back as it goes
    }
    ioc.run();  // the posted wake-up finds no waiter
    CHECK(slots.stats().in_progress == 0);
}
