// The doctor's ServedModules behind http::ModuleWatch and the watch hub behind
// net::ChangeFeed, for every command that serves; and serve's run until Ctrl-C.
#include "server/cli/serve_wiring.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include "server/cli/serve_banner.hpp"
#include "server/doctor/served_modules.hpp"
#include "server/watch/hub.hpp"
#include "server/watch/watcher.hpp"

namespace wasmdev::cli {

ModuleDiagnosis::ModuleDiagnosis() = default;
ModuleDiagnosis::ModuleDiagnosis(ModuleDiagnosis&&) noexcept = default;
ModuleDiagnosis::~ModuleDiagnosis() = default;

ModuleDiagnosis make_module_diagnosis(std::filesystem::path const& root) {
    ModuleDiagnosis d;
    std::error_code ec;  // absolute() fails only without a current directory: root is used as given
    d.modules = std::make_unique<doctor::ServedModules>(
        std::filesystem::absolute(root, ec),
        doctor::ServedModules::Options{.warn = [](std::string const& line) { spdlog::warn("{}", line); },
                                       .note = [](std::string const& line) { spdlog::debug("{}", line); }});
    auto* m = d.modules.get();
    d.watch.served = [m](std::string_view path, std::string_view rel) { m->note_module(path, rel); };
    d.watch.not_found = [m](std::string_view path) { return m->on_not_found(path); };
    d.watch.modules_json = [m](std::string_view origin) { return m->modules_json(origin); };
    return d;
}

namespace {

// The hub as the server sees it: a subscription that hands each change on as (all, paths).
net::ChangeFeed feed_of(watch::Hub& hub) {
    net::ChangeFeed feed;
    feed.subscribe = [&hub](net::ChangeFeed::Listener listener) {
        return hub.subscribe([listener = std::move(listener)](watch::Change const& c) { listener(c.all, c.paths); });
    };
    feed.unsubscribe = [&hub](std::uint64_t id) { hub.unsubscribe(id); };
    return feed;
}

}  // namespace

WiredServer::WiredServer(http::Config const& cfg) : diagnosis_(make_module_diagnosis(cfg.root)) {
    net::Hooks hooks{.module_watch = diagnosis_.watch};
    if (cfg.reload.enabled) {
        hub_ = std::make_unique<watch::Hub>();
        hooks.reload_feed = feed_of(*hub_);
        // Watching starts before the server binds, as the log has always shown it: the
        // watched directories, then the URL line.
        try {
            watcher_ = std::make_unique<watch::Watcher>(
                cfg.root, *hub_, watch::WatchOptions{std::chrono::milliseconds(cfg.reload.quiet_ms)},
                [](std::string const& w) { spdlog::warn("{}", w); });
            spdlog::info("live reload: watching {} directories under {}", watcher_->directories(), cfg.root.native());
        } catch (std::exception const& e) {
            spdlog::warn("live reload: {}; pages will not reload by themselves", e.what());
        }
    }
    server_ = std::make_unique<net::Server>(cfg, std::move(hooks));
}

WiredServer::~WiredServer() {
    // No change is published while the sessions' contexts go away with the server.
    watcher_.reset();
    server_.reset();
}

int run_server(http::Config const& cfg, std::function<void(std::string const& url)> const& on_ready) {
    std::unique_ptr<WiredServer> wired;
    try {
        wired = std::make_unique<WiredServer>(cfg);
    } catch (net::StartupError const& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return 1;
    }
    auto& server = wired->server();
    net::serve_until_signal(server, [&] {
        auto const url = server.url();
        announce_server(cfg, url, server.port());
        if (on_ready) on_ready(url);
    });
    return 0;
}

}  // namespace wasmdev::cli
