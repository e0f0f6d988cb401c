#include "server/net/handshake_slots.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>

namespace wasmdev::net {

std::size_t handshake_cap(std::size_t max_connections) { return std::clamp<std::size_t>(max_connections / 4, 1, 64); }

void HandshakeSlot::release() {
    if (slots_) std::exchange(slots_, nullptr)->give_back();
}

HandshakeSlots::HandshakeSlots(std::size_t cap) { stats_.cap = std::max<std::size_t>(cap, 1); }

bool HandshakeSlots::take_or_queue(Waiter& w) {
    std::lock_guard lock(mutex_);
    if (used_ < stats_.cap && queue_.empty()) {
        ++used_;
        stats_.in_progress.store(used_, std::memory_order_relaxed);
        if (used_ > stats_.peak.load(std::memory_order_relaxed)) stats_.peak.store(used_, std::memory_order_relaxed);
        return true;
    }
    w.id = ++next_id_;
    queue_.push_back(&w);
    stats_.waiting.store(queue_.size(), std::memory_order_relaxed);
    return false;
}

bool HandshakeSlots::settle(Waiter& w) {
    std::lock_guard lock(mutex_);
    handed_.erase(w.id);
    if (w.granted) return true;
    queue_.remove(&w);
    stats_.waiting.store(queue_.size(), std::memory_order_relaxed);
    return false;
}

void HandshakeSlots::give_back() {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) {
        --used_;
        stats_.in_progress.store(used_, std::memory_order_relaxed);
        return;
    }
    // The slot passes on without being freed (used_ stays), so nobody overtakes the queue.
    Waiter* w = queue_.front();
    queue_.pop_front();
    stats_.waiting.store(queue_.size(), std::memory_order_relaxed);
    w->granted = true;
    handed_.emplace(w->id, w);
    boost::asio::post(w->wake.get_executor(), [this, id = w->id] {
        std::lock_guard inner(mutex_);
        if (auto it = handed_.find(id); it != handed_.end()) it->second->wake.cancel();
    });
}

Task<HandshakeSlot> HandshakeSlots::take(SessionControl& ctl, Executor ex) {
    Waiter w(ex);
    if (take_or_queue(w)) co_return HandshakeSlot(this);
    // Leaves the queue however the wait ends, also when the session is destroyed in it.
    struct Leave {
        HandshakeSlots& slots;
        Waiter& w;
        bool settled = false;
        ~Leave() {
            if (!settled && slots.settle(w)) slots.give_back();
        }
    } leave{*this, w};
    ctl.disarm();
    ctl.reading = false;
    ctl.interrupt = [&w] { w.wake.cancel(); };
    co_await w.wake.async_wait(use_tuple);
    ctl.interrupt = nullptr;
    leave.settled = true;
    co_return settle(w) ? HandshakeSlot(this) : HandshakeSlot();
}

}  // namespace wasmdev::net
