// Base64 through OpenSSL's encoder (see base64.hpp): a well-kept library over a hand-written table.
#include "server/run/base64.hpp"

#include <openssl/evp.h>

#include <algorithm>

namespace wasmdev::run {

std::string base64_encode(std::string_view bytes) {
    std::string out;
    // EVP_EncodeBlock takes an int length: a body this size (at most max_mapped_bytes, 32 MiB)
    // always fits; encode in whole 3-byte groups so pieces join without padding between them.
    constexpr std::size_t piece = 3 * (1 << 20);
    out.resize((bytes.size() + 2) / 3 * 4 + 1);  // + the NUL EVP_EncodeBlock writes
    std::size_t written = 0;
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
        auto const n = std::min(piece, bytes.size() - at);
        written += std::size_t(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + written),
                                               reinterpret_cast<unsigned char const*>(bytes.data() + at), int(n)));
    }
    out.resize(written);
    return out;
}

}  // namespace wasmdev::run
