// Linux: getrandom(2), which blocks only until the pool is first seeded.
#include "server/sys/random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <stdexcept>

namespace wasmdev::sys {

void random_bytes(void* out, std::size_t n) {
    auto* bytes = static_cast<unsigned char*>(out);
    std::size_t got = 0;
    while (got < n) {
        auto r = ::getrandom(bytes + got, n - got, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) throw std::runtime_error("getrandom failed: the OS gave no random bytes");
        got += std::size_t(r);
    }
}

}  // namespace wasmdev::sys
