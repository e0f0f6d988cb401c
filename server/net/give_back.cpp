#include "server/net/give_back.hpp"

namespace wasmdev::net {

std::function<void()> GiveBack::job() {
    if (queued_.exchange(true, std::memory_order_acq_rel)) return {};
    return [this] { run(); };
}

void GiveBack::run() {
    auto const now = sys::free_held();
    if (policy_.due(now)) {
        sys::give_back_free_memory();
        auto const after = sys::free_held();
        policy_.gave_back(after);
        stats_.give_backs.fetch_add(1, std::memory_order_relaxed);
        stats_.free_held_bytes.store(after.bytes, std::memory_order_relaxed);
    } else {
        stats_.free_held_bytes.store(now.bytes, std::memory_order_relaxed);
    }
    queued_.store(false, std::memory_order_release);
}

}  // namespace wasmdev::net
