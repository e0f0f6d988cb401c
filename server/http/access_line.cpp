#include "server/http/access_line.hpp"

#include <charconv>

#include "server/text/ascii.hpp"
#include "server/text/terminal_escape.hpp"

namespace wasmdev::http {
namespace {

void append_byte_escape(std::string& out, unsigned char c) {
    out += "\\x";
    text::append_hex(out, c);
}

void append_number(std::string& out, std::uint64_t n) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
    out.append(buf, end);
}

}  // namespace

void append_log_escaped(std::string& out, std::string_view s) {
    while (!s.empty()) {
        auto const c = static_cast<unsigned char>(s[0]);
        if (c >= 0x20 && c < 0x7F) {
            if (c == '"' || c == '\\') out += '\\';
            out += char(c);
            s.remove_prefix(1);
            continue;
        }
        char32_t cp = 0;
        auto const n = c >= 0x80 ? text::utf8_sequence(s, cp) : 0;
        if (n == 0) {
            append_byte_escape(out, c);
            s.remove_prefix(1);
        } else if (text::is_control_code_point(cp)) {
            out += "\\u{";
            for (int shift = cp > 0xFFFF ? 16 : 12; shift >= 0; shift -= 4) out += text::hex_digit(cp >> shift);
            out += '}';
            s.remove_prefix(n);
        } else {
            out.append(s.substr(0, n));
            s.remove_prefix(n);
        }
    }
}

void append_access_line(std::string& out, std::string_view clock, AccessRecord const& r) {
    out += '[';
    out += clock;
    out += "] ";
    out += r.peer;
    out += " \"";
    append_log_escaped(out, r.method);
    out += ' ';
    append_log_escaped(out, r.target);
    out += "\" ";
    append_number(out, r.status);
    out += ' ';
    append_number(out, r.body_bytes);
    out += ' ';
    out += r.coding;
    out += ' ';
    // Tenths of a millisecond, without a floating-point formatter on the hot path.
    auto const tenths = std::uint64_t(r.ms * 10 + 0.5);
    append_number(out, tenths / 10);
    out += '.';
    out += char('0' + tenths % 10);
    out += "ms";
    if (r.cut_short) out += " cut-short";
    out += '\n';
}

}  // namespace wasmdev::http
