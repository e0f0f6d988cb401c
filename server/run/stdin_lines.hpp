// Lines of wasmdev's stdin for a page's prompt(): bytes in as they are read, one line out per
// prompt (without its newline; a CR before it goes too), and the end of input once everything
// is used up. A line longer than the cap is handed out in cap-sized pieces, so a stdin without
// newlines cannot make wasmdev hold more than that. Pure.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wasmdev::run {

class StdinLines {
public:
    explicit StdinLines(std::size_t max_line = std::size_t(1) << 20) : max_(max_line) {}
    void feed(std::string_view bytes) { buf_.append(bytes); }
    void close() { eof_ = true; }  // stdin reached its end
    // The next line when one is complete (or, at the end, the unterminated rest); nullopt when
    // more input is needed, or when the input is over (exhausted() then says which).
    std::optional<std::string> next();
    bool exhausted() const { return eof_ && buf_.empty(); }
    bool wants_input() const { return !eof_ && buf_.size() < max_; }

private:
    std::size_t max_;
    std::string buf_{};
    bool eof_ = false;
};

}  // namespace wasmdev::run
