// Launching and ending run's private headless Chromium (see chromium.hpp). Processes are
// started and ended by server/cpython/process.cpp, the one process runner.
#include "server/browser/chromium.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "server/browser/devtools_message.hpp"
#include "server/browser/run_dirs.hpp"
#include "server/cpython/env.hpp"
#include "server/sys/process.hpp"

namespace wasmdev::browser {

namespace fs = std::filesystem;

Located locate_browser(std::string_view flag, std::string_view env_value, std::string_view path_value,
                       std::string_view system_browser) {
    auto named = [&](std::string_view name, std::string_view how) -> Located {
        auto found = cpython::find_executable(name, path_value);
        if (!found.empty()) return {found, {}};
        return {{},
                std::string(how) + " " + std::string(name) +
                    " is not an executable browser (apt install chromium, or pass --browser PATH)"};
    };
    if (!flag.empty()) return named(flag, "--browser");
    if (!env_value.empty()) return named(env_value, "$WASMDEV_BROWSER:");
    if (!system_browser.empty() && ::access(std::string(system_browser).c_str(), X_OK) == 0)
        return {std::string(system_browser), {}};
    for (auto name : {"chromium", "chromium-browser", "google-chrome"}) {
        auto found = cpython::find_executable(name, path_value);
        if (!found.empty()) return {found, {}};
    }
    return {{}, "no Chromium found: install it (apt install chromium) or pass --browser PATH"};
}

std::vector<std::string> chromium_argv(std::string const& program, fs::path const& profile_dir, bool as_root) {
    std::vector<std::string> argv{program,
                                  "--headless",
                                  "--remote-debugging-pipe",
                                  "--user-data-dir=" + profile_dir.string(),
                                  "--disable-gpu",
                                  "--disable-quic",
                                  "--no-first-run",
                                  "--no-default-browser-check",
                                  "--disable-background-networking",
                                  "--disable-component-update",
                                  "--disable-sync",
                                  "--disable-breakpad",
                                  "about:blank"};
    if (as_root) argv.insert(argv.begin() + 1, "--no-sandbox");
    return argv;
}

std::unique_ptr<Browser> Browser::launch(std::string const& program, bool as_root, std::string& error) {
    auto parent = run_dir_parent(std::getenv("TMPDIR"));
    // What a SIGKILLed or crashed run left: its lock is free and its browser gone (run_dirs.hpp).
    collect_stale_run_dirs(parent);
    auto run_dir = RunDir::create(parent, error);
    if (run_dir.path().empty()) return nullptr;
    std::unique_ptr<Browser> b(new Browser);
    b->dir_ = run_dir.path();
    b->run_dir_ = std::move(run_dir);
    std::error_code ec;
    fs::create_directory(b->dir_ / "profile", ec);
    b->argv_ = chromium_argv(program, b->dir_ / "profile", as_root);
    sys::adopt_orphans();  // the group's orphans come back to us when close() ends it
    b->child_ = cpython::spawn_piped(b->argv_, cpython::current_environment(), b->dir_ / "browser.log");
    if (b->child_.pid <= 0) {
        error = b->child_.error;
        b->close();
        return nullptr;
    }
    b->pid_ = b->child_.pid;
    b->run_dir_.record_browser(b->pid_);
    return b;
}

Browser::~Browser() { close(); }

long long Browser::send(std::string_view method, boost::json::object params, std::string_view session_id) {
    auto id = next_id_++;
    if (child_.to_child < 0) return id;
    auto bytes = frame(encode_command(id, method, std::move(params), session_id));
    std::string_view left = bytes;
    while (!left.empty()) {
        auto n = ::write(child_.to_child, left.data(), left.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return id;  // the browser is gone (EPIPE): its end is reported by the exit and pipe fds
        left.remove_prefix(std::size_t(n));
    }
    return id;
}

bool Browser::read_available(std::function<void(std::string_view)> const& on_message) {
    if (child_.from_child < 0) return false;
    char buf[65536];
    auto n = ::read(child_.from_child, buf, sizeof buf);
    if (n < 0) return errno == EINTR || errno == EAGAIN;
    if (n == 0) return false;
    frames_.feed(std::string_view(buf, std::size_t(n)), on_message);
    return true;
}

std::string Browser::log_tail(std::size_t max_bytes) const {
    std::ifstream in(dir_ / "browser.log", std::ios::binary);
    if (!in) return {};
    in.seekg(0, std::ios::end);
    auto size = std::size_t(in.tellg());
    auto from = size > max_bytes ? size - max_bytes : 0;
    in.seekg(std::streamoff(from));
    std::string out(size - from, '\0');
    in.read(out.data(), std::streamsize(out.size()));
    if (from > 0) {
        auto nl = out.find('\n');
        if (nl != std::string::npos) out.erase(0, nl + 1);  // from a whole line on
    }
    return out;
}

cpython::ProcessResult Browser::close(std::chrono::milliseconds grace) {
    if (closed_) return ended_;
    closed_ = true;
    if (child_.pid > 0) {
        if (child_.to_child >= 0 && grace.count() > 0) send("Browser.close");
        ended_ = cpython::end_piped(child_, grace);
        // Its crash handlers live in sessions of their own, out of the group's reach; they
        // exit once the browser is gone and, adopted, are ours to reap.
        sys::reap_children(std::chrono::seconds(2));
    }
    run_dir_.release();  // after the group is gone: nothing writes into the profile any more
    return ended_;
}

}  // namespace wasmdev::browser
