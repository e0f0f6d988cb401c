// Linux: xdg-open, which needs an X11 or Wayland session to show anything.
#include "server/sys/url_opener.hpp"

#include <cstdlib>

namespace wasmdev::sys {

UrlOpener url_opener(std::string const& url) {
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) return {{}, "no display found"};
    return {{"xdg-open", url}, {}};
}

}  // namespace wasmdev::sys
