// run's temporary directories and their collection (see run_dirs.hpp). The OS calls of this
// (mkdtemp, open, flock, lstat, kill with signal 0) are all here.
#include "server/browser/run_dirs.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace wasmdev::browser {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view prefix = "wasmdev-run-";
constexpr char owner_file[] = "owner";

void write_text(int fd, std::string const& s) {
    // Best effort: a collector that cannot read the browser's group treats it as gone only if
    // the run line is there, and that line is written first.
    if (::write(fd, s.data(), s.size()) < 0) return;
}

// The browser group recorded in an owner file's text ("browser PGID" line), 0 when none.
int recorded_browser(std::string_view text) {
    auto at = text.find("\nbrowser ");
    if (at == std::string_view::npos) return 0;
    return std::atoi(std::string(text.substr(at + 9, 12)).c_str());
}

}  // namespace

bool is_run_dir_name(std::string_view name) {
    if (name.size() != prefix.size() + 6 || name.substr(0, prefix.size()) != prefix) return false;
    for (char c : name.substr(prefix.size()))
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
    return true;
}

bool is_collectable(RunDirState const& s) {
    return is_run_dir_name(s.name) && s.is_directory && s.owned_by_us && s.lock_taken && s.owner_recorded &&
           !s.browser_group_alive;
}

fs::path run_dir_parent(char const* tmpdir_env) { return fs::path(tmpdir_env && *tmpdir_env ? tmpdir_env : "/tmp"); }

RunDir RunDir::create(fs::path const& parent, std::string& error) {
    std::string pattern = (parent / (std::string(prefix) + "XXXXXX")).string();
    if (!::mkdtemp(pattern.data())) {
        error = "cannot make a temporary directory in " + parent.string() + ": " + std::strerror(errno);
        return {};
    }
    RunDir d;
    d.path_ = pattern;
    d.lock_fd_ = ::open((d.path_ / owner_file).c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    // Blocking: a collector may hold the lock for a moment, reading the still empty file (which
    // it then leaves alone); the run line is written only once we hold it.
    if (d.lock_fd_ < 0 || ::flock(d.lock_fd_, LOCK_EX) != 0) {
        error = "cannot lock " + (d.path_ / owner_file).string() + ": " + std::strerror(errno);
        d.release();
        return {};
    }
    write_text(d.lock_fd_, "run " + std::to_string(::getpid()) + "\n");
    return d;
}

RunDir::RunDir(RunDir&& o) noexcept : path_(std::move(o.path_)), lock_fd_(o.lock_fd_) {
    o.path_.clear();
    o.lock_fd_ = -1;
}

RunDir& RunDir::operator=(RunDir&& o) noexcept {
    if (this != &o) {
        release();
        path_ = std::move(o.path_);
        lock_fd_ = o.lock_fd_;
        o.path_.clear();
        o.lock_fd_ = -1;
    }
    return *this;
}

RunDir::~RunDir() { release(); }

void RunDir::record_browser(int pgid) {
    if (lock_fd_ >= 0) write_text(lock_fd_, "browser " + std::to_string(pgid) + "\n");
}

void RunDir::release() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);  // a profile left behind would be a leak of the page's data
    path_.clear();
    if (lock_fd_ >= 0) ::close(lock_fd_);  // drops the lock
    lock_fd_ = -1;
}

int collect_stale_run_dirs(fs::path const& parent) {
    int removed = 0;
    std::error_code ec;
    fs::directory_iterator it(parent, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        RunDirState s;
        s.name = it->path().filename().string();
        if (!is_run_dir_name(s.name)) continue;
        struct stat st {};
        if (::lstat(it->path().c_str(), &st) != 0) continue;
        s.is_directory = S_ISDIR(st.st_mode);
        s.owned_by_us = st.st_uid == ::geteuid();
        if (!s.is_directory || !s.owned_by_us) continue;
        int fd = ::open((it->path() / owner_file).c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) continue;  // no owner file: a run being created, or not one of ours to judge
        s.lock_taken = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
        if (s.lock_taken) {
            char buf[256];
            auto n = ::read(fd, buf, sizeof buf - 1);
            std::string_view text(buf, n > 0 ? std::size_t(n) : 0);
            s.owner_recorded = text.substr(0, 4) == "run ";
            int pgid = recorded_browser(text);
            // Signal 0 only asks whether the group exists; EPERM means it does (someone else's).
            s.browser_group_alive = pgid > 0 && (::kill(-pgid, 0) == 0 || errno == EPERM);
        }
        if (is_collectable(s)) {
            std::error_code rec;
            fs::remove_all(it->path(), rec);  // under the lock: a concurrent collector finds nothing to do
            if (!rec) ++removed;
        }
        ::close(fd);
    }
    return removed;
}

}  // namespace wasmdev::browser
