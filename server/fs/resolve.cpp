#include "server/fs/resolve.hpp"

#include "server/fs/open_cache.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <memory>
#include <optional>

namespace wasmdev::fs {
namespace {

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

// The fast path: nullopt when it cannot decide (a symlink on the way, no openat2).
std::optional<Resolved> resolve_beneath(std::filesystem::path const& root, std::string const& relative, int root_fd,
                                        OpenFileCache* open_files) {
    open_how how{};
    how.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    int fd = int(::syscall(SYS_openat2, root_fd, relative.empty() ? "." : relative.c_str(), &how, sizeof how));
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return Resolved{ResolveKind::not_found, {}, {}, "no such file"};
        if (errno == EACCES) return Resolved{ResolveKind::forbidden, {}, {}, "permission denied"};
        return std::nullopt;  // ELOOP (a symlink), EXDEV, ENOSYS, EPERM (seccomp): decide the slow way
    }
    auto file = std::make_shared<OpenFile>();
    file->fd = fd;
    struct stat st {};
    if (::fstat(fd, &st) != 0) return Resolved{ResolveKind::not_found, {}, {}, "no such file"};
    auto path = join(root, relative);
    // The directory's descriptor is kept: a listing reads this very directory, not whatever
    // its path names by the time it is read.
    if (S_ISDIR(st.st_mode)) return Resolved{ResolveKind::directory, std::move(path), std::move(file), {}};
    if (!S_ISREG(st.st_mode)) return Resolved{ResolveKind::forbidden, {}, {}, "not a regular file"};
    fill_identity(*file, st);
    if (open_files) open_files->insert(relative, file);
    return Resolved{ResolveKind::file, std::move(path), std::move(file), {}};
}

}  // namespace

int open_root(std::filesystem::path const& root) { return ::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC); }

bool is_hidden_name(std::string_view name) { return !name.empty() && name.front() == '.'; }

Resolved resolve(std::filesystem::path const& root, std::vector<std::string> const& segments,
                 bool follow_symlinks, int root_fd, OpenFileCache* open_files) {
    std::string relative;
    for (auto const& seg : segments) {
        if (is_hidden_name(seg)) return {ResolveKind::not_found, {}, {}, "hidden files are not served"};
        if (!relative.empty()) relative += '/';
        relative += seg;
    }
    if (root_fd >= 0) {
        if (open_files && !relative.empty())
            if (auto file = open_files->find(root_fd, relative))
                return {ResolveKind::file, join(root, relative), std::move(file), {}};
        if (auto fast = resolve_beneath(root, relative, root_fd, open_files)) return std::move(*fast);
    }

    std::string joined = root.native();
    if (!relative.empty()) {
        if (joined.back() != '/') joined += '/';
        joined += relative;
    }
    if (joined.size() >= PATH_MAX) return {ResolveKind::not_found, {}, {}, "path too long"};

    std::unique_ptr<char, decltype(&std::free)> real(::realpath(joined.c_str(), nullptr), &std::free);
    if (!real) {
        if (errno == EACCES) return {ResolveKind::forbidden, {}, {}, "permission denied"};
        return {ResolveKind::not_found, {}, {}, "no such file"};
    }
    std::string_view canonical(real.get());
    std::string_view const root_s = root.native();
    if (!within(root_s, canonical)) {
        if (!follow_symlinks)
            return {ResolveKind::forbidden, {}, {}, "a symlink leads outside the served root (pass --follow-symlinks to allow it)"};
    } else if (canonical.size() > root_s.size() && has_hidden_segment(canonical.substr(root_s.size() + (root_s == "/" ? 0 : 1)))) {
        // A symlink inside the root that points into .git or similar is still hidden.
        return {ResolveKind::not_found, {}, {}, "hidden files are not served"};
    }

    struct stat st {};
    if (::stat(real.get(), &st) != 0) return {ResolveKind::not_found, {}, {}, "no such file"};
    if (S_ISDIR(st.st_mode)) return {ResolveKind::directory, std::string(canonical), {}, {}};
    // FIFOs, sockets and devices would block or leak: only regular files are served.
    if (!S_ISREG(st.st_mode)) return {ResolveKind::forbidden, {}, {}, "not a regular file"};
    auto file = open_file(real.get());
    if (!file) return {ResolveKind::forbidden, {}, {}, "the file cannot be opened"};
    return {ResolveKind::file, std::string(canonical), std::move(file), {}};
}

}  // namespace wasmdev::fs
