// glibc's malloc tunables behind sys/memory.hpp. Another C library on Linux (musl) has neither
// mallopt's thresholds nor malloc_trim: the functions do nothing there.
#include "server/sys/memory.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace wasmdev::sys {

void return_big_blocks_when_freed() {
#if defined(__GLIBC__)
    // Setting either threshold turns glibc's dynamic adjustment off. The heap's top is trimmed
    // past 1 MiB free rather than 128 KiB, so a burst of connections does not move the break
    // up and down; give_back_free_memory() returns the rest.
    ::mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    ::mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
#endif
}

FreeHeld free_held() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    auto const info = ::mallinfo2();
    return {.bytes = info.fordblks, .known = true};
#else
    return {};
#endif
}

void give_back_free_memory() {
#if defined(__GLIBC__)
    ::malloc_trim(0);
#endif
}

}  // namespace wasmdev::sys
