// Other POSIX systems. Both backends keep the same picture of the tree (each directory's
// entries with their lstat identity) and report the difference when a directory is listed
// again. Polling (everywhere; forced by WASMDEV_PLATFORM=posix on Linux) lists the whole tree
// again after a pause ten times as long as the last listing took, so a big tree costs at most
// a tenth of a core. kqueue (macOS, the BSDs) watches every directory and, up to a descriptor
// budget, every file (EVFILT_VNODE), and lists again only the directory an event names.
#include "server/sys/tree_watch.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__) || defined(__DragonFly__)
#define WASMDEV_HAVE_KQUEUE 1
#include <sys/event.h>
#include <sys/resource.h>
#include <sys/time.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "server/sys/file_time.hpp"
#include "server/sys/process.hpp"

namespace wasmdev::sys {

namespace {

using Clock = std::chrono::steady_clock;

// Every entry of every listed directory, at most: the picture's memory bound (about 100 bytes
// an entry). Past it, deeper directories are not listed (a warning says so once).
constexpr std::size_t max_entries = 262144;

struct Entry {
    std::int64_t mtime_ns = 0;
    std::uint64_t size = 0;
    std::uint64_t ino = 0;
    bool directory = false;
    bool operator==(Entry const&) const = default;
};
using Listing = std::map<std::string, Entry>;  // name → identity

std::string join(std::string const& dir, std::string_view name) {
    return dir.empty() ? std::string(name) : dir + "/" + std::string(name);
}

// The tree as last listed, and the listing and comparing of one directory.
class Picture {
public:
    Picture(std::filesystem::path root, TreeWatchOptions const& options) : root_(std::move(root)), options_(options) {}

    std::size_t directories() const {
        std::lock_guard lock(mutex_);
        return listings_.size();
    }
    bool known(std::string const& rel) const { return listings_.count(rel) != 0; }

    // Lists rel again and appends what differs from the last listing (all of it as new when
    // there was none and report_new). Returns the subdirectories now in it; nullopt when it
    // cannot be read (gone: its parent reports that).
    std::optional<std::vector<std::string>> relist(std::string const& rel, bool report_new,
                                                   std::vector<TreeEvent>& out) {
        Listing now;
        if (!list(rel, now)) {
            forget(rel);
            return std::nullopt;
        }
        auto const before = listings_.find(rel);
        if (before != listings_.end())
            compare(rel, before->second, now, out);
        else if (report_new)
            compare(rel, {}, now, out);
        std::vector<std::string> subdirectories;
        for (auto const& [name, e] : now)
            if (e.directory) subdirectories.push_back(join(rel, name));
        std::lock_guard lock(mutex_);
        entries_ += now.size();
        if (before != listings_.end()) {
            entries_ -= before->second.size();
            before->second = std::move(now);
        } else {
            listings_.emplace(rel, std::move(now));
        }
        return subdirectories;
    }

    // Lists top and the directories below it, breadth first, while the bounds allow. Returns
    // the directories listed (top first).
    std::vector<std::string> relist_tree(std::string const& top, bool report_new, std::vector<TreeEvent>& out) {
        std::vector<std::string> listed;
        std::deque<std::string> queue{top};
        while (!queue.empty()) {
            auto rel = std::move(queue.front());
            queue.pop_front();
            if (!known(rel) && !room()) continue;  // the known ones further on are still listed
            auto subdirectories = relist(rel, report_new, out);
            if (!subdirectories) continue;
            listed.push_back(rel);
            for (auto& s : *subdirectories) queue.push_back(std::move(s));
        }
        return listed;
    }

    // Drops rel and everything below it from the picture.
    void forget(std::string const& rel) {
        std::lock_guard lock(mutex_);
        for (auto it = listings_.begin(); it != listings_.end();) {
            if (rel.empty() || it->first == rel || it->first.starts_with(rel + "/")) {
                entries_ -= it->second.size();
                it = listings_.erase(it);
            } else {
                ++it;
            }
        }
    }

    // Drops listings not in keep (directories gone or no longer reached).
    void keep_only(std::set<std::string> const& keep) {
        std::lock_guard lock(mutex_);
        for (auto it = listings_.begin(); it != listings_.end();) {
            if (keep.count(it->first)) {
                ++it;
                continue;
            }
            entries_ -= it->second.size();
            it = listings_.erase(it);
        }
    }

