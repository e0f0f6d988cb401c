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
#include "server/http/reload_token.hpp"
#include "server/net/access_log.hpp"
#include "server/net/give_back.hpp"
#include "server/net/handshake_slots.hpp"
#include "server/net/session.hpp"
#include "server/net/tls_context.hpp"
#include "server/sys/cpus.hpp"

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

// Binds a to the server's address and port and listens; returns the port (the one the
// kernel picked for --port 0). Throws StartupError with the sentence to print.
std::uint16_t listen_on(tcp::acceptor& a, http::ServerOptions const& server) {
    beast::error_code ec;
    auto addr = asio::ip::make_address(server.bind, ec);
    if (ec) throw StartupError(fmt::format("--bind {} is not an IP address", server.bind));
    tcp::endpoint ep(addr, server.port);
    a.open(ep.protocol(), ec);
    if (ec) throw StartupError(fmt::format("cannot open a socket for {}: {}", server.bind, ec.message()));
    a.set_option(tcp::acceptor::reuse_address(true), ec);
    a.bind(ep, ec);
    if (ec == asio::error::address_in_use)
        throw StartupError(fmt::format("port {} is in use (try --port 0)", server.port));
    if (ec == asio::error::access_denied)
        throw StartupError(fmt::format("port {} needs privileges (try a port above 1023, or --port 0)", server.port));
    if (ec) throw StartupError(fmt::format("cannot listen on {}:{}: {}", server.bind, server.port, ec.message()));
    a.listen(asio::socket_base::max_listen_connections,
             ec);  // SOMAXCONN (4096 since Linux 5.4): a burst over the limit waits here
    if (ec) throw StartupError(fmt::format("cannot listen on {}:{}: {}", server.bind, server.port, ec.message()));
    return a.local_endpoint().port();
}

}  // namespace

struct Server::Impl {
    http::Config cfg;
    std::unique_ptr<AccessLog> access_log;       // outlives the sessions that write to it
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
    GiveBack give_back;                       // its jobs run on compress_pool, joined in ~Impl
    Hooks hooks;                              // the module diagnosis and the reload feed
    std::unique_ptr<asio::ssl::context> tls;  // --tls: every session shares it (and its session cache)

    ~Impl() {
        // Jobs hold the cache's state themselves; stopped (see stop()), a running one ends at
        // its next block and queued ones are dropped unrun, failing their entries: Ctrl-C
        // does not wait for compressions to finish (it took 27 s; docs/design.md#shutdown).
        if (cache) cache->stop_compressing();
        compress_pool.stop();
        compress_pool.join();
        if (owned_root_fd >= 0) ::close(owned_root_fd);  // opened for search only: nothing to flush
    }

    // Live reload (docs/design.md#live-reload): the token, and the event streams' count and feed.
    // Who watches ROOT is the command's business (cli/serve_wiring.cpp); it hands us the feed.
    void start_reload() {
        if (!cfg.reload.enabled) return;
        if (cfg.reload.token.empty()) cfg.reload.token = http::make_reload_token();
        host.reload_feed = hooks.reload_feed;
        host.services.open_event_streams = &host.event_streams;
        host.slot_freed = [this] { asio::post(ioc, [this] { slot_free.cancel(); }); };
    }

