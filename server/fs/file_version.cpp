// The one "same file version" rule: docs/design.md#file-version.
#include "server/fs/file_version.hpp"

#include "server/sys/file_time.hpp"

namespace wasmdev::fs {

FileVersion file_version_of(struct stat const& st) {
    FileVersion v;
    v.dev = std::uint64_t(st.st_dev);
    v.ino = std::uint64_t(st.st_ino);
    v.size = std::uint64_t(st.st_size);
    v.mtime_ns = sys::mtime_ns(st);
    v.ctime_ns = sys::ctime_ns(st);
    v.nlink = std::uint64_t(st.st_nlink);
    return v;
}

bool is_same_version(FileVersion const& then, FileVersion const& now) {
    return now.dev == then.dev && now.ino == then.ino && now.size == then.size && now.mtime_ns == then.mtime_ns &&
           (now.ctime_ns == then.ctime_ns || now.nlink < then.nlink);
}

}  // namespace wasmdev::fs
