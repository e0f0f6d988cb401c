#include "server/deploy/write_config.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "server/deploy/merge.hpp"

namespace wasmdev::deploy {
namespace {

namespace fs = std::filesystem;

std::string errno_text() { return std::strerror(errno); }

// Writes text to a new file beside target and renames it over target, so a reader (or a
// crash) sees the old file or the new one, never half of one.
bool replace_atomically(fs::path const& target, std::string const& text, mode_t mode) {
    std::string tmp = target.native() + ".wasmdev-tmp-XXXXXX";
    int fd = ::mkstemp(tmp.data());
    if (fd < 0) {
        fmt::print(stderr, "error: cannot create a file in {}: {}\n", target.parent_path().native(), errno_text());
        return false;
    }
    // mkstemp makes it 0600; the web server's user must be able to read it.
    bool ok = ::fchmod(fd, mode) == 0;
    for (std::size_t done = 0; ok && done < text.size();) {
        auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += std::size_t(n);
    }
    ok = ok && ::fsync(fd) == 0;
    std::string const why = ok ? "" : errno_text();
    ok = ::close(fd) == 0 && ok;
    if (ok && ::rename(tmp.c_str(), target.c_str()) == 0) return true;
    fmt::print(stderr, "error: cannot write {}: {}\n", target.native(), why.empty() ? errno_text() : why);
    ::unlink(tmp.c_str());  // best effort: the failure is already reported
    return false;
}

// The first free name among X.bak, X.bak.1, X.bak.2, ...
fs::path backup_name(fs::path const& target) {
    auto candidate = fs::path(target.native() + ".bak");
    std::error_code ec;
    for (int i = 1; fs::exists(fs::symlink_status(candidate, ec)); ++i)
        candidate = fs::path(target.native() + ".bak." + std::to_string(i));
    return candidate;
}

int write_to(fs::path const& target, std::string const& text, bool force) {
    std::error_code ec;
    auto const st = fs::status(target, ec);
    mode_t mode = 0644;
    if (fs::exists(st)) {
        if (!fs::is_regular_file(st)) {
            fmt::print(stderr, "error: {} exists and is not a regular file; move it away first\n", target.native());
            return 1;
        }
        std::ifstream in(target, std::ios::binary);
        std::ostringstream existing;
        existing << in.rdbuf();
        if (!in) {
            fmt::print(stderr, "error: cannot read {} to compare it; check its permissions\n", target.native());
            return 1;
        }
        if (existing.str() == text) {
            fmt::print("{} unchanged: it already holds this config\n", target.native());
            return 0;
        }
        if (!force) {
            fmt::print(stderr, "error: {} exists and differs; pass --force to replace it (a backup is kept)\n",
                       target.native());
            return 1;
        }
        auto backup = backup_name(target);
        fs::copy_file(target, backup, fs::copy_options::none, ec);
        if (ec) {
            fmt::print(stderr, "error: cannot back up {} to {}: {}\n", target.native(), backup.native(), ec.message());
            return 1;
        }
        fmt::print("kept the previous {} as {}\n", target.filename().native(), backup.native());
        mode = mode_t(st.permissions() & fs::perms::all);
    } else {
        mode_t const mask = ::umask(0);
        ::umask(mask);
        mode = 0666 & ~mask;
    }
    if (!replace_atomically(target, text, mode)) return 1;
    fmt::print("wrote {}\n", target.native());
    return 0;
}

std::optional<std::string> read_bounded(fs::path const& target, std::size_t max, std::string& error) {
    std::ifstream in(target, std::ios::binary);
    if (!in) {
        error = fmt::format("cannot read {}; check its permissions", target.native());
        return std::nullopt;
    }
    std::string text(max + 1, '\0');
    in.read(text.data(), std::streamsize(text.size()));
    text.resize(std::size_t(in.gcount()));
    if (in.bad()) {
        error = fmt::format("cannot read {}", target.native());
        return std::nullopt;
    }
    return text;  // max + 1 bytes mean "larger than max": the merge refuses it
}

int merge_into(fs::path const& target, FormatSpec const& format, std::string const& ours) {
    std::string error;
    auto user = read_bounded(target, max_user_config_bytes, error);
    if (!user) {
        fmt::print(stderr, "error: {}\n", error);
        return 1;
    }
    auto const merged = format.existing == Existing::merge_json
                            ? merge_json(*user, ours, format.merge_at, format.refused_beside)
                            : merge_toml(*user, ours);
    if (merged.error) {
        fmt::print(stderr, "error: {}: {}; nothing was written\n", target.native(), *merged.error);
        return 1;
    }
    for (auto const& c : merged.conflicts) fmt::print(stderr, "error: {}: {}\n", target.native(), c);
    if (!merged.conflicts.empty()) {
        fmt::print(stderr, "error: {} left as it was\n", target.native());
        return 1;
    }
    if (merged.text == *user) {
        fmt::print("{} unchanged: it already holds these header rules\n", target.native());
        return 0;
    }
    // Nothing of the user's is dropped by a merge, so no --force; the .bak is kept all the same.
    return write_to(target, merged.text, true);
}

}  // namespace

int write_config(fs::path const& dir, FormatSpec const& format, std::string const& text, bool force) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        fmt::print(stderr, "error: {} is not a directory; pass the build's directory\n", dir.string());
        return 1;
    }
    auto const target = dir / format.file_name;
    if (format.existing != Existing::replace && fs::exists(fs::symlink_status(target, ec))) {
        if (!fs::is_regular_file(fs::status(target, ec))) {
            fmt::print(stderr, "error: {} exists and is not a regular file; move it away first\n", target.native());
            return 1;
        }
        return merge_into(target, format, text);
    }
    return write_to(target, text, force);
}

}  // namespace wasmdev::deploy
