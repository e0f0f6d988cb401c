// --open for `serve` and `build ... repl`: hands a URL to the user's browser through the OS's
// opener (sys/url_opener.hpp: xdg-open, or open on macOS), started by the one process runner
// (cpython::ProcessRunner::spawn_detached, which reaps it). Without a display, or without the
// opener, it warns and names the URL instead.
#pragma once
#include <string>

namespace wasmdev::cli {

void open_in_browser(std::string const& url);

}  // namespace wasmdev::cli
