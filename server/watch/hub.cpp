#include "server/watch/hub.hpp"

namespace wasmdev::watch {

std::uint64_t Hub::subscribe(Listener listener) {
    std::lock_guard lock(mutex_);
    listeners_.emplace(++next_id_, std::move(listener));
    return next_id_;
}

void Hub::unsubscribe(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    listeners_.erase(id);
}

void Hub::publish(Change const& change) {
    // Called under the lock, so a listener that unsubscribed has returned and is never called
    // after: its session may be gone. Listeners only post work, so holding the lock is short.
    std::lock_guard lock(mutex_);
    ++published_;
    for (auto const& [id, listener] : listeners_) listener(change);
}

std::size_t Hub::listeners() const {
    std::lock_guard lock(mutex_);
    return listeners_.size();
}

std::uint64_t Hub::published() const {
    std::lock_guard lock(mutex_);
    return published_;
}

}  // namespace wasmdev::watch
