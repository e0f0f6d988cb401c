#include "server/http/reload_token.hpp"

#include <sys/random.h>

#include <cerrno>
#include <stdexcept>

namespace wasmdev::http {

std::string make_reload_token() {
    unsigned char bytes[16];
    std::size_t got = 0;
    while (got < sizeof bytes) {
        auto n = ::getrandom(bytes + got, sizeof bytes - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error("getrandom failed: no randomness for the live-reload token");
        got += std::size_t(n);
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string token;
    for (auto b : bytes) token += hex[b >> 4], token += hex[b & 15];
    return token;
}

}  // namespace wasmdev::http
