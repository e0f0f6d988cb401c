#include "server/cli/open_browser.hpp"

#include <spdlog/spdlog.h>

#include "server/cpython/process.hpp"
#include "server/sys/url_opener.hpp"

namespace wasmdev::cli {

void open_in_browser(std::string const& url) {
    auto const opener = sys::url_opener(url);
    if (opener.argv.empty()) {
        spdlog::warn("--open: {}; open {} yourself", opener.why_not, url);
        return;
    }
    if (!cpython::ProcessRunner::spawn_detached(opener.argv))
        spdlog::warn("--open: could not run {}; open {} yourself", opener.argv.front(), url);
}

}  // namespace wasmdev::cli
