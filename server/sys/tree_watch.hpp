// Watching a directory tree for changes (docs/design.md#live-reload): one backend per OS behind
// one interface. Linux (tree_watch_linux.cpp): inotify, a watch per directory. Elsewhere
// (tree_watch_posix.cpp): kqueue on macOS and the BSDs, and everywhere a polling fallback that
// stats the tree (bounded by the directory limit, paced by its own cost). Reports raw events;
// debouncing, ignored file names and what a change means are watch/'s business.
#pragma once
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::sys {

// One thing that happened under the root. Flags, not a kind: the kernel may report several at
// once, and each backend sets those it can see.
struct TreeEvent {
    std::string path{};     // relative to the root, '/'-separated; "" with overflow
    bool overflow = false;  // events were lost: anything may have changed
    bool directory = false;
    bool created = false;    // appeared by creation
    bool moved_in = false;   // appeared by a rename into the tree (or a new directory's file)
    bool moved_out = false;  // left by a rename
    bool deleted = false;
    bool modified = false;    // content written; unless closed is also set, more may follow
    bool closed = false;      // a writer closed it (or, polling, the write is seen complete)
    bool attributes = false;  // mode, owner or times changed
};

struct TreeWatchOptions {
    std::size_t max_directories = 16384;                     // deeper ones are not watched
    std::function<bool(std::string_view)> skip_directory{};  // by name: neither it nor below it
    std::function<void(std::string const&)> warn{};          // sentences for the user
    bool force_polling = false;                              // kqueue systems: poll instead
};

class TreeWatch {
public:
    // Starts watching at once (the first scan is done on return). Throws std::runtime_error
    // when the OS cannot watch at all.
    TreeWatch(std::filesystem::path root, TreeWatchOptions options);
    ~TreeWatch();
    TreeWatch(TreeWatch const&) = delete;
    TreeWatch& operator=(TreeWatch const&) = delete;

    // Waits up to timeout (negative: without limit) for events and appends them to out.
    // Returns false once stop() was called. One thread calls wait().
    bool wait(std::chrono::milliseconds timeout, std::vector<TreeEvent>& out);
    // From any thread: the current (or next) wait() returns false.
    void stop();

    std::size_t directories() const;  // watched now
    // Whether `closed` reports a writer's close (inotify); otherwise a file still open for
    // writing cannot be told from one whose writer is done.
    bool sees_close() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace wasmdev::sys
