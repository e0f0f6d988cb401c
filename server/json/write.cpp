// Compact JSON text that is always valid UTF-8 (write.hpp).
#include "server/json/write.hpp"

#include <boost/json/serialize.hpp>

#include "server/text/terminal_escape.hpp"

namespace wasmdev::json {

std::string valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    while (!s.empty()) {
        auto const c = static_cast<unsigned char>(s[0]);
        char32_t cp = 0;
        std::size_t const n = c < 0x80 ? 1 : text::utf8_sequence(s, cp);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            s.remove_prefix(1);
            continue;
        }
        out.append(s.substr(0, n));
        s.remove_prefix(n);
    }
    return out;
}

std::string write(boost::json::value const& v) {
    // Boost.JSON's serializer escapes '"', '\\' and the control bytes below 0x20 but copies
    // every other byte as it is, so a string holding invalid UTF-8 would make invalid JSON.
    // Bytes >= 0x80 can only stand inside strings (everything else it writes is ASCII), and
    // an escape it adds is ASCII too: cleaning the text afterwards is the same as cleaning
    // every string and key before, in one pass. We replace rather than escape them
    // ("\u00ff" would claim a character the file name does not have) or refuse the document
    // (a page must still see the rest): the U+FFFD shows the reader where a byte was lost.
    return valid_utf8(boost::json::serialize(v));
}

std::string write_document(boost::json::value const& v) { return write(v) + '\n'; }

}  // namespace wasmdev::json
