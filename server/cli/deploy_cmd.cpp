// `wasmdev deploy [DIR] --format F` and `wasmdev htaccess [DIR]`, one command code: flags become
// deploy::RenderOptions; the config is printed, or with -o handed to deploy::write_config (which
// never loses the user's file and merges into JSON/TOML host configs). The format choices and
// their help come from deploy::formats(); htaccess is the same command limited to its three
// formats, Apache by default (docs/design.md#config-formats).
#include <fmt/format.h>

#include <memory>

#include "server/cli/commands.hpp"
#include "server/cli/serve_options.hpp"
#include "server/deploy/render.hpp"
#include "server/deploy/write_config.hpp"

namespace wasmdev::cli {
namespace {

struct DeployOptions {
    std::string dir = ".";
    std::string format{};
    bool write = false;
    bool force = false;
    bool precompressed = false;
    bool cache = false;
    PolicyOptions policy{};
    deploy::RenderOptions render{};  // filled from the above while parsing
    std::vector<std::string> warnings{};
};

// Turns the flags into render options; a value the format's host cannot take is a usage
// error (exit 2, one line); its caveats are warnings printed when the command runs.
void build_render_options(DeployOptions& o, std::string_view command) {
    auto& r = o.render;
    r.format = deploy::find_format(o.format)->name;  // IsMember checked it
    r.command = command;
    apply_policy(o.policy, r.policy);  // add_policy_options has checked every value
    r.precompressed = o.precompressed;
    r.cache = o.cache;
    auto verdict = deploy::verdict(r);
    // htaccess's formats refuse only --header values, and have always named that flag.
    if (verdict.refusal)
        throw CLI::ValidationError(command == "htaccess" ? "--header" : "--format " + o.format, *verdict.refusal);
    o.warnings = std::move(verdict.warnings);
}

int run(DeployOptions const& o) {
    for (auto const& w : o.warnings) fmt::print(stderr, "warning: {}\n", w);
    auto text = deploy::render(o.render);
    if (!o.write) {
        fmt::print("{}", text);
        return 0;
    }
    return deploy::write_config(o.dir, *deploy::find_format(o.render.format), text, o.force);
}

// The shared command; `htaccess` limits the formats to its own and defaults to Apache.
Command add_config_command(CLI::App& root, std::string_view name, std::string const& description, bool htaccess) {
    auto o = std::make_shared<DeployOptions>();
    std::vector<std::string> names;
    std::string format_help, write_help;
    for (auto const& f : deploy::formats()) {
        if (htaccess && !f.htaccess) continue;
        names.emplace_back(f.name);
        format_help += fmt::format("{}{}: {}", format_help.empty() ? "" : "; ", f.name, f.help);
        write_help += fmt::format("{}{}: DIR/{}", write_help.empty() ? "" : ", ", f.name, f.file_name);
    }
    auto* cmd = root.add_subcommand(std::string(name), description);
    cmd->add_option("DIR", o->dir, "The build's (publish) directory, where -o writes")->capture_default_str();
    cmd->add_flag("-o,--write", o->write,
                  fmt::format("Write the file where the host reads it ({}) instead of printing; vercel.json, "
                              "firebase.json and netlify.toml that exist get the header rules merged in",
                              write_help));
    cmd->add_flag("--force", o->force, "With -o, replace a different existing file (kept as .bak, .bak.1, ...)");
    auto* format = cmd->add_option("--format", o->format, format_help)->check(CLI::IsMember(names));
    if (htaccess) {
        o->format = "apache";
        format->capture_default_str();
    } else {
        format->required();
    }
    cmd->add_flag("--precompressed", o->precompressed, "Serve X.br / X.gz sidecars in place of X");
    cmd->add_flag("--cache", o->cache, "Cache names with a content hash (app.1a2b3c4d.js) for a year, immutable");
    add_policy_options(*cmd, o->policy);
    take_one_value_each(*cmd);
    // Runs inside parse(), so a ValidationError here becomes main's one-line exit 2.
    cmd->callback([o, name] { build_render_options(*o, name); });
    return {cmd, [o] { return run(*o); }};
}

}  // namespace

Command add_deploy_command(CLI::App& root) {
    return add_config_command(root, "deploy",
                              "Print (or write with -o) the config that makes a static host or web server send the "
                              "serve policy: Apache, nginx, Caddy, Netlify, Cloudflare Pages, Vercel, Firebase "
                              "Hosting, GitHub Pages",
                              false);
}

Command add_htaccess_command(CLI::App& root) {
    return add_config_command(root, "htaccess",
                              "Print (or write with -o) the Apache .htaccess, nginx or Caddy config that reproduces "
                              "the serve policy",
                              true);
}

}  // namespace wasmdev::cli
