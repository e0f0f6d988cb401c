// macOS: open(1), which needs no display variable. The BSDs and others: xdg-open (the
// xdg-utils package) under X11 or Wayland.
#include "server/sys/url_opener.hpp"

#include <cstdlib>

namespace wasmdev::sys {

UrlOpener url_opener(std::string const& url) {
#if defined(__APPLE__)
    return {{"open", url}, {}};
#else
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) return {{}, "no display found"};
    return {{"xdg-open", url}, {}};
#endif
}

}  // namespace wasmdev::sys
