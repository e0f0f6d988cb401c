#include "server/net/server.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/resource.h>
#include <unistd.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <csignal>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "server/compress/cache.hpp"
#include "server/compress/scheduler.hpp"
#include "server/fs/open_cache.hpp"
#include "server/fs/resolve.hpp"
#include "server/http/host_check.hpp"
#include "server/http/reload_token.hpp"
#include "server/net/access_log.hpp"
#include "server/net/handshake_slots.hpp"
#include "server/net/session.hpp"
#include "server/net/tls_context.hpp"
#include "server/sys/cpus.hpp"
#include "server/watch/watcher.hpp"

namespace wasmdev::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

// Descriptors (docs/design.md#connection-limit): raise the soft limit to the hard one (capped at 65536), as nginx
// users set worker_rlimit_nofile; the default soft 1024 would leave little for connections.
// Of what is left after a reserve for the process itself (log, listener, epoll, the pool's
// jobs), at most a quarter, up to 2048, is for cached open files (a CPython checkout's
// browser build reads a few hundred); connections get half of the rest, since a connection
// may hold a file descriptor of its own while it sends an uncached file.
namespace {
struct DescriptorBudget {
    std::size_t connections = 0;
    std::size_t open_files = 0;
};

DescriptorBudget split_descriptors(std::uint64_t limit, std::size_t configured_connections) {
    constexpr std::uint64_t reserve = 64;
    auto const spare = limit > reserve ? limit - reserve : 0;
    DescriptorBudget b;
    b.open_files = std::size_t(std::min<std::uint64_t>(2048, spare / 4));
    b.connections = std::max<std::size_t>(1, std::size_t((spare - b.open_files) / 2));
    if (configured_connections > 0) b.connections = configured_connections;  // --max-connections
    return b;
}

std::uint64_t raise_descriptor_limit() {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 1024;
    rlim_t const wanted = std::min<rlim_t>(lim.rlim_max, 65536);
    if (lim.rlim_cur < wanted) {
        lim.rlim_cur = wanted;
        ::setrlimit(RLIMIT_NOFILE, &lim);  // best effort: the old limit still works
        ::getrlimit(RLIMIT_NOFILE, &lim);
    }
    return std::uint64_t(lim.rlim_cur);
}
}  // namespace

struct Server::Impl {
    http::Config cfg;
    std::unique_ptr<AccessLog> access_log;       // outlives the sessions that write to it
    std::unique_ptr<watch::Hub> reload_hub;      // outlives the event streams that listen to it
    SessionHost host;                            // before the contexts: sessions destroyed with them deregister here
    std::unique_ptr<HandshakeSlots> handshakes;  // --tls; before the contexts, like host
    // One io_context per serving thread, each run by its own thread: a connection lives on
    // one context for its whole life, so its handlers need no strand and no lock. `ioc` is
    // thread 0's and also runs the acceptor and shutdown; `others` belong to threads 1..n-1,
    // kept running by work guards until shutdown. (One shared context with a strand per
    // connection cost a mutex and a polymorphic executor hop per operation.)
    asio::io_context ioc{1};
    tcp::acceptor acceptor{ioc};
    std::vector<std::unique_ptr<asio::io_context>> others;
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
    std::size_t next_context = 0;
    std::vector<std::thread> threads;
    std::chrono::milliseconds grace{2000};
    // At the connection limit the accept loop waits on this timer (never expiring) until a
    // session ends and cancels it: further clients wait in the listen backlog, not for a 503.
    asio::steady_timer slot_free{ioc};
    int owned_root_fd = -1;
    // Compression runs off the serving threads, so a cold 20 MB wasm never stalls a session.
    compress::Scheduler compress_pool{sys::usable_cpus()};  // big lane; small files get a lane of their own
    std::unique_ptr<compress::CompressCache> cache;
    std::unique_ptr<fs::OpenFileCache> open_files;
    http::ModuleWatch module_watch;
    std::unique_ptr<asio::ssl::context> tls;  // --tls: every session shares it (and its session cache)
    std::unique_ptr<watch::Watcher> watcher;  // live reload; publishes to reload_hub

    ~Impl() {
        watcher.reset();  // no event is published while the sessions' contexts go away
        // Jobs hold the cache's state themselves; stopped (see stop()), a running one ends at
        // its next block and queued ones are dropped unrun, failing their entries: Ctrl-C
        // does not wait for compressions to finish (it took 27 s; docs/design.md#shutdown).
        if (cache) cache->stop_compressing();
        compress_pool.stop();
        compress_pool.join();
        if (owned_root_fd >= 0) ::close(owned_root_fd);  // opened for search only: nothing to flush
    }

