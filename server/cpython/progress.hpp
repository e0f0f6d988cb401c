// What the user sees while a build runs (docs/design.md#build): a status line (step k/n, profile, elapsed)
// on a terminal, the full output with --verbose, and always the log file
// builddir/PROFILE/wasmdev-build.log; at the end each step's duration and the artifacts,
// or the failed step, its command, exit code and log path.
#pragma once
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "server/cpython/step.hpp"

namespace wasmdev::cpython {

struct StepTiming {
    std::string title{};
    std::chrono::steady_clock::duration elapsed{};
    bool ok = true;
};

struct Artifact {
    std::string name{};
    std::uintmax_t size = 0;
};
// The files a profile's build leaves that a user ships or runs, with sizes.
std::vector<Artifact> find_artifacts(std::filesystem::path const& profile_dir);
std::string format_duration(std::chrono::steady_clock::duration d);  // "38.2s", "3m55s"
std::string format_size(std::uintmax_t bytes);                       // "9.5 MiB"

class Progress {
public:
    // out is where status and summaries go; is_tty enables the rewriting status line.
    Progress(std::filesystem::path log_path, bool verbose, bool is_tty, std::FILE* out = stdout);
    ~Progress();
    Progress(Progress const&) = delete;
    Progress& operator=(Progress const&) = delete;

    void begin_run(std::string const& headline);
    void begin_step(std::size_t k, std::size_t n, Step const& step);
    void begin_action(Action const& a);
    void output(std::string_view chunk);
    void tick();
    void end_step(bool ok);
    void note(std::string const& line);  // to the terminal and the log
    void clear_status();                 // before a program takes over the terminal

    std::vector<StepTiming> const& timings() const { return timings_; }
    std::string const& tail() const { return tail_; }  // the last lines of the failed step's output
    std::filesystem::path const& log_path() const { return log_path_; }

private:
    void log(std::string_view text);
    void draw_status();

    std::filesystem::path log_path_;
    std::ofstream log_;
    bool verbose_ = false;
    bool tty_ = false;
    std::FILE* out_ = stdout;
    std::string current_title_{};
    std::size_t k_ = 0, n_ = 0;
    std::chrono::steady_clock::time_point run_start_{}, step_start_{}, last_draw_{};
    std::string last_line_{};
    std::string partial_{};
    std::string tail_{};
    std::string last_env_{};
    bool status_shown_ = false;
    std::vector<StepTiming> timings_{};
};

}  // namespace wasmdev::cpython
