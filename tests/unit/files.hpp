// Small file helpers the unit tests of resolve() and the open-file cache share.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "server/fs/open_file.hpp"

namespace wasmdev::test {

// Writes bytes to p, replacing what was there (same inode when p exists).
inline void write_file(std::filesystem::path const& p, std::string_view bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
}

// The bytes an open file holds now, read through its descriptor.
inline std::string read_all(fs::OpenFile const& f) {
    std::string bytes(f.size, '\0');
    auto n = ::pread(f.fd, bytes.data(), bytes.size(), 0);
    bytes.resize(n < 0 ? 0 : std::size_t(n));
    return bytes;
}

}  // namespace wasmdev::test
