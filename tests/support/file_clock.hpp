// Waiting for the file system's clock instead of sleeping for it: the kernel stamps mtime and
// ctime from a coarse clock (one tick is a few milliseconds), so two writes within a tick leave
// a file's times as they were. A test that needs "a later version" waits until a fresh write
// would get a later stamp, which it can see by writing a probe file beside the file.
#pragma once
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <thread>

namespace wasmdev::test {

// True when a file written from now on next to `path` gets a later mtime and ctime than
// `path` has now; false when that did not happen within 5 s (a tick is at most 10 ms). The
// probe (".clock-probe-NAME" beside it) is removed again.
inline bool wait_past_file_times(std::filesystem::path const& path) {
    struct stat target {};
    if (::stat(path.c_str(), &target) != 0) return false;
    auto const later = [](timespec const& a, timespec const& b) {
        return a.tv_sec != b.tv_sec ? a.tv_sec > b.tv_sec : a.tv_nsec > b.tv_nsec;
    };
    auto const& newest = later(target.st_ctim, target.st_mtim) ? target.st_ctim : target.st_mtim;
    auto const probe = path.parent_path() / (".clock-probe-" + path.filename().string());
    auto const until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    bool passed = false;
    for (;;) {
        std::ofstream(probe, std::ios::binary | std::ios::trunc) << 'x';
        struct stat p {};
        passed = ::stat(probe.c_str(), &p) == 0 && later(p.st_mtim, newest);
        if (passed || std::chrono::steady_clock::now() >= until) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));  // the period of the asking
    }
    std::error_code ignored;  // a leftover probe in a temporary tree harms nothing
    std::filesystem::remove(probe, ignored);
    return passed;
}

}  // namespace wasmdev::test