    // Live reload (docs/design.md#live-reload): the token, the hub, the watcher. Without inotify the pages
    // still get the client; they just never hear of a change (a warning says so).
    void start_reload() {
        if (!cfg.reload) return;
        if (cfg.reload_token.empty()) cfg.reload_token = http::make_reload_token();
        reload_hub = std::make_unique<watch::Hub>();
        host.reload_hub = reload_hub.get();
        host.services.open_event_streams = &host.event_streams;
        host.slot_freed = [this] { asio::post(ioc, [this] { slot_free.cancel(); }); };
        try {
            watcher = std::make_unique<watch::Watcher>(
                cfg.root, *reload_hub, watch::WatchOptions{std::chrono::milliseconds(cfg.reload_quiet_ms)},
                [](std::string const& w) { spdlog::warn("{}", w); });
            spdlog::info("live reload: watching {} directories under {}", watcher->directories(), cfg.root.native());
        } catch (std::exception const& e) {
            spdlog::warn("live reload: {}; pages will not reload by themselves", e.what());
        }
    }

    asio::awaitable<void> accept_loop() {
        auto const protocol = acceptor.local_endpoint().protocol();
        for (;;) {
            // Round-robin over the contexts: the new connection's socket belongs to the next one.
            // At the limit, stop accepting until a session ends (docs/design.md#connection-limit): the kernel's
            // backlog holds the burst, and every client is served, late but correct.
            // Live-reload streams (open tabs) do not count.
            while (host.active.load() - host.event_streams.load() >= cfg.max_connections && !host.stopping) {
                slot_free.expires_at(asio::steady_timer::time_point::max());
                co_await slot_free.async_wait(asio::as_tuple(asio::use_awaitable));
            }
            if (host.stopping) co_return;
            auto& target = next_context == 0 ? ioc : *others[next_context - 1];
            next_context = (next_context + 1) % (others.size() + 1);
            // Accepted on the acceptor's own context, then the descriptor moves to the target's:
            // an accept pending into another context's socket is destroyed with `ioc` after that
            // context and its socket service are gone (ASan: heap-use-after-free at shutdown).
            auto [ec, accepted] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec == asio::error::operation_aborted || host.stopping) co_return;
            if (ec) {
                // EMFILE and friends: back off briefly instead of spinning.
                spdlog::warn("accept failed: {}", ec.message());
                asio::steady_timer t(ioc, std::chrono::milliseconds(50));
                co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
                continue;
            }
            Socket socket(target.get_executor());
            auto const fd = accepted.release(ec);
            if (!ec) socket.assign(protocol, fd, ec);
            if (ec) {
                if (!accepted.is_open()) ::close(fd);
                spdlog::warn("accepted connection lost: {}", ec.message());
                continue;
            }
            socket.set_option(tcp::no_delay(true), ec);  // best effort; latency only
            ++host.active;
            auto exec = socket.get_executor();
            // Never over the limit: the loop above waited for a free slot.
            asio::co_spawn(exec, run_session(Stream(std::move(socket)), host, tls.get()), [this](std::exception_ptr e) {
                if (host.active.fetch_sub(1) >= cfg.max_connections)
                    asio::post(ioc, [this] { slot_free.cancel(); });  // the accept loop may be waiting
                if (e) {
                    try {
                        std::rethrow_exception(e);
                    } catch (std::exception const& x) {
                        spdlog::error("session failed: {}", x.what());
                    }
                }
            });
        }
    }

    // Timeouts (docs/design.md#limits): sessions keep deadlines, this enforces them every 250 ms. Every
    // 2 s it also frees the compressed bodies of files that were deleted or changed, and
    // closes cached descriptors of deleted files.
    asio::awaitable<void> sweep_deadlines() {
        asio::steady_timer t(ioc);
        for (unsigned tick = 1; !host.stopping; ++tick) {
            t.expires_after(std::chrono::milliseconds(250));
            co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
            host.expire_overdue_sessions();
            if (tick % 8 == 0) {
                if (cache) cache->drop_stale();
                if (open_files) open_files->drop_unlinked();
            }
        }
    }

    asio::awaitable<void> drain() {
        asio::steady_timer t(ioc);
        auto const deadline = std::chrono::steady_clock::now() + grace;
        while (host.active.load() > 0 && std::chrono::steady_clock::now() < deadline) {
            host.close_idle_sessions();
            t.expires_after(std::chrono::milliseconds(20));
            co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        keep_running.clear();
        for (auto& other : others) other->stop();
        ioc.stop();
    }
};