    Listing const* listing(std::string const& rel) const {
        auto it = listings_.find(rel);
        return it == listings_.end() ? nullptr : &it->second;
    }
    std::filesystem::path full(std::string const& rel) const { return rel.empty() ? root_ : root_ / rel; }

private:
    bool room() {
        if (listings_.size() < options_.max_directories && entries_ < max_entries) return true;
        if (!warned_) {
            warned_ = true;
            if (options_.warn)
                options_.warn(listings_.size() >= options_.max_directories
                                  ? "live reload: watching the first " + std::to_string(options_.max_directories) +
                                        " directories under ROOT only; changes deeper than that are not seen"
                                  : "live reload: watching the first " + std::to_string(max_entries) +
                                        " files under ROOT only; changes deeper than that are not seen");
        }
        return false;
    }

    // Each entry by lstat relative to the directory: a symlink is an entry of its own, never
    // followed. Skipped directories are left out with everything below them.
    bool list(std::string const& rel, Listing& out) const {
        DIR* d = ::opendir(full(rel).c_str());
        if (!d) return false;
        int const fd = ::dirfd(d);
        while (dirent const* e = ::readdir(d)) {
            std::string_view const name = e->d_name;
            if (name == "." || name == "..") continue;
            struct stat st {};
            if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone meanwhile
            bool const directory = S_ISDIR(st.st_mode);
            if (directory && options_.skip_directory && options_.skip_directory(name)) continue;
            // A directory's own times change with its entries, which are compared one by one.
            out.emplace(std::string(name),
                        Entry{directory ? 0 : mtime_ns(st), directory ? 0 : std::uint64_t(st.st_size),
                              std::uint64_t(st.st_ino), directory});
        }
        ::closedir(d);
        return true;
    }

    static void compare(std::string const& rel, Listing const& before, Listing const& after,
                        std::vector<TreeEvent>& out) {
        auto event = [&](std::string const& name, bool directory) {
            TreeEvent e;
            e.path = join(rel, name);
            e.directory = directory;
            return e;
        };
        for (auto const& [name, now] : after) {
            auto const was = before.find(name);
            if (was != before.end() && was->second == now) continue;
            if (was != before.end() && was->second.directory == now.directory && !now.directory) {
                auto e = event(name, false);
                e.modified = e.closed = true;  // a write seen done: no OS here says when a writer closes
                out.push_back(std::move(e));
                continue;
            }
            if (was != before.end()) {  // replaced by something of the other kind
                auto e = event(name, was->second.directory);
                e.deleted = true;
                out.push_back(std::move(e));
            }
            auto e = event(name, now.directory);
            e.created = true;
            e.closed = !now.directory;
            out.push_back(std::move(e));
        }
        for (auto const& [name, was] : before) {
            if (after.count(name)) continue;
            auto e = event(name, was.directory);
            e.deleted = true;
            out.push_back(std::move(e));
        }
    }

    std::filesystem::path root_;
    TreeWatchOptions const& options_;
    std::map<std::string, Listing> listings_;  // directory relative to root ("" is root) → its entries
    std::size_t entries_ = 0;
    bool warned_ = false;
    mutable std::mutex mutex_;  // guards listings_' size for directories() from other threads
};

// The pause after a full listing: ten times what it took, at least 100 ms (a change shows
// within about that), at most 2 s.
std::chrono::milliseconds polling_pause(Clock::duration listing_took) {
    auto const ten = std::chrono::duration_cast<std::chrono::milliseconds>(listing_took * 10);
    return std::clamp(ten, std::chrono::milliseconds(100), std::chrono::milliseconds(2000));
}

}  // namespace

struct TreeWatch::Impl {
    std::filesystem::path root;
    TreeWatchOptions options;
    Picture picture;
    int stop_read = -1, stop_write = -1;
    Clock::time_point next_listing{};
    bool polling = true;
#if defined(WASMDEV_HAVE_KQUEUE)
    int kq = -1;
    struct Watched {
        std::string rel;
        bool directory = false;
        std::uint64_t ino = 0;
    };
    std::unordered_map<int, Watched> watched;         // descriptor → what it watches
    std::unordered_map<std::string, int> descriptor;  // relative path → its descriptor
    std::size_t file_budget = 0;                      // descriptors left for files
    bool warned_budget = false;
#endif

    Impl(std::filesystem::path r, TreeWatchOptions o)
        : root(std::move(r)), options(std::move(o)), picture(root, options) {}

