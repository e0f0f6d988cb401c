// Signalling and collecting a child's process group (sys/process.hpp): the same POSIX calls on
// every OS.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "server/sys/process.hpp"

namespace wasmdev::sys {

bool reap_if_exited(pid_t pid, int& status) { return ::waitpid(pid, &status, WNOHANG) == pid; }

int signal_group(pid_t pgid, int sig) { return ::kill(-pgid, sig) == 0 ? 0 : errno; }

bool reap_group(pid_t pgid, std::chrono::milliseconds limit) {
    auto const deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        int status = 0;
        while (::waitpid(-pgid, &status, WNOHANG) > 0) {}
        if (::kill(-pgid, 0) != 0) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        ::usleep(1000);  // SIGKILLed members finish exiting within milliseconds
    }
}

bool reap_children(std::chrono::milliseconds limit) {
    auto const deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        int status = 0;
        pid_t const r = ::waitpid(-1, &status, WNOHANG);
        if (r > 0) continue;
        if (r < 0 && errno == ECHILD) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        ::usleep(1000);  // the crash handlers notice the browser's end within milliseconds
    }
}

}  // namespace wasmdev::sys
