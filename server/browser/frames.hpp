// Framing of the DevTools protocol over --remote-debugging-pipe: JSON messages separated by
// one NUL byte. Splits a byte stream into messages, holding at most one message's worth of
// bytes; a message over the cap is dropped whole (and counted) instead of growing memory.
// Decoding a message is devtools_message.hpp's job.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace wasmdev::browser {

// 64 MiB: a console line of a few megabytes (a dumped buffer) still fits; a page cannot make
// wasmdev hold more than this for one message.
inline constexpr std::size_t max_message_bytes = std::size_t(64) << 20;

class FrameSplitter {
public:
    explicit FrameSplitter(std::size_t max_bytes = max_message_bytes) : max_(max_bytes) {}
    // Calls on_message for every complete message in `bytes` (and what came before), in order.
    void feed(std::string_view bytes, std::function<void(std::string_view)> const& on_message);
    std::size_t dropped() const { return dropped_; }  // messages over the cap, skipped
    std::size_t pending() const { return buf_.size(); }

private:
    std::size_t max_;
    std::string buf_{};
    bool skipping_ = false;  // inside a message over the cap: discard up to its NUL
    std::size_t dropped_ = 0;
};

// One message as written to the pipe.
std::string frame(std::string_view json);

}  // namespace wasmdev::browser
