// `check --browser`: the page loaded in the private headless Chromium `run` uses
// (browser/chromium.hpp), to report what the browser itself says: self.crossOriginIsolated
// once the page has loaded, and every request it blocked (COEP/CORP/CORS, from DevTools'
// Network.loadingFailed) with the reason. Its workers are watched too.
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wasmdev::check {

struct BrowserLoad {
    std::string error{};  // no browser, it died, the page did not load in time
    bool cross_origin_isolated = false;
    std::vector<std::pair<std::string, std::string>> blocked{};  // URL, reason
};

// Waits for the load event, then until the network has been quiet for `settle` (workers and
// the .wasm they fetch start after load), all within `limit`.
// `program` is the browser browser::locate_browser found.
BrowserLoad load_in_browser(std::string const& url, std::string const& program, std::chrono::milliseconds limit,
                            std::chrono::milliseconds settle = std::chrono::milliseconds(1500));

}  // namespace wasmdev::check
