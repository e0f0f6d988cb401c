// An open regular file and its identity (device, inode, size, mtime, ctime): the version a
// response describes, whatever happens to the path afterwards. Opening beneath the served
// root is resolve.hpp's job; this only opens a path it is given and reads fstat.
#pragma once
#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <string>

namespace wasmdev::fs {

// An open regular file; its fstat identity is the version the response describes.
struct OpenFile {
    int fd = -1;
    std::uint64_t size = 0;
    std::uint64_t dev = 0;
    std::uint64_t ino = 0;
    std::int64_t mtime_ns = 0;
    std::int64_t ctime_ns = 0;  // only for telling a rewritten file from the cached one
    std::uint64_t nlink = 0;    // only for telling an unlinked file from a rewritten one
    OpenFile() = default;
    OpenFile(OpenFile const&) = delete;
    OpenFile& operator=(OpenFile const&) = delete;
    ~OpenFile();
};

// Opens path read-only (never blocking on a FIFO) and checks it is a regular file.
std::shared_ptr<OpenFile const> open_file(std::string const& path);

// Whether fstat on the file's descriptor still shows the identity it was opened with: false
// once it is written in place (mtime, ctime or size move), which a body being sent from it
// must not survive (docs/design.md#never-stale). A ctime moved by an unlink alone (the link count went down:
// the path was replaced by rename or removed) leaves the bytes as they were. Coarse timestamps: a write within the same clock tick as
// the open can go unseen (kernels before multigrain timestamps, 6.6).
bool is_unchanged(OpenFile const& file);

// Copies size, device, inode, mtime and ctime from a stat result into file.
void fill_identity(OpenFile& file, struct stat const& st);

}  // namespace wasmdev::fs
