// The temporary directories of `wasmdev run` ($TMPDIR/wasmdev-run-XXXXXX: a browser profile and
// its log), and the collection of those a run could not remove (it was SIGKILLed or crashed).
// Each directory holds an `owner` file its run keeps locked (flock) for its whole life; the
// kernel drops the lock when the run dies however it dies. Only directories of our user, with a
// lock nobody holds and a recorded browser group that is gone, are removed. docs/run.md says more.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace wasmdev::browser {

// What is known of one entry of $TMPDIR when looking for leftovers.
struct RunDirState {
    std::string name{};                // the entry's name
    bool is_directory = false;         // a real directory (lstat: not a symlink)
    bool owned_by_us = false;          // its owner uid is our effective uid
    bool lock_taken = false;           // we could take its owner lock: no live run holds it
    bool owner_recorded = false;       // the owner file names a run that got as far as its lock
    bool browser_group_alive = false;  // a process of the browser's recorded group still exists
};

// True for names mkdtemp makes from "wasmdev-run-XXXXXX".
bool is_run_dir_name(std::string_view name);

// Whether a leftover may be removed: a run directory of ours whose run is dead (its lock free,
// after it had been taken) and whose browser has gone. Pure.
bool is_collectable(RunDirState const& s);

// A run's directory, created with its owner lock held until release() or the process's end.
class RunDir {
public:
    // Makes $TMPDIR/wasmdev-run-XXXXXX (TMPDIR: parent) and takes its lock; empty path() and
    // `error` on failure.
    static RunDir create(std::filesystem::path const& parent, std::string& error);
    RunDir() = default;
    RunDir(RunDir&& o) noexcept;
    RunDir& operator=(RunDir&& o) noexcept;
    ~RunDir();  // release()
    std::filesystem::path const& path() const { return path_; }
    // Records the browser's process group, so that a collector waits for the group to be gone.
    void record_browser(int pgid);
    // Removes the directory, then drops the lock. Idempotent.
    void release();

private:
    std::filesystem::path path_{};
    int lock_fd_ = -1;
};

// The parent of the run directories: $TMPDIR (tmpdir_env), else /tmp.
std::filesystem::path run_dir_parent(char const* tmpdir_env);

// Removes every collectable leftover in parent; how many it removed.
int collect_stale_run_dirs(std::filesystem::path const& parent);

}  // namespace wasmdev::browser
