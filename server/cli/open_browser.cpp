#include "server/cli/open_browser.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include "server/cpython/process.hpp"

namespace wasmdev::cli {

void open_in_browser(std::string const& url) {
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) {
        spdlog::warn("--open: no display found; open {} yourself", url);
        return;
    }
    if (!cpython::ProcessRunner::spawn_detached({"xdg-open", url}))
        spdlog::warn("--open: could not run xdg-open; open {} yourself", url);
}

}  // namespace wasmdev::cli
