// How this OS hands a URL to the user's browser (--open): xdg-open where a desktop session is
// (Linux, the BSDs: url_opener_linux.cpp, url_opener_posix.cpp), `open` on macOS. Running
// the command is cpython/process's business.
#pragma once
#include <string>
#include <vector>

namespace wasmdev::sys {

struct UrlOpener {
    std::vector<std::string> argv{};  // empty when the URL cannot be opened here
    std::string why_not{};            // then: why, as a sentence for the user
};

UrlOpener url_opener(std::string const& url);

}  // namespace wasmdev::sys
