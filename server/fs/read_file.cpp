// read_file: the one bounded read-a-whole-file loop.
#include "server/fs/read_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace wasmdev::fs {

namespace {

template <class Buffer>
std::optional<Buffer> read_into(std::filesystem::path const& p, std::uint64_t max_bytes, std::string* why) {
    auto fail = [&](std::string reason) -> std::optional<Buffer> {
        if (why) *why = std::move(reason);
        return std::nullopt;
    };
    std::ifstream in(p, std::ios::binary);
    if (!in) return fail(std::strerror(errno));
    Buffer out;
    // The size stat reports, as a hint only: room for it up front, so a 20 MB module is not
    // copied at each doubling (which held 16 + 32 MiB at once), but the loop below decides.
    std::error_code ec;
    if (auto const hint = std::filesystem::file_size(p, ec); !ec)
        out.reserve(std::size_t(std::min<std::uint64_t>(hint, max_bytes) + 1));
    char chunk[64 * 1024];
    // Read until end of file, one byte past the bound at most: the size stat reports is not
    // trusted (procfs and sysfs report 0 or a page), nor is a file that grows while read.
    while (out.size() <= max_bytes) {
        auto const want = std::min<std::uint64_t>(sizeof chunk, max_bytes + 1 - out.size());
        in.read(chunk, std::streamsize(want));
        auto const got = std::size_t(in.gcount());
        out.insert(out.end(), chunk, chunk + got);
        if (got < want) break;
    }
    if (in.bad()) return fail(std::strerror(errno));
    if (out.size() > max_bytes) return fail("larger than " + std::to_string(max_bytes) + " bytes");
    return out;
}

}  // namespace

std::optional<std::string> read_file(std::filesystem::path const& p, std::uint64_t max_bytes, std::string* why) {
    return read_into<std::string>(p, max_bytes, why);
}

std::optional<std::vector<std::uint8_t>> read_file_bytes(std::filesystem::path const& p, std::uint64_t max_bytes,
                                                         std::string* why) {
    return read_into<std::vector<std::uint8_t>>(p, max_bytes, why);
}

}  // namespace wasmdev::fs
