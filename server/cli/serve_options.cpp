#include "server/cli/serve_options.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>
#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <filesystem>

#include <cstdlib>
#include <ctime>

#include "server/cli/log_format.hpp"
#include "server/http/host_check.hpp"
#include "server/text/ascii.hpp"
#include "server/tls/local_addresses.hpp"
#include "server/tls/local_ca.hpp"
#include "server/tls/names.hpp"

namespace wasmdev::cli {
namespace {

constexpr http::CoepMode coep_modes[] = {http::CoepMode::require_corp, http::CoepMode::credentialless,
                                         http::CoepMode::off};
constexpr http::CorpMode corp_modes[] = {http::CorpMode::same_origin, http::CorpMode::same_site,
                                         http::CorpMode::cross_origin, http::CorpMode::off};

template <class Modes>
std::vector<std::string> names_of(Modes const& modes) {
    std::vector<std::string> out;
    for (auto m : modes) out.emplace_back(http::to_string(m));
    return out;
}

// --allow-host in lower case, an IPv6 address in brackets as the Host header writes it
// ("::1" and "[::1]" both allow "Host: [::1]:8000").
std::string normalise_allow_host(std::string h) {
    h = text::lowercase(h);
    if (!h.starts_with('[') && std::count(h.begin(), h.end(), ':') > 1) h = "[" + h + "]";
    return h;
}

// ---- HTTPS ----

// "wasmdev local CA user@host": the name a phone lists among its trusted CAs.
std::string local_ca_name() {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    char const* user = std::getenv("USER");
    return fmt::format("wasmdev local CA {}@{}", user && *user ? user : "user", host[0] ? host : "localhost");
}

// --tls/--cert/--key into out: the user's pair, checked; or wasmdev's own certificate for
// the names the server answers to (bind and host_names among them), created or re-issued as
// needed. Empty, or the one-line error.
std::string configure_tls(ServeOptions const& o, std::string const& bind, std::vector<std::string> const& host_names,
                          http::TlsSettings& out) {
    if (o.cert_file.empty() != o.key_file.empty())
        return "--cert and --key go together: pass both (mkcert writes NAME.pem and NAME-key.pem)";
    if (!o.cert_file.empty()) {
        if (auto why = tls::check_key_pair(o.cert_file, o.key_file); !why.empty()) return why;
        out.enabled = true;
        out.cert_file = std::filesystem::absolute(o.cert_file);
        out.key_file = std::filesystem::absolute(o.key_file);
        return {};
    }
    if (!o.tls) return {};
    auto const dir = tls::certificate_dir(std::getenv("XDG_CACHE_HOME"), std::getenv("HOME"));
    if (dir.empty())
        return "--tls: no cache directory for the local CA (set HOME or XDG_CACHE_HOME), or pass --cert and --key";
    std::string error;
    auto made = tls::ensure_local_certificates(dir, tls::leaf_names(bind, tls::local_addresses(), host_names),
                                               std::time(nullptr), local_ca_name(), error);
    if (!made) return "--tls: " + error;
    if (made->ca_created) fmt::print("wasmdev: created a local certificate authority: {}\n", made->ca_cert.string());
    out = {true, made->cert, made->key, made->ca_cert, made->names};
    return {};
}

// ---- end of HTTPS ----

}  // namespace

void add_policy_options(CLI::App& cmd, PolicyOptions& o) {
    cmd.add_option("--coep", o.coep, "Cross-Origin-Embedder-Policy")
        ->capture_default_str()
        ->check(CLI::IsMember(names_of(coep_modes)));
    cmd.add_option("--corp", o.corp, "Cross-Origin-Resource-Policy")
        ->capture_default_str()
        ->check(CLI::IsMember(names_of(corp_modes)));
    cmd.add_option("--header", o.headers, "Add or override a response header, 'Name: value' (repeatable)")
        ->check([](std::string const& v) {
            auto const why = http::header_arg_error(v);
            return why ? *why + ": '" + text::escape_controls(v) + "'" : std::string{};
        });
}

void apply_policy(PolicyOptions const& o, http::HeaderPolicy& cfg) {
    cfg.coep = http::parse_coep(o.coep).value_or(cfg.coep);
    cfg.corp = http::parse_corp(o.corp).value_or(cfg.corp);
    for (auto const& h : o.headers)
        if (auto parsed = http::parse_header_arg(h)) cfg.extra_headers.push_back(*parsed);
}

void take_one_value_each(CLI::App& cmd) {
    for (auto* opt : cmd.get_options([](CLI::Option* opt) {
             return opt->nonpositional() && opt->get_items_expected_max() >= CLI::detail::expected_max_vector_size;
         }))
        opt->allow_extra_args(false);
}

void add_serve_options(CLI::App& cmd, ServeOptions& o) {
    cmd.add_option("--bind", o.bind, "Address to listen on (IPv6 literals work)")->capture_default_str();
    cmd.add_option("--port", o.port, "Port to listen on; 0 picks a free one")
        ->capture_default_str()
        ->check(CLI::Range(0, 65535));
    cmd.add_option("--open", o.open_path, "Open the default browser at PATH (default /)")
        ->expected(0, 1)
        ->default_str("/");
    cmd.add_flag("--quiet,-q", o.quiet, "Drop access log lines");
    cmd.add_option("--log-level", o.log_level, "trace, debug, info, warn, error, off")
        ->capture_default_str()
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
    cmd.add_option("--threads", o.threads, "Serving threads (default: one per usable CPU)")->check(CLI::Range(0, 256));
    // Hidden: tests use a small limit to show a burst over it is queued, not refused (docs/design.md#connection-limit).
    cmd.add_option("--max-connections", o.max_connections, "Connections served at once (default: from ulimit -n)")
        ->check(CLI::Range(0, 1 << 24))
        ->group("");
    add_policy_options(cmd, o.policy);
    cmd.add_option("--allow-host", o.allow_hosts, "Also answer to this Host name (repeatable; DNS-rebinding check)")
        ->check([](std::string const& v) {
            auto const n = normalise_allow_host(v);
            return n == "*" || !http::host_without_port(n).empty()
                       ? std::string{}
                       : "--allow-host wants a host name or address (optionally :port), or *: " + v;
        });
    cmd.add_flag("--follow-symlinks", o.follow_symlinks, "Serve symlinks that lead outside ROOT");
    cmd.add_flag("--no-compress", o.no_compress, "Never compress responses");
    cmd.add_flag("--no-listing", o.no_listing, "Answer 403 instead of listing directories");
    cmd.add_option("--cache-mb", o.cache_mb, "Memory for compressed bodies, MiB")
        ->capture_default_str()
        ->check(CLI::Range(0, 1 << 20));
    // ---- HTTPS ----
    cmd.add_flag("--tls", o.tls, "Serve HTTPS with a certificate from wasmdev's local CA (created once)");
    cmd.add_option("--cert", o.cert_file,
                   "Serve HTTPS with this PEM certificate chain (mkcert's NAME.pem); needs --key")
        ->type_name("FILE");
    cmd.add_option("--key", o.key_file, "The unencrypted PEM private key of --cert")->type_name("FILE");
    // ---- end of HTTPS ----

    // Live reload: the last of --reload / --no-reload wins.
    cmd.add_flag_callback(
        "--reload", [&o] { o.reload = true; },
        "Watch ROOT and reload pages that use a changed file (default for build ... repl)");
    cmd.add_flag_callback(
        "--no-reload", [&o] { o.reload = false; }, "No live reload, no script added to pages");
    cmd.add_option("--reload-quiet", o.reload_quiet_ms,
                   "Live reload: how long writes must pause before pages reload, ms")
        ->capture_default_str()
        ->check(CLI::Range(10, 60000));

    auto* owner = dynamic_cast<CLI::Option_group*>(&cmd) ? cmd.get_parent() : &cmd;
    take_one_value_each(owner ? *owner : cmd);
}

std::optional<http::Config> to_config(ServeOptions const& o, std::string& error) {
    http::Config cfg;
    std::error_code ec;
    auto root = std::filesystem::canonical(o.root, ec);
    if (ec || !std::filesystem::is_directory(root, ec)) {
        error = fmt::format("ROOT {} is not a directory", o.root);
        return std::nullopt;
    }
    cfg.root = root;
    boost::system::error_code aec;
    auto addr = boost::asio::ip::make_address(o.bind, aec);
    if (aec) {
        error = fmt::format("--bind {} is not an IP address", o.bind);
        return std::nullopt;
    }
    cfg.server.bind = addr.to_string();
    cfg.bind_is_loopback = http::is_loopback_address(cfg.server.bind);
    // Other devices may reach a server beyond loopback by this machine's name (the Host check).
    if (!cfg.bind_is_loopback) cfg.machine_names = tls::local_host_names();
    cfg.server.port = o.port;
    apply_policy(o.policy, cfg);
    for (auto const& h : o.allow_hosts) cfg.allow_hosts.push_back(normalise_allow_host(h));
    cfg.follow_symlinks = o.follow_symlinks;
    cfg.compress = !o.no_compress;
    cfg.listing = !o.no_listing;
    cfg.server.quiet = o.quiet;
    cfg.server.threads = o.threads;
    cfg.server.max_connections = o.max_connections;
    cfg.server.cache_bytes = std::size_t(o.cache_mb) * 1024 * 1024;
    cfg.reload.enabled = o.reload.value_or(false);
    cfg.reload.quiet_ms = o.reload_quiet_ms;
    // The certificate names what the Host check answers to: the machine's names, --allow-host's.
    auto host_names = cfg.machine_names;
    for (auto const& h : cfg.allow_hosts)
        if (h != "*") host_names.push_back(http::host_without_port(h));
    if (error = configure_tls(o, cfg.server.bind, host_names, cfg.tls); !error.empty()) return std::nullopt;
    return cfg;
}

void configure_logging(ServeOptions const& o) {
    auto logger = spdlog::stdout_color_mt("wasmdev");
    logger->set_formatter(make_log_formatter());  // "warning: " where colour alone would mark it
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(o.log_level));
    // --quiet drops access lines (info) but keeps warnings a developer should fix.
    if (o.quiet && spdlog::get_level() < spdlog::level::warn) spdlog::set_level(spdlog::level::warn);
}

}  // namespace wasmdev::cli
