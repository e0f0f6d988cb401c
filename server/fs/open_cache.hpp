// A bounded cache of open regular files under the served root, keyed by their relative path.
// A hit costs one fstatat(2) instead of openat2 + fstat + close, and is taken only when the
// path still names the very same file: device, inode, size, mtime and ctime all equal (ctime
// also changes when an in-place write is followed by a restored mtime). Any difference, a
// missing file, or a symlink now in the last component is a miss, and resolve() decides
// afresh. So a cached descriptor can never serve bytes other than what the path names now.
// Thread-safe; lookups hold one uncontended mutex briefly.
#pragma once
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "server/fs/open_file.hpp"

namespace wasmdev::fs {

class OpenFileCache {
public:
    explicit OpenFileCache(std::size_t capacity = 256) : capacity_(capacity) {}

    // The cached file for `relative` (as resolve() joins segments) if it is still the file
    // at that path under root_fd; nullptr otherwise (and a stale entry is dropped).
    std::shared_ptr<OpenFile const> find(int root_fd, std::string const& relative);

    // Remembers a file resolve() just opened safely, evicting the least recently used.
    void insert(std::string const& relative, std::shared_ptr<OpenFile const> file);

    // Forgets files deleted since they were opened (no link left): their descriptors would
    // hold the disk space of a replaced 20 MB build until the path is asked for again. The
    // server calls it every few seconds. Returns how many were dropped.
    std::size_t drop_unlinked();

    std::size_t size() const;

private:
    using Order = std::list<std::string>;
    struct Slot {
        std::shared_ptr<OpenFile const> file;
        Order::iterator position;
    };
    std::size_t const capacity_;
    mutable std::mutex mutex_;
    Order order_;  // most recently used first
    std::unordered_map<std::string, Slot> slots_;
};

}  // namespace wasmdev::fs
