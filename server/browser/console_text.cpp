// console.log's formatting rules for text (see console_text.hpp).
#include "server/browser/console_text.hpp"

#include <cmath>
#include <cstdlib>
#include <string_view>

namespace wasmdev::browser {
namespace {

// %d and %i: the integer part, as console.log prints it ("NaN" when it is not a number).
std::string integer_text(std::string const& s) {
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || !std::isfinite(d)) return "NaN";
    d = std::trunc(d);
    if (std::fabs(d) < 1e15) return std::to_string((long long)d);
    return s;
}

}  // namespace

std::string console_text(std::vector<RemoteValue> const& args) {
    std::string out;
    std::size_t next = 0;
    if (!args.empty() && args[0].is_string && args[0].text.find('%') != std::string::npos) {
        std::string_view f = args[0].text;
        next = 1;
        for (std::size_t i = 0; i < f.size(); ++i) {
            if (f[i] != '%' || i + 1 == f.size()) {
                out += f[i];
                continue;
            }
            char c = f[i + 1];
            if (c == '%') {
                out += '%';
                ++i;
            } else if (c == 's' || c == 'o' || c == 'O' || c == 'd' || c == 'i' || c == 'f' || c == 'c') {
                ++i;
                if (next >= args.size()) {
                    out += '%';  // no argument left: the specifier stays as written
                    out += c;
                    continue;
                }
                auto const& a = args[next++];
                if (c == 'c') continue;  // CSS for the DevTools console: nothing in a terminal
                out += (c == 'd' || c == 'i') ? integer_text(a.text) : a.text;
            } else {
                out += '%';
            }
        }
    } else if (!args.empty()) {
        out = args[0].text;
        next = 1;
    }
    for (; next < args.size(); ++next) {
        out += ' ';
        out += args[next].text;
    }
    return out;
}

}  // namespace wasmdev::browser
