// sys/url_opener: --open's command, or the reason there is none. Linux and the BSDs need a
// display for xdg-open (macOS's open needs none; this test is for the xdg-open systems).
#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/sys/url_opener.hpp"

namespace {

// Sets or clears a variable for one test and puts it back afterwards.
struct EnvVar {
    std::string name;
    std::optional<std::string> saved;
    EnvVar(std::string n, char const* value) : name(std::move(n)) {
        if (char const* old = std::getenv(name.c_str())) saved = old;
        if (value)
            ::setenv(name.c_str(), value, 1);
        else
            ::unsetenv(name.c_str());
    }
    ~EnvVar() {
        if (saved)
            ::setenv(name.c_str(), saved->c_str(), 1);
        else
            ::unsetenv(name.c_str());
    }
};

}  // namespace

TEST_CASE("url_opener: xdg-open with a display; without one, no command and the reason") {
    using wasmdev::sys::url_opener;
    {
        EnvVar x("DISPLAY", nullptr), w("WAYLAND_DISPLAY", nullptr);
        auto const none = url_opener("http://127.0.0.1:8000/");
        CHECK(none.argv.empty());
        CHECK(none.why_not == "no display found");
    }
    for (char const* var : {"DISPLAY", "WAYLAND_DISPLAY"}) {
        CAPTURE(var);
        EnvVar x("DISPLAY", nullptr), w("WAYLAND_DISPLAY", nullptr), set(var, ":0");
        auto const opener = url_opener("http://127.0.0.1:8000/");
        CHECK(opener.argv == std::vector<std::string>{"xdg-open", "http://127.0.0.1:8000/"});
    }
}