    asio::awaitable<void> accept_loop() {
        auto const protocol = acceptor.local_endpoint().protocol();
        for (;;) {
            // Round-robin over the contexts: the new connection's socket belongs to the next one.
            // At the limit, stop accepting until a session ends (docs/design.md#connection-limit): the kernel's
            // backlog holds the burst, and every client is served, late but correct.
            // Live-reload streams (open tabs) do not count.
            while (host.active.load() - host.event_streams.load() >= cfg.server.max_connections && !host.stopping) {
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
                if (host.active.fetch_sub(1) >= cfg.server.max_connections)
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
    // closes cached descriptors of deleted files, and has memory a burst freed given back.
    asio::awaitable<void> sweep_deadlines() {
        asio::steady_timer t(ioc);
        for (unsigned tick = 1; !host.stopping; ++tick) {
            t.expires_after(std::chrono::milliseconds(250));
            co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
            host.expire_overdue_sessions();
            if (tick % 8 == 0) {
                if (cache) cache->drop_stale();
                if (open_files) open_files->drop_unlinked();
                if (auto job = give_back.job()) compress_pool.post_small(std::move(job));
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

Server::Server(http::Config cfg, Hooks hooks) : impl_(std::make_unique<Impl>()) {
    // sendfile(2) has no MSG_NOSIGNAL: a client that hangs up mid-body must cost an EPIPE,
    // not the process.
    ::signal(SIGPIPE, SIG_IGN);
    impl_->cfg = std::move(cfg);
    if (impl_->cfg.root_fd < 0) impl_->owned_root_fd = impl_->cfg.root_fd = fs::open_root(impl_->cfg.root);
    impl_->host.cfg = &impl_->cfg;
    impl_->cache = std::make_unique<compress::CompressCache>(
        impl_->cfg.server.cache_bytes,
        [pool = &impl_->compress_pool](std::function<void()> job) { pool->post_big(std::move(job)); },
        [pool = &impl_->compress_pool](std::function<void()> job) { pool->post_small(std::move(job)); });
    impl_->host.services.cache = impl_->cache.get();
    auto const budget = split_descriptors(raise_descriptor_limit(), impl_->cfg.server.max_connections);
    impl_->cfg.server.max_connections = budget.connections;
    spdlog::debug("serving at most {} connections at once, caching at most {} open files", budget.connections,
                  budget.open_files);
    impl_->open_files = std::make_unique<fs::OpenFileCache>(budget.open_files);
    impl_->host.services.open_files = impl_->open_files.get();
    impl_->host.services.open_connections = &impl_->host.active;
    impl_->host.services.responses_being_sent = &impl_->host.responses_being_sent;
    impl_->host.services.memory = &impl_->give_back.stats();
    impl_->hooks = std::move(hooks);
    impl_->host.services.modules = &impl_->hooks.module_watch;
    impl_->start_reload();
    // Access lines are info: --quiet (or --log-level warn) turns them off, and then they cost nothing.
    if (!impl_->cfg.server.quiet && spdlog::should_log(spdlog::level::info)) {
        impl_->access_log = std::make_unique<AccessLog>(STDOUT_FILENO);
        impl_->host.access_log = impl_->access_log.get();
    }
    if (impl_->cfg.tls.enabled) {
        std::string error;
        impl_->tls = make_tls_context(impl_->cfg.tls, error);
        if (!impl_->tls) throw StartupError(error);
        impl_->handshakes = std::make_unique<HandshakeSlots>(handshake_cap(impl_->cfg.server.max_connections));
        impl_->host.handshakes = impl_->handshakes.get();
        impl_->host.services.tls_handshakes = &impl_->handshakes->stats();
    }
    impl_->cfg.server.port = listen_on(impl_->acceptor, impl_->cfg.server);
}

Server::~Server() {
    if (!impl_->threads.empty()) {
        stop();
        wait();
    }
}

std::uint16_t Server::port() const { return impl_->cfg.server.port; }

http::Config const& Server::config() const { return impl_->cfg; }

std::string Server::url() const {
    auto const& b = impl_->cfg.server.bind;
    auto host = b == "0.0.0.0"                     ? std::string("127.0.0.1")
                : b == "::"                        ? std::string("[::1]")
                : b.find(':') != std::string::npos ? "[" + b + "]"
                                                   : b;
    return fmt::format("{}://{}:{}/", impl_->cfg.tls.enabled ? "https" : "http", host, impl_->cfg.server.port);
}

void Server::start() {
    asio::co_spawn(impl_->ioc, impl_->accept_loop(), asio::detached);
    asio::co_spawn(impl_->ioc, impl_->sweep_deadlines(), asio::detached);
    unsigned n = impl_->cfg.server.threads ? impl_->cfg.server.threads : sys::usable_cpus();
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

void serve_until_signal(Server& server, std::function<void()> const& started) {
    // Signals are waited for on a small io_context of their own, so stop() runs off the
    // serving threads and the server drains normally. Caught from before `started`: a
    // script (or a test) that signals as soon as it reads the URL line must not find SIGINT
    // still ignored, as a shell leaves it for a background job, and the signal lost.
    asio::io_context signals_ioc;
    asio::signal_set signals(signals_ioc, SIGINT, SIGTERM);
    signals.async_wait([&](beast::error_code ec, int sig) {
        if (ec) return;
        spdlog::info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
        server.stop();
    });
    server.start();
    if (started) started();
    std::thread signal_thread([&] { signals_ioc.run(); });
    server.wait();
    signals_ioc.stop();
    signal_thread.join();
}

}  // namespace wasmdev::net
