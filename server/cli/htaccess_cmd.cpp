// `wasmdev htaccess [DIR]`: renders the deployment config (SPEC §4) from the serve policy
// and prints it, or writes it into DIR with -o without ever losing the user's own file.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "server/cli/commands.hpp"
#include "server/htaccess/render.hpp"
#include "server/http/policy.hpp"

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
    std::string coep = "require-corp";
    std::string corp = "same-site";
    std::vector<std::string> headers{};
};

std::string file_name_for(htaccess::Format f) {
    switch (f) {
        case htaccess::Format::apache: return ".htaccess";
        case htaccess::Format::nginx: return "wasmdev-nginx.conf";
        case htaccess::Format::caddy: return "wasmdev.caddy";
    }
    return ".htaccess";
}

std::optional<std::string> read_all(fs::path const& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The first free name among X.bak, X.bak.1, X.bak.2, ...
fs::path backup_name(fs::path const& target) {
    auto candidate = fs::path(target.native() + ".bak");
    for (int i = 1; fs::exists(candidate); ++i) candidate = fs::path(target.native() + ".bak." + std::to_string(i));
    return candidate;
}

int write_config(fs::path const& target, std::string const& text, bool force) {
    std::error_code ec;
    if (auto existing = read_all(target)) {
        if (*existing == text) {
            fmt::print("{} is already up to date\n", target.native());
            return 0;
        }
        if (!force) {
            fmt::print(stderr, "error: {} exists and differs; pass --force to replace it (the old file is kept as a backup)\n",
                       target.native());
            return 1;
        }
        auto backup = backup_name(target);
        fs::copy_file(target, backup, ec);
        if (ec) {
            fmt::print(stderr, "error: cannot back up {} to {}: {}\n", target.native(), backup.native(), ec.message());
            return 1;
        }
        fmt::print("kept the previous file as {}\n", backup.native());
    }
    // Write beside the target and rename over it: a crash never leaves half a config.
    auto tmp = fs::path(target.native() + ".wasmdev-tmp-" + std::to_string(::getpid()));
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) {
            fmt::print(stderr, "error: cannot write {}\n", tmp.native());
            fs::remove(tmp, ec);
            return 1;
        }
    }
    fs::rename(tmp, target, ec);
    if (ec) {
        fmt::print(stderr, "error: cannot write {}: {}\n", target.native(), ec.message());
        fs::remove(tmp, ec);
        return 1;
    }
    fmt::print("wrote {}\n", target.native());
    return 0;
}

int run(HtaccessOptions const& o) {
    htaccess::RenderOptions r;
    r.format = o.format == "nginx" ? htaccess::Format::nginx
             : o.format == "caddy" ? htaccess::Format::caddy
                                   : htaccess::Format::apache;
    r.policy.coep = *http::parse_coep(o.coep);
    r.policy.corp = *http::parse_corp(o.corp);
    for (auto const& h : o.headers) r.policy.extra_headers.push_back(*http::parse_header_arg(h));
    r.precompressed = o.precompressed;
    r.cache = o.cache;
    auto text = htaccess::render(r);
    if (!o.write) {
        fmt::print("{}", text);
        return 0;
    }
    std::error_code ec;
    if (!fs::is_directory(o.dir, ec)) {
        fmt::print(stderr, "error: {} is not a directory\n", o.dir);
        return 1;
    }
    return write_config(fs::path(o.dir) / file_name_for(r.format), text, o.force);
}

}  // namespace

Command add_htaccess_command(CLI::App& root) {
    auto o = std::make_shared<HtaccessOptions>();
    auto* cmd = root.add_subcommand("htaccess", "Print (or write with -o) the Apache/nginx/Caddy config that "
                                                "reproduces the serve policy");
    cmd->add_option("DIR", o->dir, "Directory of the build (for -o)")->capture_default_str();
    cmd->add_flag("-o,--write", o->write, "Write DIR/.htaccess (or the nginx/caddy file) instead of printing");
    cmd->add_flag("--force", o->force, "Replace a different existing file (a .bak copy is kept)");
    cmd->add_option("--format", o->format, "apache, nginx or caddy")
        ->capture_default_str()
        ->check(CLI::IsMember({"apache", "nginx", "caddy"}));
    cmd->add_flag("--precompressed", o->precompressed, "Serve X.br / X.gz sidecars as X");
    cmd->add_flag("--cache", o->cache, "Cache hashed asset names (app.1a2b3c4d.js) for a year");
    cmd->add_option("--coep", o->coep, "Cross-Origin-Embedder-Policy")
        ->capture_default_str()
        ->check(CLI::IsMember({"require-corp", "credentialless", "off"}));
    cmd->add_option("--corp", o->corp, "Cross-Origin-Resource-Policy")
        ->capture_default_str()
        ->check(CLI::IsMember({"same-origin", "same-site", "cross-origin", "off"}));
    cmd->add_option("--header", o->headers, "Add or override a header, 'Name: value' (repeatable)")
        ->check([](std::string const& v) {
            return http::parse_header_arg(v) ? std::string{} : "--header wants 'Name: value' without CR/LF: " + v;
        });
    return {cmd, [o] { return run(*o); }};
}

}  // namespace wasmdev::cli
