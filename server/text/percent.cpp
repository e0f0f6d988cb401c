#include "server/text/percent.hpp"

#include "server/text/ascii.hpp"

namespace wasmdev::text {

void append_percent_encoded(std::string& out, std::string_view s, KeepByte keep) {
    for (unsigned char c : s) {
        if (keep(c)) {
            out += char(c);
        } else {
            out += '%';
            append_hex(out, c, HexCase::upper);
        }
    }
}

std::string percent_encode(std::string_view s, KeepByte keep) {
    std::string out;
    out.reserve(s.size());
    append_percent_encoded(out, s, keep);
    return out;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        int const hi = s[i] == '%' && i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
        int const lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
        if (lo >= 0) {
            out += char(hi * 16 + lo);
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace wasmdev::text
