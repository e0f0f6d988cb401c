// `wasmdev htaccess [DIR]`: renders the deployment config (SPEC §4) from the serve policy
// and prints it, or writes it into DIR with -o without ever losing the user's own file:
// a different file is replaced only with --force, after a backup, by an atomic rename.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "server/cli/commands.hpp"
#include "server/cli/serve_options.hpp"
#include "server/htaccess/render.hpp"

namespace wasmdev::cli {
namespace {

namespace fs = std::filesystem;

struct HtaccessOptions {
    std::string dir = ".";
    std::string format = "apache";
    bool write = false;
    bool force = false;
    bool precompressed = false;
    bool cache = false;
    PolicyOptions policy{};
    htaccess::RenderOptions render{};  // filled from the above while parsing
};

std::string file_name_for(htaccess::Format f) {
    switch (f) {
        case htaccess::Format::apache: return ".htaccess";
        case htaccess::Format::nginx: return "wasmdev-nginx.conf";
        case htaccess::Format::caddy: return "wasmdev.caddy";
    }
    return ".htaccess";
}

// Turns the flags into render options; a value no format can take is a usage error (exit 2).
void build_render_options(HtaccessOptions& o) {
    auto& r = o.render;
    r.format = o.format == "nginx" ? htaccess::Format::nginx
             : o.format == "caddy" ? htaccess::Format::caddy
                                   : htaccess::Format::apache;
    apply_policy(o.policy, r.policy);  // add_policy_options has checked every value
    r.precompressed = o.precompressed;
    r.cache = o.cache;
    if (auto why = htaccess::unrenderable(r)) throw CLI::ValidationError("--header", *why);
}

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

int write_config(fs::path const& target, std::string const& text, bool force) {
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

int run(HtaccessOptions const& o) {
    auto text = htaccess::render(o.render);
    if (!o.write) {
        fmt::print("{}", text);
        return 0;
    }
    std::error_code ec;
    if (!fs::is_directory(o.dir, ec)) {
        fmt::print(stderr, "error: {} is not a directory; pass the build's directory\n", o.dir);
        return 1;
    }
    return write_config(fs::path(o.dir) / file_name_for(o.render.format), text, o.force);
}

}  // namespace

Command add_htaccess_command(CLI::App& root) {
    auto o = std::make_shared<HtaccessOptions>();
    auto* cmd = root.add_subcommand("htaccess", "Print (or write with -o) the Apache .htaccess, nginx or Caddy "
                                                "config that reproduces the serve policy");
    cmd->add_option("DIR", o->dir, "The build's directory, where -o writes")->capture_default_str();
    cmd->add_flag("-o,--write", o->write,
                  "Write DIR/.htaccess (nginx: DIR/wasmdev-nginx.conf, caddy: DIR/wasmdev.caddy) instead of printing");
    cmd->add_flag("--force", o->force, "With -o, replace a different existing file (kept as .bak, .bak.1, ...)");
    cmd->add_option("--format", o->format, "apache (.htaccess), nginx (location snippet) or caddy (Caddyfile snippet)")
        ->capture_default_str()
        ->check(CLI::IsMember({"apache", "nginx", "caddy"}));
    cmd->add_flag("--precompressed", o->precompressed, "Serve X.br / X.gz sidecars in place of X");
    cmd->add_flag("--cache", o->cache, "Cache names with a content hash (app.1a2b3c4d.js) for a year, immutable");
    add_policy_options(*cmd, o->policy);
    take_one_value_each(*cmd);
    // Runs inside parse(), so a ValidationError here becomes main's one-line exit 2.
    cmd->callback([o] { build_render_options(*o); });
    return {cmd, [o] { return run(*o); }};
}

}  // namespace wasmdev::cli
