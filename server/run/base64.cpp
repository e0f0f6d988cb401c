// RFC 4648 base64 (see base64.hpp).
#include "server/run/base64.hpp"

namespace wasmdev::run {

std::string base64_encode(std::string_view bytes) {
    static constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    auto at = [&](std::size_t k) { return unsigned(static_cast<unsigned char>(bytes[k])); };
    for (; i + 3 <= bytes.size(); i += 3) {
        unsigned v = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
        out += digits[v >> 18 & 63];
        out += digits[v >> 12 & 63];
        out += digits[v >> 6 & 63];
        out += digits[v & 63];
    }
    if (auto left = bytes.size() - i; left > 0) {
        unsigned v = at(i) << 16 | (left == 2 ? at(i + 1) << 8 : 0);
        out += digits[v >> 18 & 63];
        out += digits[v >> 12 & 63];
        out += left == 2 ? digits[v >> 6 & 63] : '=';
        out += '=';
    }
    return out;
}

}  // namespace wasmdev::run
