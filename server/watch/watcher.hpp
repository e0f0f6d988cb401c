// The reload watcher (docs/design.md#live-reload): the OS's tree watch (sys/tree_watch.hpp: inotify,
// kqueue or polling) on every directory under ROOT up to a bound, ignore.hpp's names skipped,
// its events fed to a Debouncer on a thread of its own, each debounced Change published to a Hub.
// Knows nothing of HTTP; what a page does with a Change is the client's business.
#pragma once
#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "server/watch/hub.hpp"

namespace wasmdev::watch {

struct WatchOptions {
    std::chrono::milliseconds quiet{200};
    // One watch per directory; a CPython checkout with a build has ~1,500.
    // Past the bound, deeper directories are not watched (a warning says so once).
    std::size_t max_directories = 16384;
    // Where the OS does not report a file's close (kqueue, polling), a wasmdev build's log
    // silent this long counts as closed: the build's changes are then announced.
    std::chrono::seconds build_log_silence{5};
    bool force_polling = false;  // kqueue systems: poll the tree instead
};

class Watcher {
public:
    // Starts watching at once. warn gets sentences for the user (the bound reached, the
    // kernel's own limit); throws std::runtime_error when the OS cannot watch.
    Watcher(std::filesystem::path root, Hub& hub, WatchOptions options = {},
            std::function<void(std::string const&)> warn = {});
    ~Watcher();  // stops the thread
    Watcher(Watcher const&) = delete;
    Watcher& operator=(Watcher const&) = delete;

    std::size_t directories() const;  // watched now

private:
    struct State;  // the tree watch, the debouncer and the hub
    std::unique_ptr<State> state_;
    std::thread thread_;
};

}  // namespace wasmdev::watch
