// `wasmdev htaccess [DIR]`: turns flags into htaccess::RenderOptions, prints the rendered
// config, or with -o hands it to htaccess::write_config (which never loses the user's file).
#include <fmt/format.h>

#include <memory>

#include "server/cli/commands.hpp"
#include "server/cli/serve_options.hpp"
#include "server/htaccess/render.hpp"
#include "server/htaccess/write_config.hpp"

namespace wasmdev::cli {
namespace {

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

int run(HtaccessOptions const& o) {
    auto text = htaccess::render(o.render);
    if (!o.write) {
        fmt::print("{}", text);
        return 0;
    }
    return htaccess::write_config(o.dir, o.render.format, text, o.force);
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
