#include "server/http/reload_token.hpp"

#include "server/sys/random.hpp"

namespace wasmdev::http {

std::string make_reload_token() {
    unsigned char bytes[16];
    sys::random_bytes(bytes, sizeof bytes);
    static constexpr char hex[] = "0123456789abcdef";
    std::string token;
    for (auto b : bytes) token += hex[b >> 4], token += hex[b & 15];
    return token;
}

}  // namespace wasmdev::http