Server::Server(http::Config cfg, http::ModuleWatch module_watch) : impl_(std::make_unique<Impl>()) {
    // sendfile(2) has no MSG_NOSIGNAL: a client that hangs up mid-body must cost an EPIPE,
    // not the process.
    ::signal(SIGPIPE, SIG_IGN);
    impl_->cfg = std::move(cfg);
    if (impl_->cfg.root_fd < 0) impl_->owned_root_fd = impl_->cfg.root_fd = fs::open_root(impl_->cfg.root);
    impl_->host.cfg = &impl_->cfg;
    impl_->cache = std::make_unique<compress::CompressCache>(
        impl_->cfg.cache_bytes,
        [pool = &impl_->compress_pool](std::function<void()> job) { pool->post_big(std::move(job)); },
        [pool = &impl_->compress_pool](std::function<void()> job) { pool->post_small(std::move(job)); });
    impl_->host.services.cache = impl_->cache.get();
    auto const budget = split_descriptors(raise_descriptor_limit(), impl_->cfg.max_connections);
    impl_->cfg.max_connections = budget.connections;
    spdlog::debug("serving at most {} connections at once, caching at most {} open files", budget.connections,
                  budget.open_files);
    impl_->open_files = std::make_unique<fs::OpenFileCache>(budget.open_files);
    impl_->host.services.open_files = impl_->open_files.get();
    impl_->host.services.open_connections = &impl_->host.active;
    impl_->host.services.responses_being_sent = &impl_->host.responses_being_sent;
    impl_->module_watch = std::move(module_watch);
    impl_->host.services.modules = &impl_->module_watch;
    impl_->start_reload();
    // Access lines are info: --quiet (or --log-level warn) turns them off, and then they cost nothing.
    if (!impl_->cfg.quiet && spdlog::should_log(spdlog::level::info)) {
        impl_->access_log = std::make_unique<AccessLog>(STDOUT_FILENO);
        impl_->host.access_log = impl_->access_log.get();
    }
    if (impl_->cfg.tls.enabled) {
        std::string error;
        impl_->tls = make_tls_context(impl_->cfg.tls, error);
        if (!impl_->tls) throw StartupError(error);
        impl_->handshakes = std::make_unique<HandshakeSlots>(handshake_cap(impl_->cfg.max_connections));
        impl_->host.handshakes = impl_->handshakes.get();
        impl_->host.services.tls_handshakes = &impl_->handshakes->stats();
    }
    auto& a = impl_->acceptor;
    beast::error_code ec;
    auto addr = asio::ip::make_address(impl_->cfg.bind, ec);
    if (ec) throw StartupError(fmt::format("--bind {} is not an IP address", impl_->cfg.bind));
    tcp::endpoint ep(addr, impl_->cfg.port);
    a.open(ep.protocol(), ec);
    if (ec) throw StartupError(fmt::format("cannot open a socket for {}: {}", impl_->cfg.bind, ec.message()));
    a.set_option(tcp::acceptor::reuse_address(true), ec);
    a.bind(ep, ec);
    if (ec == asio::error::address_in_use)
        throw StartupError(fmt::format("port {} is in use (try --port 0)", impl_->cfg.port));
    if (ec == asio::error::access_denied)
        throw StartupError(
            fmt::format("port {} needs privileges (try a port above 1023, or --port 0)", impl_->cfg.port));
    if (ec)
        throw StartupError(fmt::format("cannot listen on {}:{}: {}", impl_->cfg.bind, impl_->cfg.port, ec.message()));
    a.listen(asio::socket_base::max_listen_connections,
             ec);  // SOMAXCONN (4096 since Linux 5.4): a burst over the limit waits here
    if (ec)
        throw StartupError(fmt::format("cannot listen on {}:{}: {}", impl_->cfg.bind, impl_->cfg.port, ec.message()));
    impl_->cfg.port = a.local_endpoint().port();
}

Server::~Server() {
    if (!impl_->threads.empty()) {
        stop();
        wait();
    }
}

std::uint16_t Server::port() const { return impl_->cfg.port; }

http::Config const& Server::config() const { return impl_->cfg; }

std::string Server::url() const {
    auto const& b = impl_->cfg.bind;
    auto host = b == "0.0.0.0"                     ? std::string("127.0.0.1")
                : b == "::"                        ? std::string("[::1]")
                : b.find(':') != std::string::npos ? "[" + b + "]"
                                                   : b;
    return fmt::format("{}://{}:{}/", impl_->cfg.tls.enabled ? "https" : "http", host, impl_->cfg.port);
}

void Server::start() {
    asio::co_spawn(impl_->ioc, impl_->accept_loop(), asio::detached);
    asio::co_spawn(impl_->ioc, impl_->sweep_deadlines(), asio::detached);
    unsigned n = impl_->cfg.threads ? impl_->cfg.threads : sys::usable_cpus();
    for (unsigned i = 1; i < n; ++i) {
        auto& other = *impl_->others.emplace_back(std::make_unique<asio::io_context>(1));
        impl_->keep_running.push_back(asio::make_work_guard(other));
        impl_->threads.emplace_back([&other] { other.run(); });
    }
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
}

