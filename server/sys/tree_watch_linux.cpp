// Linux: inotify, one watch per directory (breadth first from the root, up to the bound; new
// directories join as they appear, their files reported since they may predate the watch),
// and an eventfd that ends a wait.
#include "server/sys/tree_watch.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace wasmdev::sys {

namespace {

constexpr std::uint32_t dir_mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_MODIFY |
                                   IN_ATTRIB | IN_DELETE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK;

std::string join(std::string const& dir, std::string_view name) {
    return dir.empty() ? std::string(name) : dir + "/" + std::string(name);
}

}  // namespace

struct TreeWatch::Impl {
    std::filesystem::path root;
    TreeWatchOptions options;
    int inotify_fd = -1;
    int stop_fd = -1;
    std::unordered_map<int, std::string> dirs;  // watch descriptor → directory relative to root ("" is root)
    mutable std::mutex mutex;                   // guards dirs' size for directories()
    bool warned_bound = false;

    Impl(std::filesystem::path r, TreeWatchOptions o) : root(std::move(r)), options(std::move(o)) {}
    ~Impl() {
        if (inotify_fd >= 0) ::close(inotify_fd);
        if (stop_fd >= 0) ::close(stop_fd);
    }

    void say(std::string const& s) {
        if (options.warn) options.warn(s);
    }
    bool skipped(std::string_view name) const { return options.skip_directory && options.skip_directory(name); }

    // Watches top and every directory below it, breadth first, up to the bound. Files found
    // in a directory that appeared after the start are reported (into out): they may have been
    // written before its watch existed.
    void add_tree(std::string const& top, std::vector<TreeEvent>* out) {
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
                    if (!skipped(name)) queue.push_back(join(rel, name));
                } else if (out) {
                    TreeEvent e;
                    e.path = join(rel, name);
                    e.moved_in = e.closed = true;
                    out->push_back(std::move(e));
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

    void on_event(inotify_event const& ie, std::vector<TreeEvent>& out) {
        if (ie.mask & IN_Q_OVERFLOW) {
            TreeEvent e;
            e.overflow = true;
            out.push_back(std::move(e));
            return;
        }
        auto const found = dirs.find(ie.wd);
        if (found == dirs.end()) return;
        if (ie.mask & IN_IGNORED) {  // the directory is gone (or its watch removed)
            std::lock_guard lock(mutex);
            dirs.erase(ie.wd);
            return;
        }
        if (ie.len == 0) return;  // about the directory itself: its parent reported it
        std::string_view const name(ie.name);
        TreeEvent e;
        e.path = join(found->second, name);
        e.directory = ie.mask & IN_ISDIR;
        e.created = ie.mask & IN_CREATE;
        e.moved_in = ie.mask & IN_MOVED_TO;
        e.moved_out = ie.mask & IN_MOVED_FROM;
        e.deleted = ie.mask & IN_DELETE;
        e.modified = ie.mask & IN_MODIFY;
        e.closed = ie.mask & IN_CLOSE_WRITE;
        e.attributes = ie.mask & IN_ATTRIB;
        if (e.directory) {
            if (skipped(name)) return;
            if (e.created || e.moved_in) add_tree(e.path, &out);
            if (e.moved_out) forget_tree(e.path);
        }
        out.push_back(std::move(e));
    }
};

TreeWatch::TreeWatch(std::filesystem::path root, TreeWatchOptions options)
    : impl_(std::make_unique<Impl>(std::move(root), std::move(options))) {
    impl_->inotify_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (impl_->inotify_fd < 0)
        throw std::runtime_error(std::string("inotify is not available: ") + std::strerror(errno));
    impl_->stop_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (impl_->stop_fd < 0) throw std::runtime_error(std::string("eventfd failed: ") + std::strerror(errno));
    impl_->add_tree("", nullptr);
}

TreeWatch::~TreeWatch() = default;

bool TreeWatch::wait(std::chrono::milliseconds timeout, std::vector<TreeEvent>& out) {
    alignas(inotify_event) char buffer[64 * 1024];
    int const timeout_ms = timeout.count() < 0 ? -1 : int(std::min<long long>(timeout.count(), 60'000));
    pollfd fds[2] = {{impl_->inotify_fd, POLLIN, 0}, {impl_->stop_fd, POLLIN, 0}};
    int const n = ::poll(fds, 2, timeout_ms);
    if (n < 0 && errno != EINTR) return false;
    if (n > 0 && fds[1].revents) return false;
    if (n > 0 && fds[0].revents) {
        auto const got = ::read(impl_->inotify_fd, buffer, sizeof buffer);
        for (ssize_t off = 0; got > 0 && off < got;) {
            auto const* e = reinterpret_cast<inotify_event const*>(buffer + off);
            impl_->on_event(*e, out);
            off += ssize_t(sizeof(inotify_event) + e->len);
        }
    }
    return true;
}

void TreeWatch::stop() {
    std::uint64_t one = 1;
    // Cannot fail on a fresh eventfd short of overflow; the waiter then ends at its next wake.
    [[maybe_unused]] auto _ = ::write(impl_->stop_fd, &one, sizeof one);
}

std::size_t TreeWatch::directories() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->dirs.size();
}

bool TreeWatch::sees_close() const { return true; }

}  // namespace wasmdev::sys
