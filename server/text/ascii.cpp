#include "server/text/ascii.hpp"

namespace wasmdev::text {

std::string_view trim(std::string_view s, std::string_view chars) {
    auto const first = s.find_first_not_of(chars);
    if (first == std::string_view::npos) return s.substr(s.size());
    return s.substr(first, s.find_last_not_of(chars) - first + 1);
}

std::string lowercase(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = lower(c);
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string escape_controls(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
        auto const c = static_cast<unsigned char>(ch);
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c < 0x20 || c == 0x7f) {
            out += "\\x";
            append_hex(out, c);
        } else {
            out += ch;
        }
    }
    return out;
}

char hex_digit(unsigned v, HexCase hex_case) {
    return (hex_case == HexCase::upper ? "0123456789ABCDEF" : "0123456789abcdef")[v & 15];
}

void append_hex(std::string& out, unsigned char byte, HexCase hex_case) {
    out += hex_digit(byte >> 4, hex_case);
    out += hex_digit(byte, hex_case);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace wasmdev::text
