#include "server/text/terminal_escape.hpp"

#include "server/text/ascii.hpp"

namespace wasmdev::text {

// The length of a well-formed UTF-8 sequence at the start of s (2..4) and its code point,
// or 0 when the bytes are not one (overlong, surrogate, beyond U+10FFFF, truncated).
std::size_t utf8_sequence(std::string_view s, char32_t& cp) {
    auto const b0 = static_cast<unsigned char>(s[0]);
    std::size_t n = b0 >= 0xF0 && b0 <= 0xF4 ? 4 : b0 >= 0xE0 ? (b0 <= 0xEF ? 3 : 0) : b0 >= 0xC2 && b0 <= 0xDF ? 2 : 0;
    if (n == 0 || s.size() < n) return 0;
    cp = b0 & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (std::size_t i = 1; i < n; ++i) {
        auto const b = static_cast<unsigned char>(s[i]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

bool is_control_code_point(char32_t cp) {
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

std::string escape_terminal(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    while (!s.empty()) {
        auto const c = static_cast<unsigned char>(s[0]);
        if (c >= 0x20 && c < 0x7F) {
            out += char(c);
            s.remove_prefix(1);
            continue;
        }
        if (c == '\n' || c == '\r') {
            out += c == '\n' ? "\\n" : "\\r";
            s.remove_prefix(1);
            continue;
        }
        char32_t cp = 0;
        auto const n = c >= 0x80 ? utf8_sequence(s, cp) : 0;
        if (n == 0) {
            out += "\\x";
            append_hex(out, c);
            s.remove_prefix(1);
        } else if (is_control_code_point(cp)) {
            out += "\\u{";
            for (int shift = 12; shift >= 0; shift -= 4) out += hex_digit(unsigned(cp >> shift));
            out += '}';
            s.remove_prefix(n);
        } else {
            out.append(s.substr(0, n));
            s.remove_prefix(n);
        }
    }
    return out;
}

}  // namespace wasmdev::text
