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
    return is_same_version(file, file_version_of(st));
}

void fill_identity(OpenFile& f, struct stat const& st) { static_cast<FileVersion&>(f) = file_version_of(st); }

}  // namespace wasmdev::fs
