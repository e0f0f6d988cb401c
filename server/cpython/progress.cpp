// Status line, log file and timings.
#include "server/cpython/progress.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <ctime>

namespace wasmdev::cpython {

namespace fs = std::filesystem;
using clock = std::chrono::steady_clock;

std::vector<Artifact> find_artifacts(fs::path const& dir) {
    std::vector<Artifact> out;
    std::error_code ec;
    for (auto name :
         {"python.html", "python.js", "python.mjs", "python.wasm", "python.data", "python.worker.js",
          "python.worker.mjs", "python", "python.sh", "web_example/index.html", "web_example/python.html"}) {
        auto p = dir / name;
        if (fs::is_regular_file(p, ec)) out.push_back({name, fs::file_size(p, ec)});
    }
    return out;
}

std::string format_duration(clock::duration d) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    if (ms < 60'000) return fmt::format("{:.1f}s", double(ms) / 1000.0);
    auto s = ms / 1000;
    if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
    return fmt::format("{}h{:02}m{:02}s", s / 3600, (s / 60) % 60, s % 60);
}

std::string format_size(std::uintmax_t b) {
    if (b < 1024) return fmt::format("{} B", b);
    if (b < 1024 * 1024) return fmt::format("{:.1f} KiB", double(b) / 1024.0);
    return fmt::format("{:.1f} MiB", double(b) / (1024.0 * 1024.0));
}

Progress::Progress(fs::path log_path, bool verbose, bool is_tty, std::FILE* out)
    : log_path_(std::move(log_path)), verbose_(verbose), tty_(is_tty), out_(out) {
    run_start_ = clock::now();
}

Progress::~Progress() { clear_status(); }

void Progress::log(std::string_view text) {
    std::error_code ec;
    // cleanall may remove the log's directory mid-run: a new file starts once a later step
    // (configure) makes the directory again; cleanall alone leaves nothing behind.
    if (!log_.is_open() || !fs::exists(log_path_, ec)) {
        log_.close();
        if (!fs::is_directory(log_path_.parent_path(), ec)) return;
        log_.open(log_path_, std::ios::app | std::ios::binary);
    }
    log_ << text;
    log_.flush();
}

void Progress::begin_run(std::string const& headline) {
    std::time_t now = std::time(nullptr);
    std::error_code ec;
    fs::create_directories(log_path_.parent_path(), ec);
    char stamp[64];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", std::localtime(&now));
    log(fmt::format("\n==== {} — {}\n", headline, stamp));
}

void Progress::begin_step(std::size_t k, std::size_t n, Step const& step) {
    k_ = k;
    n_ = n;
    current_title_ = step.title();
    step_start_ = clock::now();
    tail_.clear();
    last_line_.clear();
    partial_.clear();
    auto header = fmt::format("==> [{}/{}] {}", k, n, current_title_);
    log(header + "\n");
    if (tty_ && !verbose_) {
        draw_status();
    } else {
        fmt::print(out_, "{}\n", header);
        std::fflush(out_);
    }
}

void Progress::begin_action(Action const& a) {
    // The log records the environment changes whenever they differ from the last command's.
    if (a.kind == Action::Kind::run) {
        std::string env;
        for (auto const& e : a.cmd.env) env += "# " + render_env_change(e) + "\n";
        if (env != last_env_) {
            log(env);
            last_env_ = env;
        }
    }
    std::string line = a.kind == Action::Kind::run && !a.cmd.cwd.empty()
                           ? fmt::format("$ cd {} && {}\n", shell_quote(a.cmd.cwd.string()), render_action(a))
                           : fmt::format("$ {}\n", render_action(a));
    log(line);
    if (verbose_) {
        fmt::print(out_, "{}", line);
        std::fflush(out_);
    }
}

void Progress::output(std::string_view chunk) {
    log(chunk);
    if (verbose_) {
        std::fwrite(chunk.data(), 1, chunk.size(), out_);
        std::fflush(out_);
    }
    // Keep the last line for the status line and the last ~40 lines for a failure report.
    partial_.append(chunk);
    auto nl = partial_.rfind('\n');
    if (nl != std::string::npos) {
        auto complete = partial_.substr(0, nl);
        auto prev = complete.rfind('\n');
        auto line = prev == std::string::npos ? complete : complete.substr(prev + 1);
        if (!line.empty()) last_line_ = line;
        tail_.append(partial_, 0, nl + 1);
        partial_.erase(0, nl + 1);
        std::size_t lines = 0, pos = tail_.size();
        while (pos > 0 && lines <= 40) {
            pos = tail_.rfind('\n', pos - 1);
            if (pos == std::string::npos) {
                pos = 0;
                break;
            }
            ++lines;
        }
        if (lines > 40) tail_.erase(0, pos + 1);
    }
    // Redrawn at most ten times a second: make can print thousands of lines.
    if (tty_ && !verbose_ && clock::now() - last_draw_ > std::chrono::milliseconds(100)) draw_status();
}

void Progress::tick() {
    if (tty_ && !verbose_) draw_status();
}

void Progress::draw_status() {
    struct winsize ws {};
    unsigned width = 100;
    if (::ioctl(::fileno(out_), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) width = ws.ws_col;
    auto now = clock::now();
    last_draw_ = now;
    auto head = fmt::format("[{}/{}] {} {} (total {})", k_, n_, current_title_, format_duration(now - step_start_),
                            format_duration(now - run_start_));
    std::string line = head;
    if (!last_line_.empty() && head.size() + 3 < width) {
        std::string last;
        for (char c : last_line_)
            if (c != '\r' && c != '\t' && static_cast<unsigned char>(c) >= 0x20) last += c;
        line += " | " + last.substr(0, width - head.size() - 4);
    }
    if (line.size() >= width) line.resize(width - 1);
    fmt::print(out_, "\r\033[K{}", line);
    std::fflush(out_);
    status_shown_ = true;
}

void Progress::clear_status() {
    if (!status_shown_) return;
    fmt::print(out_, "\r\033[K");
    std::fflush(out_);
    status_shown_ = false;
}

void Progress::end_step(bool ok) {
    if (!partial_.empty()) {
        tail_ += partial_ + "\n";
        partial_.clear();
    }
    auto elapsed = clock::now() - step_start_;
    timings_.push_back({current_title_, elapsed, ok});
    auto line = fmt::format("    [{}/{}] {} {} in {}", k_, n_, current_title_, ok ? "done" : "FAILED",
                            format_duration(elapsed));
    log(line + "\n");
    clear_status();
    fmt::print(out_, "{}\n", line);
    std::fflush(out_);
}

void Progress::note(std::string const& line) {
    log(line + "\n");
    clear_status();
    fmt::print(out_, "{}\n", line);
    std::fflush(out_);
}

}  // namespace wasmdev::cpython
