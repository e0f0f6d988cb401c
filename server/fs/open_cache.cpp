#include "server/fs/open_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <utility>
#include <vector>

namespace wasmdev::fs {

std::shared_ptr<OpenFile const> OpenFileCache::find(int root_fd, std::string const& relative) {
    std::shared_ptr<OpenFile const> file;
    {
        std::lock_guard lock(mutex_);
        auto it = slots_.find(relative);
        if (it == slots_.end()) return nullptr;
        order_.splice(order_.begin(), order_, it->second.position);
        file = it->second.file;
    }
    // Outside the lock: the syscall is the slow part. AT_SYMLINK_NOFOLLOW makes a symlink
    // put in place of the file a different inode; a symlinked directory on the way can only
    // lead to this same inode, whose bytes resolve() already allowed.
    struct stat st {};
    if (::fstatat(root_fd, relative.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
        OpenFile now;
        fill_identity(now, st);
        if (now.dev == file->dev && now.ino == file->ino && now.size == file->size && now.mtime_ns == file->mtime_ns &&
            now.ctime_ns == file->ctime_ns)
            return file;
    }
    std::lock_guard lock(mutex_);
    auto it = slots_.find(relative);
    if (it != slots_.end() && it->second.file == file) {
        order_.erase(it->second.position);
        slots_.erase(it);
    }
    return nullptr;
}

void OpenFileCache::insert(std::string const& relative, std::shared_ptr<OpenFile const> file) {
    if (capacity_ == 0) return;
    std::lock_guard lock(mutex_);
    if (auto it = slots_.find(relative); it != slots_.end()) {
        it->second.file = std::move(file);
        order_.splice(order_.begin(), order_, it->second.position);
        return;
    }
    if (slots_.size() >= capacity_) {
        slots_.erase(order_.back());
        order_.pop_back();
    }
    order_.push_front(relative);
    slots_.emplace(relative, Slot{std::move(file), order_.begin()});
}

std::size_t OpenFileCache::drop_unlinked() {
    std::vector<std::pair<std::string, std::shared_ptr<OpenFile const>>> all;
    {
        std::lock_guard lock(mutex_);
        all.reserve(slots_.size());
        for (auto const& [relative, slot] : slots_) all.emplace_back(relative, slot.file);
    }
    std::size_t dropped = 0;
    for (auto const& [relative, file] : all) {  // fstat outside the lock: lookups go on meanwhile
        struct stat st {};
        if (::fstat(file->fd, &st) != 0 || st.st_nlink > 0) continue;
        std::lock_guard lock(mutex_);
        auto it = slots_.find(relative);
        if (it == slots_.end() || it->second.file != file) continue;  // replaced meanwhile
        order_.erase(it->second.position);
        slots_.erase(it);
        ++dropped;
    }
    return dropped;
}

std::size_t OpenFileCache::size() const {
    std::lock_guard lock(mutex_);
    return slots_.size();
}

}  // namespace wasmdev::fs
