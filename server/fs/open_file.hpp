// An open regular file and its identity (device, inode, size, mtime, ctime): the version a
// response describes, whatever happens to the path afterwards. Opening beneath the served
// root is resolve.hpp's job; this only opens a path it is given and reads fstat.
#pragma once
#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <string>

#include "server/fs/file_version.hpp"

namespace wasmdev::fs {

// An open regular file; its fstat identity is the version the response describes.
struct OpenFile : FileVersion {
    int fd = -1;
    OpenFile() = default;
    OpenFile(OpenFile const&) = delete;
    OpenFile& operator=(OpenFile const&) = delete;
    ~OpenFile();
};

// Opens path read-only (never blocking on a FIFO) and checks it is a regular file.
std::shared_ptr<OpenFile const> open_file(std::string const& path);

// Whether fstat on the file's descriptor still shows the version it was opened with
// (is_same_version): false once it is written in place, which a body being sent from it
// must not survive (docs/design.md#never-stale). Coarse timestamps: a write within the same
// clock tick as the open can go unseen (kernels before multigrain timestamps, 6.6).
bool is_unchanged(OpenFile const& file);

// Copies the version (size, device, inode, mtime, ctime, link count) from a stat result into file.
void fill_identity(OpenFile& file, struct stat const& st);

}  // namespace wasmdev::fs
