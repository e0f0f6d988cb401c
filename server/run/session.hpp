// One `wasmdev run`: starts the private browser, opens the page on the DevTools pipe, and turns
// what happens there into our output and exit code until the program ends (ending.hpp), a
// limit expires (limits.hpp), a signal arrives or the browser dies; then ends the browser's
// process group and removes its profile. The decisions are the pure units beside this file;
// this is their event loop (poll on the pipe, the browser's exit, signals and stdin).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "server/run/limits.hpp"
#include "server/run/url_map.hpp"

namespace wasmdev::run {

struct SessionOptions {
    std::string browser{};  // the executable (browser::locate_browser)
    bool as_root = false;   // adds --no-sandbox
    std::string url{};      // the page (page_url.hpp), already being served
    std::optional<std::vector<std::string>> args{};
    bool json = false;
    Limits limits{};
    bool verbose = false;        // the browser's command, pid and profile directory on stderr (tests record them)
    bool trace = false;          // every DevTools message received, on stderr (--trace-devtools)
    std::vector<UrlMap> maps{};  // --map, in the order given, each dir canonical
};

// The run's exit code (ending.hpp). Prints every problem to stderr itself.
int run_session(SessionOptions const& o);

}  // namespace wasmdev::run
