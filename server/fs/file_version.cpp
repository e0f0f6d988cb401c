// The one "same file version" rule: docs/design.md#file-version.
#include "server/fs/file_version.hpp"

namespace wasmdev::fs {

FileVersion file_version_of(struct stat const& st) {
    FileVersion v;
    v.dev = std::uint64_t(st.st_dev);
    v.ino = std::uint64_t(st.st_ino);
    v.size = std::uint64_t(st.st_size);
    v.mtime_ns = std::int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    v.ctime_ns = std::int64_t(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
    v.nlink = std::uint64_t(st.st_nlink);
    return v;
}

bool is_same_version(FileVersion const& then, FileVersion const& now) {
    return now.dev == then.dev && now.ino == then.ino && now.size == then.size && now.mtime_ns == then.mtime_ns &&
           (now.ctime_ns == then.ctime_ns || now.nlink < then.nlink);
}

}  // namespace wasmdev::fs
