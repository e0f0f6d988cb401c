// The reload watcher (docs/design.md#live-reload): inotify on every directory under ROOT (breadth first, up to
// a bound; new directories join as they appear; ignore.hpp's names are skipped), its notices
// fed to a Debouncer on a thread of its own, each debounced Change published to a Hub.
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
    // inotify watches one directory per watch; a CPython checkout with a build has ~1,500.
    // Past the bound, deeper directories are not watched (a warning says so once).
    std::size_t max_directories = 16384;
};

class Watcher {
public:
    // Starts watching at once. warn gets sentences for the user (the bound reached, inotify's
    // own limit); throws std::runtime_error when inotify is not available.
    Watcher(std::filesystem::path root, Hub& hub, WatchOptions options = {},
            std::function<void(std::string const&)> warn = {});
    ~Watcher();  // stops the thread
    Watcher(Watcher const&) = delete;
    Watcher& operator=(Watcher const&) = delete;

    std::size_t directories() const;  // watched now

private:
    struct State;
    std::unique_ptr<State> state_;
    std::thread thread_;
};

}  // namespace wasmdev::watch
