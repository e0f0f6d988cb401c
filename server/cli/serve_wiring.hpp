// What a command that starts a server plugs into it from the folders beside net/, and the
// run until Ctrl-C: the serve-time module diagnosis (docs/design.md#serve-diagnosis) is the
// doctor's ServedModules behind http::ModuleWatch; live reload (docs/design.md#live-reload) is
// the watch folder's hub and watcher behind net::ChangeFeed. net/ knows only the interfaces.
#pragma once
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "server/http/config.hpp"
#include "server/http/services.hpp"
#include "server/net/server.hpp"

namespace wasmdev::doctor {
class ServedModules;
}
namespace wasmdev::watch {
class Hub;
class Watcher;
}  // namespace wasmdev::watch

namespace wasmdev::cli {

// Owns the doctor's reader; must outlive the server it is given to (declare it first).
struct ModuleDiagnosis {
    std::unique_ptr<doctor::ServedModules> modules{};
    http::ModuleWatch watch{};  // calls into modules; give a copy to net::Server
    ModuleDiagnosis();
    ModuleDiagnosis(ModuleDiagnosis&&) noexcept;
    ~ModuleDiagnosis();
};

// The diagnosis for a server of root: warnings at warn level, notes at debug.
ModuleDiagnosis make_module_diagnosis(std::filesystem::path const& root);

// A server for cfg with the module diagnosis and, with cfg.reload.enabled, ROOT's watcher
// plugged in: what every command that serves starts. The watcher goes first, then the
// server, then what the server's sessions call into (the hub, the diagnosis).
class WiredServer {
public:
    // Binds and listens (throws net::StartupError). Without a working tree watch (no inotify)
    // pages still get the reload client; a warning says they will not reload by themselves.
    explicit WiredServer(http::Config const& cfg);
    ~WiredServer();
    WiredServer(WiredServer const&) = delete;
    WiredServer& operator=(WiredServer const&) = delete;
    net::Server& server() { return *server_; }

private:
    ModuleDiagnosis diagnosis_;
    std::unique_ptr<watch::Hub> hub_;  // live reload: event streams subscribe here
    std::unique_ptr<net::Server> server_;
    std::unique_ptr<watch::Watcher> watcher_;  // publishes to hub_; stopped before the server goes
};

// Serves cfg until SIGINT/SIGTERM: prints the URL line and what the user needs to know
// (serve_banner.hpp), logs, returns the exit code (0 on a clean stop, 1 when startup fails —
// after printing "error: ..." to stderr). on_ready runs once the server accepts, with its URL
// (--open, build repl's page lines).
int run_server(http::Config const& cfg, std::function<void(std::string const& url)> const& on_ready = {});

}  // namespace wasmdev::cli
