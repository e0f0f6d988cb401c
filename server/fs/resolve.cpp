#include "server/fs/resolve.hpp"

#include "server/fs/open_cache.hpp"
#include "server/sys/open_beneath.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <memory>

namespace wasmdev::fs {
namespace {

// Read-only, never blocking on a FIFO, never becoming a controlling terminal.
constexpr int open_flags = O_RDONLY | O_NONBLOCK | O_NOCTTY;

// How often the symlink route computes the path again when what it names keeps changing
// between realpath() and the open (a symlink swapped in: the open refuses it).
constexpr int symlink_attempts = 8;

bool within(std::string_view root, std::string_view path) {
    if (root == "/") return true;
    return path == root || (path.starts_with(root) && path[root.size()] == '/');
}

// root + "/" + relative as one string (a std::filesystem::path would split it into components).
std::string join(std::filesystem::path const& root, std::string const& relative) {
    std::string out;
    out.reserve(root.native().size() + 1 + relative.size());
    out = root.native();
    if (!relative.empty()) {
        if (out.back() != '/') out += '/';
        out += relative;
    }
    return out;
}

bool has_hidden_segment(std::string_view relative) {
    while (!relative.empty()) {
        auto slash = relative.find('/');
        auto seg = relative.substr(0, slash);
        if (is_hidden_name(seg)) return true;
        if (slash == std::string_view::npos) break;
        relative.remove_prefix(slash + 1);
    }
    return false;
}

Resolved refused(ResolveKind kind, char const* cause) { return {kind, {}, {}, cause}; }

// What an open that failed with err means for the client.
Resolved failed(int err) {
    if (err == EACCES) return refused(ResolveKind::forbidden, "permission denied");
    if (err == ENAMETOOLONG) return refused(ResolveKind::not_found, "path too long");
    if (err == ELOOP) return refused(ResolveKind::not_found, "too many levels of symbolic links");
    // A socket (ENXIO) or a device without a driver: only regular files are served.
    if (err == ENXIO || err == ENODEV || err == EOPNOTSUPP)
        return refused(ResolveKind::forbidden, "not a regular file");
    return refused(ResolveKind::not_found, "no such file");
}

// The opened descriptor as a result: a directory (kept, so a listing reads this very
// directory) or a regular file; FIFOs, sockets and devices would block or leak.
Resolved opened(int fd, std::string path) {
    auto file = std::make_shared<OpenFile>();
    file->fd = fd;
    struct stat st {};
    if (::fstat(fd, &st) != 0) return refused(ResolveKind::not_found, "no such file");
    fill_identity(*file, st);
    if (S_ISDIR(st.st_mode)) return {ResolveKind::directory, std::move(path), std::move(file), {}};
    if (!S_ISREG(st.st_mode)) return refused(ResolveKind::forbidden, "not a regular file");
    return {ResolveKind::file, std::move(path), std::move(file), {}};
}

// A directory readable only by search permission is still a directory (its index.html may
// be served); a file without read permission stays refused.
Resolved opened_or_failed(int fd, int dir_fd, std::string const& relative, std::string path) {
    if (fd >= 0) return opened(fd, std::move(path));
    if (fd == -EACCES) {
        int const bare = sys::open_directory_beneath(dir_fd, relative);
        if (bare >= 0) return opened(bare, std::move(path));
    }
    return failed(-fd);
}

// The route for a path with a symlink on the way: realpath() says where it leads, and that
// symlink-free path is opened with symlinks refused. A link swapped in after realpath() makes
// the open fail (ELOOP) rather than follow it, and the path is computed again.
Resolved resolve_through_links(std::filesystem::path const& root, std::string const& relative, bool follow_symlinks,
                               int root_fd) {
    auto const joined = join(root, relative);
    if (joined.size() >= PATH_MAX) return refused(ResolveKind::not_found, "path too long");
    std::string_view const root_s = root.native();
    for (int attempt = 0; attempt < symlink_attempts; ++attempt) {
        std::unique_ptr<char, decltype(&std::free)> real(::realpath(joined.c_str(), nullptr), &std::free);
        if (!real) return failed(errno);
        std::string canonical(real.get());
        int fd = -1;
        std::string inside;
        if (within(root_s, canonical)) {
            inside = canonical.substr(std::min(canonical.size(), root_s.size() + (root_s == "/" ? 0 : 1)));
            // A symlink inside the root that points into .git or similar is still hidden: the
            // check is on the path opened, not on the one asked for.
            if (has_hidden_segment(inside)) return refused(ResolveKind::not_found, "hidden files are not served");
            fd = sys::open_beneath(root_fd, inside, open_flags);
            if (fd == -EACCES) return opened_or_failed(fd, root_fd, inside, std::move(canonical));
        } else {
            if (!follow_symlinks)
                return refused(ResolveKind::forbidden,
                               "a symlink leads outside the served root (pass --follow-symlinks to allow it)");
            fd = sys::open_absolute(canonical, open_flags);
        }
        if (fd >= 0) return opened(fd, std::move(canonical));
        if (fd != -ELOOP && fd != -ENOENT && fd != -ENOTDIR) return failed(-fd);
        // Changed between realpath() and the open: look again.
    }
    return refused(ResolveKind::forbidden, "the path kept changing while it was opened");
}

// The descriptor of root for one call when the caller has none (tests, tools).
struct RootFd {
    int fd = -1;
    bool owned = false;
    RootFd(std::filesystem::path const& root, int given) : fd(given) {
        if (fd < 0) fd = open_root(root), owned = true;
    }
    ~RootFd() {
        if (owned && fd >= 0) ::close(fd);  // opened for search only: nothing to flush
    }
    RootFd(RootFd const&) = delete;
    RootFd& operator=(RootFd const&) = delete;
};

}  // namespace

int open_root(std::filesystem::path const& root) {
    int const fd = sys::open_directory(root.c_str());
    return fd >= 0 ? fd : -1;
}

bool is_hidden_name(std::string_view name) { return !name.empty() && name.front() == '.'; }

Resolved resolve(std::filesystem::path const& root, std::vector<std::string> const& segments, bool follow_symlinks,
                 int root_fd, OpenFileCache* open_files) {
    std::string relative;
    for (auto const& seg : segments) {
        if (is_hidden_name(seg)) return refused(ResolveKind::not_found, "hidden files are not served");
        if (!relative.empty()) relative += '/';
        relative += seg;
    }
    RootFd const root_dir(root, root_fd);
    if (root_dir.fd < 0) return refused(ResolveKind::not_found, "the served root cannot be opened");
    if (open_files && !relative.empty())
        if (auto file = open_files->find(root_dir.fd, relative))
            return {ResolveKind::file, join(root, relative), std::move(file), {}};

    // One step the kernel checks: beneath root, no symlink anywhere on the way (docs/design.md#symlinks).
    int const fd = sys::open_beneath(root_dir.fd, relative, open_flags);
    if (fd == -ELOOP) return resolve_through_links(root, relative, follow_symlinks, root_dir.fd);
    auto found = opened_or_failed(fd, root_dir.fd, relative, join(root, relative));
    if (found.kind == ResolveKind::file && open_files) open_files->insert(relative, found.file);
    return found;
}

}  // namespace wasmdev::fs
