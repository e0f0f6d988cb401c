// open_beneath's component walk (sys/open_beneath.hpp) for every OS: each component opened
// relative to the descriptor of the directory before it, never by name from the top, so a
// rename elsewhere in the tree cannot redirect a walk already past it; ".." is refused outright.
// How one component is opened is each OS's (open_beneath_walk.hpp).
#include "server/sys/open_beneath_walk.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "server/sys/open_beneath.hpp"

namespace wasmdev::sys {

int open_beneath_walk(int dir_fd, std::string const& relative, int flags) {
    std::string_view rest = relative;
    int current = dir_fd;
    auto close_current = [&] {
        if (current != dir_fd) ::close(current);  // opened only to open beneath it: nothing to flush
    };
    while (true) {
        while (rest.starts_with('/')) rest.remove_prefix(1);
        auto const slash = rest.find('/');
        std::string const name(rest.substr(0, slash));
        bool const last =
            slash == std::string_view::npos || rest.find_first_not_of('/', slash) == std::string_view::npos;
        if (name.empty() || name == "..") {  // "" only for dir_fd itself; ".." never comes from resolve()
            int const fd = name.empty() ? ::openat(current, ".", flags | O_CLOEXEC) : -1;
            int const err = name.empty() ? errno : EXDEV;
            close_current();
            return fd >= 0 ? fd : -err;
        }
        int const fd = last ? walk::open_last_step(current, name, flags) : walk::open_directory_step(current, name);
        close_current();
        if (last || fd < 0) return fd;
        current = fd;
        rest.remove_prefix(slash + 1);
    }
}

}  // namespace wasmdev::sys
