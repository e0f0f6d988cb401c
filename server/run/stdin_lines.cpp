// Splitting stdin into prompt() answers (see stdin_lines.hpp).
#include "server/run/stdin_lines.hpp"

namespace wasmdev::run {

std::optional<std::string> StdinLines::next() {
    auto nl = buf_.find('\n');
    std::size_t take = 0, skip = 0;
    if (nl != std::string::npos && nl <= max_) {
        take = nl;
        skip = 1;
    } else if (buf_.size() >= max_) {
        take = max_;
    } else if (eof_ && !buf_.empty()) {
        take = buf_.size();
    } else {
        return std::nullopt;
    }
    std::string line = buf_.substr(0, take);
    buf_.erase(0, take + skip);
    if (skip && !line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

}  // namespace wasmdev::run
