// The version of a file: the identity a response, an open descriptor and a compressed body
// describe (device, inode, size, mtime, ctime, link count), and the one rule that says
// whether a later stat shows the same bytes (docs/design.md#file-version). Reading stat is
// the callers' job (open_file.cpp, compress/cache.cpp); this is pure.
#pragma once
#include <sys/stat.h>

#include <cstdint>

namespace wasmdev::fs {

struct FileVersion {
    std::uint64_t dev = 0;
    std::uint64_t ino = 0;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::int64_t ctime_ns = 0;  // a rewrite with mtime set back (cp -p, touch -r) still moves ctime
    std::uint64_t nlink = 0;    // only for telling an unlink from a rewrite
    bool operator==(FileVersion const&) const = default;
};

// The version a stat result describes.
FileVersion file_version_of(struct stat const& st);

// Whether `now` (a later stat of the same descriptor or path) still shows the bytes of
// `then`: same device, inode, size and mtime, and the same ctime unless the link count went
// down (an unlink or a rename over the path moves ctime but leaves the bytes as they were).
bool is_same_version(FileVersion const& then, FileVersion const& now);

}  // namespace wasmdev::fs
