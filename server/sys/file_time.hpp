// A stat's timestamps as nanoseconds since the epoch, whatever the OS calls the fields:
// st_mtim/st_ctim (Linux, FreeBSD, POSIX 2008) or st_mtimespec/st_ctimespec (macOS).
// Inline: the open-file cache compares them on every request.
#pragma once
#include <sys/stat.h>

#include <cstdint>

namespace wasmdev::sys {

#if defined(__APPLE__)
inline std::int64_t mtime_ns(struct stat const& st) {
    return std::int64_t(st.st_mtimespec.tv_sec) * 1'000'000'000 + st.st_mtimespec.tv_nsec;
}
inline std::int64_t ctime_ns(struct stat const& st) {
    return std::int64_t(st.st_ctimespec.tv_sec) * 1'000'000'000 + st.st_ctimespec.tv_nsec;
}
#else
inline std::int64_t mtime_ns(struct stat const& st) {
    return std::int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}
inline std::int64_t ctime_ns(struct stat const& st) {
    return std::int64_t(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
}
#endif

}  // namespace wasmdev::sys
