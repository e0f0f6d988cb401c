#include "server/watch/watcher.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "server/watch/ignore.hpp"

namespace wasmdev::watch {

namespace {

constexpr std::uint32_t dir_mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_MODIFY |
                                   IN_ATTRIB | IN_DELETE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK;

std::string join(std::string const& dir, std::string_view name) {
    return dir.empty() ? std::string(name) : dir + "/" + std::string(name);
}

}  // namespace

struct Watcher::State {
    std::filesystem::path root;
    Hub& hub;
    WatchOptions options;
    std::function<void(std::string const&)> warn;
    int inotify_fd = -1;
    int stop_fd = -1;
    Debouncer debouncer;
    std::unordered_map<int, std::string> dirs;  // watch descriptor → directory relative to root ("" is root)
    mutable std::mutex mutex;                   // guards dirs' size for directories()
    bool warned_bound = false;

    State(std::filesystem::path r, Hub& h, WatchOptions o, std::function<void(std::string const&)> w)
        : root(std::move(r)), hub(h), options(o), warn(std::move(w)), debouncer(o.quiet) {}

    ~State() {
        if (inotify_fd >= 0) ::close(inotify_fd);
        if (stop_fd >= 0) ::close(stop_fd);
    }

    void say(std::string const& s) {
        if (warn) warn(s);
    }

    // Watches rel and every directory below it, breadth first, up to the bound. Files found
    // in a directory that appeared after the start are reported: they may have been written
    // before its watch existed. Returns false at the bound.
    void add_tree(std::string const& top, bool report_files, Clock::time_point now) {
        std::deque<std::string> queue{top};
        while (!queue.empty()) {
            auto rel = std::move(queue.front());
            queue.pop_front();
            if (dirs.size() >= options.max_directories) {
                if (!warned_bound)
                    say("live reload: watching the first " + std::to_string(options.max_directories) +
                        " directories under ROOT only; changes deeper than that are not seen");
                warned_bound = true;
                return;
            }
            auto const full = rel.empty() ? root : root / rel;
            int wd = ::inotify_add_watch(inotify_fd, full.c_str(), dir_mask);
            if (wd < 0) {
                if (errno == ENOSPC && !warned_bound) {
                    say("live reload: the kernel's inotify limit is reached (raise it with "
                        "sudo sysctl fs.inotify.max_user_watches=524288); some directories are not watched");
                    warned_bound = true;
                }
                continue;  // gone already, or unreadable: nothing to watch
            }
            {
                std::lock_guard lock(mutex);
                dirs[wd] = rel;
            }
            std::error_code ec;
            for (std::filesystem::directory_iterator it(full, ec), end; !ec && it != end; it.increment(ec)) {
                auto const name = it->path().filename().string();
                std::error_code type_ec;
                if (it->is_directory(type_ec) && !it->is_symlink(type_ec)) {
                    if (!is_ignored_directory(name)) queue.push_back(join(rel, name));
                } else if (report_files && !is_ignored_file(name)) {
                    debouncer.changed("/" + join(rel, name), now);
                }
            }
        }
    }

    void forget_tree(std::string const& rel) {
        std::lock_guard lock(mutex);
        for (auto it = dirs.begin(); it != dirs.end();) {
            if (it->second == rel || it->second.starts_with(rel + "/")) {
                ::inotify_rm_watch(inotify_fd, it->first);
                it = dirs.erase(it);
            } else {
                ++it;
            }
        }
    }

    void on_event(inotify_event const& e, Clock::time_point now) {
        if (e.mask & IN_Q_OVERFLOW) {
            debouncer.changed_all(now);
            return;
        }
        auto const found = dirs.find(e.wd);
        if (found == dirs.end()) return;
        if (e.mask & IN_IGNORED) {  // the directory is gone (or its watch removed)
            std::lock_guard lock(mutex);
            dirs.erase(e.wd);
            return;
        }
        if (e.len == 0) return;  // about the directory itself: its parent reported it
        std::string_view const name(e.name);
        auto const rel = join(found->second, name);
        if (e.mask & IN_ISDIR) {
            if (is_ignored_directory(name)) return;
            if (e.mask & (IN_CREATE | IN_MOVED_TO)) add_tree(rel, true, now);
            if (e.mask & IN_MOVED_FROM) forget_tree(rel);
            if (e.mask & (IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)) debouncer.changed("/" + rel, now);
            return;
        }
        if (is_build_log(name)) {
            // Created or truncated counts: `cmd | tee wasmdev-build.log` may write nothing until the end.
            if (e.mask & (IN_MODIFY | IN_CREATE)) debouncer.build_log_written(now);
            if (e.mask & IN_CLOSE_WRITE) debouncer.build_log_closed(now);
            return;
        }
        if (is_ignored_file(name)) return;
        if (e.mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB))
            debouncer.changed("/" + rel, now);
        else if (e.mask & (IN_MODIFY | IN_CREATE))
            debouncer.writing(now);  // announced when it is closed
    }

    void run() {
        alignas(inotify_event) char buffer[64 * 1024];
        for (;;) {
            int timeout_ms = -1;
            if (auto due = debouncer.deadline()) {
                auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(*due - Clock::now()).count();
                timeout_ms = int(std::clamp<long long>(left + 1, 0, 60'000));
            }
            pollfd fds[2] = {{inotify_fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
            int const n = ::poll(fds, 2, timeout_ms);
            if (n < 0 && errno != EINTR) return;
            if (fds[1].revents) return;
            if (n > 0 && fds[0].revents) {
                auto const got = ::read(inotify_fd, buffer, sizeof buffer);
                auto const now = Clock::now();
                for (ssize_t off = 0; got > 0 && off < got;) {
                    auto const* e = reinterpret_cast<inotify_event const*>(buffer + off);
                    on_event(*e, now);
                    off += ssize_t(sizeof(inotify_event) + e->len);
                }
            }
            if (auto change = debouncer.take_due(Clock::now())) hub.publish(*change);
        }
    }
};

Watcher::Watcher(std::filesystem::path root, Hub& hub, WatchOptions options, std::function<void(std::string const&)> warn)
    : state_(std::make_unique<State>(std::move(root), hub, options, std::move(warn))) {
    state_->inotify_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (state_->inotify_fd < 0) throw std::runtime_error(std::string("inotify is not available: ") + std::strerror(errno));
    state_->stop_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (state_->stop_fd < 0) throw std::runtime_error(std::string("eventfd failed: ") + std::strerror(errno));
    state_->add_tree("", false, Clock::now());
    thread_ = std::thread([s = state_.get()] { s->run(); });
}

Watcher::~Watcher() {
    std::uint64_t one = 1;
    // Cannot fail on a fresh eventfd short of overflow; the thread then ends at its next wake.
    [[maybe_unused]] auto _ = ::write(state_->stop_fd, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
}

std::size_t Watcher::directories() const {
    std::lock_guard lock(state_->mutex);
    return state_->dirs.size();
}

}  // namespace wasmdev::watch
