// NUL-separated message framing for the DevTools pipe (see frames.hpp).
#include "server/browser/frames.hpp"

namespace wasmdev::browser {

void FrameSplitter::feed(std::string_view bytes, std::function<void(std::string_view)> const& on_message) {
    while (!bytes.empty()) {
        auto nul = bytes.find('\0');
        auto part = bytes.substr(0, nul);
        if (skipping_) {
            // Still inside an oversized message: nothing of it is kept.
        } else if (buf_.size() + part.size() > max_) {
            skipping_ = true;
            ++dropped_;
            buf_.clear();
            buf_.shrink_to_fit();
        } else if (nul != std::string_view::npos && buf_.empty()) {
            on_message(part);  // the common case: a whole message within one read, no copy
        } else {
            buf_.append(part);
            if (nul != std::string_view::npos) {
                on_message(buf_);
                buf_.clear();
                if (buf_.capacity() > (std::size_t(1) << 20)) buf_.shrink_to_fit();  // one big message is not kept
            }
        }
        if (nul == std::string_view::npos) return;
        skipping_ = false;
        bytes.remove_prefix(nul + 1);
    }
}

std::string frame(std::string_view json) {
    std::string out(json);
    out.push_back('\0');
    return out;
}

}  // namespace wasmdev::browser
