// A private headless Chromium for `wasmdev run`: which binary (--browser, $WASMDEV_BROWSER,
// Debian's chromium), its flags, and its life: a fresh profile in a temporary directory, the
// DevTools protocol on fds 3 and 4 (--remote-debugging-pipe), its own process group, and an
// end that leaves neither a process of that group nor the directory behind. Knows no HTTP and
// nothing of what the page does; run/ drives it.
#pragma once
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "server/browser/frames.hpp"
#include "server/browser/run_dirs.hpp"
#include "server/cpython/process.hpp"

namespace wasmdev::browser {

struct Located {
    std::string path{};   // the browser to start; empty when none was found
    std::string error{};  // the one line to print when path is empty
};

// --browser (flag), then $WASMDEV_BROWSER (env_value), then Debian's system_browser, then
// chromium, chromium-browser, google-chrome on path_value. A browser named by the flag or the
// variable must exist: it is never silently replaced by another.
Located locate_browser(std::string_view flag, std::string_view env_value, std::string_view path_value,
                       std::string_view system_browser = "/usr/bin/chromium");

// The command line: headless on a DevTools pipe, no network of its own (no QUIC, background
// networking, component updates or sync: a closed network makes those hang or spam),
// --no-sandbox only as root (Chromium refuses to start as root with its sandbox).
std::vector<std::string> chromium_argv(std::string const& program, std::filesystem::path const& profile_dir,
                                       bool as_root);

class Browser {
public:
    // Removes what dead runs left (collect_stale_run_dirs), makes a temporary directory (the
    // profile and the browser's log, run_dirs.hpp) and starts the browser in it; nullptr and
    // `error` when either fails (the directory is then gone again).
    static std::unique_ptr<Browser> launch(std::string const& program, bool as_root, std::string& error);
    ~Browser();  // close()
    Browser(Browser const&) = delete;
    Browser& operator=(Browser const&) = delete;

    // Sends a command; its id, which the Response carries. False when the pipe is closed.
    long long send(std::string_view method, boost::json::object params = {}, std::string_view session_id = {});
    // Reads what the pipe has (call when pipe_fd() is readable) and hands each message over.
    // False at the end of the pipe: the browser is gone or going.
    bool read_available(std::function<void(std::string_view)> const& on_message);

    int pipe_fd() const { return child_.from_child; }
    int exit_fd() const { return child_.exit_notice; }  // readable once the browser process has exited
    int pid() const { return pid_; }
    std::vector<std::string> const& argv() const { return argv_; }  // the command it was started with
    std::filesystem::path const& dir() const { return dir_; }
    std::size_t dropped_messages() const { return frames_.dropped(); }
    // The browser's own last lines of output (why it died), at most max_bytes.
    std::string log_tail(std::size_t max_bytes = 2000) const;

    // Asks the browser to close, waits up to `grace`, then ends its group (SIGTERM, SIGKILL)
    // and removes the directory; a zero grace ends the group at once (SIGKILL), for a caller
    // that wants nothing the browser would save. Idempotent; returns how the browser process ended.
    cpython::ProcessResult close(std::chrono::milliseconds grace = std::chrono::seconds(3));

private:
    Browser() = default;
    cpython::PipedChild child_{};
    int pid_ = 0;
    std::vector<std::string> argv_{};
    std::filesystem::path dir_{};
    RunDir run_dir_{};
    FrameSplitter frames_{};
    long long next_id_ = 1;
    bool closed_ = false;
    cpython::ProcessResult ended_{};
};

}  // namespace wasmdev::browser
