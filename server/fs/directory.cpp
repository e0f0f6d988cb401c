#include "server/fs/directory.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/fs/resolve.hpp"

namespace wasmdev::fs {
namespace {

// What a listing shows of a symlink: what resolve() opens for it, or nothing when it refuses.
bool describe_link(DirectoryEntry& e, std::filesystem::path const& root, std::vector<std::string> segments,
                   bool follow_symlinks, int root_fd) {
    segments.push_back(e.name);
    auto const found = resolve(root, segments, follow_symlinks, root_fd);
    if (found.kind != ResolveKind::file && found.kind != ResolveKind::directory) return false;
    e.is_directory = found.kind == ResolveKind::directory;
    e.size = found.file->size;
    e.mtime_s = found.file->mtime_ns / 1'000'000'000;
    e.is_symlink = true;
    return true;
}

}  // namespace

std::vector<DirectoryEntry> read_directory(int dir_fd, std::filesystem::path const& root,
                                           std::vector<std::string> const& segments, bool follow_symlinks,
                                           int root_fd) {
    std::vector<DirectoryEntry> out;
    int const own = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);  // fdopendir takes the descriptor over
    if (own < 0) return out;
    DIR* d = ::fdopendir(own);
    if (!d) {  // opened for search only (a directory without read permission): nothing to list
        ::close(own);
        return out;
    }
    ::rewinddir(d);  // a dup shares the position: start from the first entry whatever it was
    int const fd = ::dirfd(d);
    while (dirent const* e = ::readdir(d)) {
        std::string_view const name = e->d_name;
        if (name == "." || name == ".." || is_hidden_name(name)) continue;
        struct stat st {};
        // Relative to the directory and not following a link: no path walk, nothing outside.
        if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone meanwhile
        DirectoryEntry entry{std::string(name), S_ISDIR(st.st_mode), std::uint64_t(st.st_size),
                             std::int64_t(st.st_mtime), false};
        if (S_ISLNK(st.st_mode)) {
            if (!describe_link(entry, root, segments, follow_symlinks, root_fd)) continue;
        } else if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
            continue;  // nothing a request could fetch
        }
        out.push_back(std::move(entry));
    }
    ::closedir(d);
    return out;
}

}  // namespace wasmdev::fs
