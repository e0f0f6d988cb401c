#include "server/fs/open_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "server/sys/file_time.hpp"

namespace wasmdev::fs {

OpenFile::~OpenFile() {
    if (fd >= 0) ::close(fd);  // read-only descriptor: nothing to flush, errors are moot
}

std::shared_ptr<OpenFile const> open_file(std::string const& path) {
    auto f = std::make_shared<OpenFile>();
    f->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (f->fd < 0) return nullptr;
    struct stat st {};
    if (::fstat(f->fd, &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
    fill_identity(*f, st);
    return f;
}

bool is_unchanged(OpenFile const& file) {
    struct stat st {};
    if (::fstat(file.fd, &st) != 0) return false;
    OpenFile now;
    fill_identity(now, st);
    return now.dev == file.dev && now.ino == file.ino && now.size == file.size && now.mtime_ns == file.mtime_ns &&
           (now.ctime_ns == file.ctime_ns || now.nlink < file.nlink);
}

void fill_identity(OpenFile& f, struct stat const& st) {
    f.size = std::uint64_t(st.st_size);
    f.dev = std::uint64_t(st.st_dev);
    f.ino = std::uint64_t(st.st_ino);
    f.mtime_ns = sys::mtime_ns(st);
    f.ctime_ns = sys::ctime_ns(st);
    f.nlink = std::uint64_t(st.st_nlink);
}

}  // namespace wasmdev::fs