    ~Impl() {
#if defined(WASMDEV_HAVE_KQUEUE)
        for (auto const& [fd, w] : watched) ::close(fd);  // opened for events only: nothing to flush
        if (kq >= 0) ::close(kq);
#endif
        if (stop_read >= 0) ::close(stop_read);
        if (stop_write >= 0) ::close(stop_write);
    }

    // Polling: lists the whole tree, reports the differences, sets the next listing's time.
    void list_all(bool report, std::vector<TreeEvent>& out) {
        auto const start = Clock::now();
        auto const listed = picture.relist_tree("", report, out);
        picture.keep_only(std::set<std::string>(listed.begin(), listed.end()));
        auto const end = Clock::now();
        next_listing = end + polling_pause(end - start);
    }

    // Waits for the stop pipe up to ms (-1: without limit). False when stopped.
    bool wait_stop(int ms) {
        pollfd p{stop_read, POLLIN, 0};
        int const n = ::poll(&p, 1, ms);
        return !(n > 0 && p.revents);
    }

#if defined(WASMDEV_HAVE_KQUEUE)
    bool start_kqueue() {
        kq = ::kqueue();
        if (kq < 0) return false;
        ::fcntl(kq, F_SETFD, FD_CLOEXEC);
        struct kevent change;
        EV_SET(&change, stop_read, EVFILT_READ, EV_ADD, 0, 0, 0);
        if (::kevent(kq, &change, 1, nullptr, 0, nullptr) != 0) return false;
        // Half of what the process may still open goes to file watches; directories always
        // get theirs (they bring the new files' names).
        rlimit lim{};
        file_budget = ::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY
                          ? std::size_t(lim.rlim_cur / 2)
                          : 4096;
        return true;
    }

