#include "server/http/request_warning.hpp"

#include "server/http/access_line.hpp"

namespace wasmdev::http {

std::string request_warning(std::string_view target, std::string_view note) {
    std::string out;
    out.reserve(target.size() + note.size() + 1);
    append_log_escaped(out, target);
    out += ' ';
    // The note is the server's sentence, but it may quote names read from the served tree.
    append_log_escaped(out, note);
    return out;
}

}  // namespace wasmdev::http
