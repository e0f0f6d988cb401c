// Turns a stream of file-change notices into few "reload" events (docs/design.md#live-reload): one event once
// writes have settled (no notice for `quiet`), none while a wasmdev build's log is being
// written (the build ends with its log closed: then at once). Pure: the caller feeds notices
// and the time; the tree watch (watcher.cpp) and the subscribers are others' business.
#pragma once
#include <chrono>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::watch {

using Clock = std::chrono::steady_clock;

// What changed since the last event: URL-style paths under ROOT ("/dir/app.wasm"), sorted,
// or `all` when they were too many to list or unknown (the kernel's queue overflowed).
struct Change {
    std::vector<std::string> paths{};
    bool all = false;
};

class Debouncer {
public:
    // quiet: how long writes must pause before the event. max_paths: beyond it, `all`.
    // build_hold_limit: a build log silent for this long no longer holds events back (its
    // writer hung); the log's close is the usual end. max_wait: without a build log, a file
    // written again and again (a log of some other tool under ROOT) never settles; the event
    // goes out this long after the first change anyway.
    explicit Debouncer(std::chrono::milliseconds quiet = std::chrono::milliseconds(200), std::size_t max_paths = 256,
                       std::chrono::seconds build_hold_limit = std::chrono::minutes(10),
                       std::chrono::seconds max_wait = std::chrono::seconds(10));

    // A file at path changed (written, created, moved, removed).
    void changed(std::string_view path, Clock::time_point now);
    // Something changed that cannot be named (queue overflow, a watch lost).
    void changed_all(Clock::time_point now);
    // A file is being written but is not closed yet: the event waits for it.
    void writing(Clock::time_point now);
    // A wasmdev build's log was written (a build is running) or closed (its run ended).
    void build_log_written(Clock::time_point now);
    void build_log_closed(Clock::time_point now);

    // The event, when one is due at `now`; pending changes are then cleared.
    std::optional<Change> take_due(Clock::time_point now);
    // When take_due() may next return an event, if anything is pending.
    std::optional<Clock::time_point> deadline() const;

private:
    std::chrono::milliseconds quiet_;
    std::size_t max_paths_;
    std::chrono::seconds hold_limit_;
    std::chrono::seconds max_wait_;
    Clock::time_point first_notice_{};
    std::set<std::string> paths_{};
    bool all_ = false;
    bool pending_ = false;
    Clock::time_point last_notice_{};
    bool building_ = false;
    bool flush_now_ = false;
    Clock::time_point last_log_write_{};
};

}  // namespace wasmdev::watch
