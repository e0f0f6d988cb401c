#include "server/watch/debounce.hpp"

namespace wasmdev::watch {

Debouncer::Debouncer(std::chrono::milliseconds quiet, std::size_t max_paths, std::chrono::seconds build_hold_limit,
                     std::chrono::seconds max_wait)
    : quiet_(quiet), max_paths_(max_paths), hold_limit_(build_hold_limit), max_wait_(max_wait) {}

void Debouncer::changed(std::string_view path, Clock::time_point now) {
    if (!pending_) first_notice_ = now;
    pending_ = true;
    last_notice_ = now;
    if (all_) return;
    if (paths_.size() >= max_paths_ && !paths_.contains(std::string(path))) {
        // Past the cap the list says no more than "everything": pages reload whatever they use.
        all_ = true;
        paths_.clear();
        return;
    }
    paths_.emplace(path);
}

void Debouncer::changed_all(Clock::time_point now) {
    if (!pending_) first_notice_ = now;
    pending_ = true;
    last_notice_ = now;
    all_ = true;
    paths_.clear();
}

void Debouncer::writing(Clock::time_point now) {
    // Only delays an event already pending: a write alone is announced when its file closes.
    if (pending_) last_notice_ = now;
}

void Debouncer::build_log_written(Clock::time_point now) {
    building_ = true;
    last_log_write_ = now;
}

void Debouncer::build_log_closed(Clock::time_point now) {
    // The build run ended: what it wrote goes out now, not after another quiet period.
    if (building_ && pending_) flush_now_ = true;
    building_ = false;
}

std::optional<Clock::time_point> Debouncer::deadline() const {
    if (!pending_) return std::nullopt;
    if (flush_now_) return last_notice_;
    if (building_) return std::max(last_notice_ + quiet_, last_log_write_ + hold_limit_);
    return std::min(last_notice_ + quiet_, first_notice_ + max_wait_);
}

std::optional<Change> Debouncer::take_due(Clock::time_point now) {
    auto const due = deadline();
    if (!due || now < *due) return std::nullopt;
    if (building_) building_ = false;  // the hold limit passed: the log's writer is gone or hung
    Change c;
    c.all = all_;
    c.paths.assign(paths_.begin(), paths_.end());
    paths_.clear();
    all_ = false;
    pending_ = false;
    flush_now_ = false;
    return c;
}

}  // namespace wasmdev::watch
