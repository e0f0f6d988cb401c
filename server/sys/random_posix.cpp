// Other POSIX systems: getentropy(3) (macOS 10.12+, FreeBSD 12+, OpenBSD, glibc 2.25+), which
// gives at most 256 bytes per call.
#include "server/sys/random.hpp"

#include <unistd.h>
#if defined(__APPLE__)
#include <sys/random.h>  // macOS declares getentropy here rather than in unistd.h
#endif

#include <algorithm>
#include <stdexcept>

namespace wasmdev::sys {

void random_bytes(void* out, std::size_t n) {
    auto* bytes = static_cast<unsigned char*>(out);
    for (std::size_t got = 0; got < n;) {
        auto const take = std::min<std::size_t>(n - got, 256);
        if (::getentropy(bytes + got, take) != 0)
            throw std::runtime_error("getentropy failed: the OS gave no random bytes");
        got += take;
    }
}

}  // namespace wasmdev::sys