    // Watches the vnode at rel (a directory's entries, or a file's content), if not yet.
    void watch(std::string const& rel, bool directory, std::uint64_t ino) {
        auto const known = descriptor.find(rel);
        if (known != descriptor.end()) {
            if (watched[known->second].ino == ino) return;
            unwatch(rel);  // replaced (an editor's save by rename): watch the new file
        }
        if (!directory && file_budget == 0) {
            if (!warned_budget && options.warn)
                options.warn(
                    "live reload: out of descriptors for file watches; edits to some files in place are "
                    "not seen (new and renamed files still are)");
            warned_budget = true;
            return;
        }
#if defined(O_EVTONLY)
        int const fd = ::open(picture.full(rel).c_str(), O_EVTONLY | O_CLOEXEC | O_NOFOLLOW);
#else
        int const fd = ::open(picture.full(rel).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
#endif
        if (fd < 0) return;  // gone, unreadable, or a symlink: its directory still reports it
        struct kevent change;
        EV_SET(&change, fd, EVFILT_VNODE, EV_ADD | EV_CLEAR,
               NOTE_WRITE | NOTE_EXTEND | NOTE_ATTRIB | NOTE_DELETE | NOTE_RENAME, 0, 0);
        if (::kevent(kq, &change, 1, nullptr, 0, nullptr) != 0) {
            ::close(fd);
            return;
        }
        watched[fd] = Watched{rel, directory, ino};
        descriptor[rel] = fd;
        if (!directory) --file_budget;
    }

    void unwatch(std::string const& rel) {
        auto const it = descriptor.find(rel);
        if (it == descriptor.end()) return;
        if (!watched[it->second].directory) ++file_budget;
        ::close(it->second);  // closing removes its kevents
        watched.erase(it->second);
        descriptor.erase(it);
    }

    // Watches the directories just listed and their files; forgets watches on what left.
    void sync_watches(std::vector<std::string> const& listed) {
        for (auto const& dir : listed) {
            auto const* l = picture.listing(dir);
            if (!l) continue;
            struct stat st {};
            watch(dir, true, ::stat(picture.full(dir).c_str(), &st) == 0 ? std::uint64_t(st.st_ino) : 0);
            for (auto const& [name, e] : *l)
                if (!e.directory) watch(join(dir, name), false, e.ino);
        }
        std::vector<std::string> gone;
        for (auto const& [rel, fd] : descriptor) {
            auto const slash = rel.rfind('/');
            std::string const parent = slash == std::string::npos ? "" : rel.substr(0, slash);
            std::string const name = slash == std::string::npos ? rel : rel.substr(slash + 1);
            auto const* l = picture.listing(watched[fd].directory ? rel : parent);
            if (!l || (!watched[fd].directory && !l->count(name))) gone.push_back(rel);
        }
        for (auto const& rel : gone) unwatch(rel);
    }

    // One kevent batch: a directory's event lists it again (and any new subtree); a file's
    // write or attribute change is reported as such.
    bool kqueue_wait(int ms, std::vector<TreeEvent>& out) {
        struct kevent got[64];
        timespec ts{ms / 1000, long(ms % 1000) * 1'000'000};
        int const n = ::kevent(kq, nullptr, 0, got, 64, ms < 0 ? nullptr : &ts);
        if (n < 0) return errno == EINTR;
        std::set<std::string> dirty;
        for (int i = 0; i < n; ++i) {
            int const fd = int(got[i].ident);
            if (got[i].filter == EVFILT_READ && fd == stop_read) return false;
            auto const w = watched.find(fd);
            if (w == watched.end()) continue;
            if (w->second.directory) {
                dirty.insert(w->second.rel);
                continue;
            }
            auto const flags = got[i].fflags;
            if (flags & (NOTE_DELETE | NOTE_RENAME)) {
                auto const slash = w->second.rel.rfind('/');
                dirty.insert(slash == std::string::npos ? "" : w->second.rel.substr(0, slash));
                continue;
            }
            TreeEvent e;
            e.path = w->second.rel;
            e.modified = e.closed = flags & (NOTE_WRITE | NOTE_EXTEND);
            e.attributes = flags & NOTE_ATTRIB;
            out.push_back(std::move(e));
        }
        std::vector<std::string> listed;
        for (auto const& dir : dirty) {
            auto const before = out.size();
            auto subdirectories = picture.relist(dir, true, out);
            if (!subdirectories) continue;
            listed.push_back(dir);
            // New directories are listed whole (their files reported): they may have been
            // filled before their watch existed.
            for (std::size_t i = before; i < out.size(); ++i) {
                if (!out[i].directory || !out[i].created) continue;
                auto const sub = picture.relist_tree(out[i].path, true, out);
                listed.insert(listed.end(), sub.begin(), sub.end());
            }
            for (std::size_t i = before; i < out.size(); ++i)
                if (out[i].directory && out[i].deleted) picture.forget(out[i].path);
        }
        if (!listed.empty()) sync_watches(listed);
        return true;
    }
#endif
};

TreeWatch::TreeWatch(std::filesystem::path root, TreeWatchOptions options)
    : impl_(std::make_unique<Impl>(std::move(root), std::move(options))) {
    int fds[2];
    if (int const err = open_pipe(fds, true); err != 0)
        throw std::runtime_error(std::string("live reload: no pipe: ") + std::strerror(err));
    impl_->stop_read = fds[0];
    impl_->stop_write = fds[1];
    std::vector<TreeEvent> none;
#if defined(WASMDEV_HAVE_KQUEUE)
    if (!impl_->options.force_polling && impl_->start_kqueue()) {
        impl_->polling = false;
        impl_->sync_watches(impl_->picture.relist_tree("", false, none));
        return;
    }
#endif
    impl_->list_all(false, none);
}

TreeWatch::~TreeWatch() = default;

bool TreeWatch::wait(std::chrono::milliseconds timeout, std::vector<TreeEvent>& out) {
#if defined(WASMDEV_HAVE_KQUEUE)
    if (!impl_->polling) return impl_->kqueue_wait(timeout.count() < 0 ? -1 : int(timeout.count()), out);
#endif
    auto const now = Clock::now();
    auto const until_listing = std::chrono::duration_cast<std::chrono::milliseconds>(impl_->next_listing - now);
    auto wait_for = std::max(until_listing, std::chrono::milliseconds(0));
    if (timeout.count() >= 0) wait_for = std::min(wait_for, timeout);
    if (!impl_->wait_stop(int(std::min<long long>(wait_for.count(), 60'000)))) return false;
    if (Clock::now() >= impl_->next_listing) impl_->list_all(true, out);
    return true;
}

void TreeWatch::stop() {
    char const byte = 1;
    // A full pipe already holds a stop; the waiter ends at its next wake either way.
    [[maybe_unused]] auto _ = ::write(impl_->stop_write, &byte, 1);
}

std::size_t TreeWatch::directories() const { return impl_->picture.directories(); }

bool TreeWatch::sees_close() const { return false; }

}  // namespace wasmdev::sys