void Server::wait() {
    for (auto& t : impl_->threads)
        if (t.joinable()) t.join();
    impl_->threads.clear();
}

void Server::stop() {
    asio::post(impl_->ioc, [this] {
        if (impl_->host.stopping.exchange(true)) return;
        beast::error_code ignored;
        impl_->acceptor.close(ignored);  // closing a listening socket only fails if it is already closed
        impl_->slot_free.cancel();       // an accept loop waiting for a free slot ends
        // Compressions in flight end now: their sessions close instead of draining for seconds.
        if (impl_->cache) impl_->cache->stop_compressing();
        asio::co_spawn(impl_->ioc, impl_->drain(), asio::detached);
    });
}

namespace {

// What a user needs to reach the HTTPS server from a phone or another machine (docs/design.md#https).
void print_tls_lines(http::Config const& cfg, std::uint16_t port) {
    auto const& t = cfg.tls;
    if (!t.enabled) return;
    // Listening on every interface: the addresses a phone can use (the certificate names them).
    if (cfg.bind == "0.0.0.0" || cfg.bind == "::") {
        for (auto const& n : t.names) {
            if (n == "localhost" || http::is_loopback_address(n)) continue;
            fmt::print("  from other devices: https://{}:{}/\n", n.find(':') != std::string::npos ? "[" + n + "]" : n,
                       port);
        }
    }
    if (t.ca_file.empty()) {
        fmt::print("HTTPS with {}\n", t.cert_file.native());
        return;
    }
    std::string names;
    for (auto const& n : t.names) names += (names.empty() ? "" : ", ") + n;
    fmt::print(
        "HTTPS certificate for {} from wasmdev's local CA: {}\n"
        "  To trust it on a phone or another machine, copy that CA file there and install it as a trusted\n"
        "  certificate authority (iOS: open it, install the profile, then enable it in Settings > General >\n"
        "  About > Certificate Trust Settings; Android: Settings > Security > Encryption & credentials >\n"
        "  Install a certificate > CA certificate). docs/https.md has more.\n",
        names, t.ca_file.native());
}

}  // namespace

int run_server(http::Config const& cfg, std::function<void(std::string const& url)> const& on_ready,
               http::ModuleWatch module_watch) {
    std::unique_ptr<Server> server;
    try {
        server = std::make_unique<Server>(cfg, std::move(module_watch));
    } catch (StartupError const& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return 1;
    }
    // Signals are waited for on a small io_context of their own, so stop() runs off the
    // serving threads and the server drains normally. Caught from before the URL line: a
    // script (or a test) that signals as soon as it reads the URL must not find SIGINT still
    // ignored, as a shell leaves it for a background job, and the signal lost.
    asio::io_context signals_ioc;
    asio::signal_set signals(signals_ioc, SIGINT, SIGTERM);
    signals.async_wait([&](beast::error_code ec, int sig) {
        if (ec) return;
        spdlog::info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
        server->stop();
    });
    auto const url = server->url();
    fmt::print("wasmdev serving {} at {}\n", cfg.root.native(), url);
    print_tls_lines(cfg, server->port());
    std::fflush(stdout);
    spdlog::info("self-check page: {}__wasmdev/", url);
    bool const any_host = std::find(cfg.allow_hosts.begin(), cfg.allow_hosts.end(), "*") != cfg.allow_hosts.end();
    if (any_host) spdlog::warn("answering to any Host (--allow-host '*'): no defence against DNS rebinding");
    if (!cfg.bind_is_loopback) {
        spdlog::warn("bound to {}: anyone on your network can read {}", cfg.bind, cfg.root.native());
        if (!any_host) {
            std::string names;
            for (auto const& n : cfg.machine_names) names += ", " + n;
            for (auto const& n : cfg.allow_hosts) names += ", " + n;
            spdlog::info("answering to Host localhost, IP addresses{}; allow another name with --allow-host NAME",
                         names);
        }
    }
    // Browsers grant cross-origin isolation only to secure contexts, and http:// is one
    // only on localhost.
    if (!cfg.bind_is_loopback && !cfg.tls.enabled)
        spdlog::warn(
            "other devices reach http://{}:{}/ without a secure context, so SharedArrayBuffer and "
            "wasm threads will not work there (only http://localhost is secure); serve with --tls",
            cfg.bind, cfg.port);

    server->start();
    if (on_ready) on_ready(url);
    std::thread signal_thread([&] { signals_ioc.run(); });
    server->wait();
    signals_ioc.stop();
    signal_thread.join();
    return 0;
}

}  // namespace wasmdev::net
