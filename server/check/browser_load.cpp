// check --browser's DevTools conversation (browser_load.hpp): open a tab, enable Network and
// Page on it and on every worker it starts (auto-attach, paused until enabled so a worker's
// first request is seen), navigate, wait for load and a quiet network, ask crossOriginIsolated.
#include "server/check/browser_load.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <boost/json/object.hpp>
#include <cerrno>
#include <map>
#include <variant>

#include "server/browser/chromium.hpp"
#include "server/browser/devtools_message.hpp"
#include "server/check/network_events.hpp"

namespace wasmdev::check {
namespace {

namespace json = boost::json;
using clock = std::chrono::steady_clock;

json::object auto_attach_params() {
    return {{"autoAttach", true}, {"waitForDebuggerOnStart", true}, {"flatten", true}};
}

}  // namespace

BrowserLoad load_in_browser(std::string const& url, std::string const& program, std::chrono::milliseconds limit,
                            std::chrono::milliseconds settle) {
    BrowserLoad out;
    // A browser that dies leaves its pipe without a reader: the write must fail, not kill us.
    ::signal(SIGPIPE, SIG_IGN);
    std::string error;
    auto b = browser::Browser::launch(program, ::geteuid() == 0, error);
    if (!b) {
        out.error = "cannot start " + program + ": " + error;
        return out;
    }
    auto const start = clock::now();
    auto last_network = start;
    auto loaded_at = start;
    long long create_id = b->send("Target.createTarget", {{"url", "about:blank"}});
    long long attach_id = 0, navigate_id = 0, evaluate_id = 0;
    std::string page;
    bool loaded = false, answered = false;
    std::map<std::string, std::string> urls;  // session + requestId → URL
    while (!answered) {
        auto now = clock::now();
        if (now - start >= limit) {
            out.error = loaded ? "no answer to crossOriginIsolated in time" : "the page did not finish loading in time";
            break;
        }
        // A page that keeps fetching (polling, streaming) is asked anyway, ten settles after load.
        if (loaded && evaluate_id == 0 && (now - last_network >= settle || now - loaded_at >= 10 * settle))
            evaluate_id = b->send("Runtime.evaluate",
                                  {{"expression", "self.crossOriginIsolated"}, {"returnByValue", true}}, page);
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::min<clock::duration>(limit - (now - start), std::chrono::milliseconds(100)));
        pollfd fds[2] = {{b->pipe_fd(), POLLIN, 0}, {b->exit_fd(), POLLIN, 0}};
        int n = ::poll(fds, 2, int(std::max<long long>(1, wait.count())));
        if (n < 0 && errno != EINTR) {
            out.error = "poll failed";
            break;
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            bool alive = b->read_available([&](std::string_view text) {
                auto m = browser::decode_message(text);
                if (auto const* r = std::get_if<browser::Response>(&m.body)) {
                    if (r->id == create_id) {
                        attach_id = b->send("Target.attachToTarget", {{"targetId", r->target_id}, {"flatten", true}});
                    } else if (r->id == attach_id) {
                        page = r->session_id;
                        b->send("Network.enable", {}, page);
                        b->send("Page.enable", {}, page);
                        b->send("Target.setAutoAttach", auto_attach_params(), page);
                        navigate_id = b->send("Page.navigate", {{"url", url}}, page);
                    } else if (r->id == navigate_id && !r->error_text.empty()) {
                        out.error = "cannot load the page: " + r->error_text;
                        answered = true;
                    }
                } else if (auto const* a = std::get_if<browser::AttachedToTarget>(&m.body)) {
                    b->send("Network.enable", {}, a->session_id);
                    b->send("Target.setAutoAttach", auto_attach_params(), a->session_id);
                    b->send("Runtime.runIfWaitingForDebugger", {}, a->session_id);
                }
                auto e = decode_network_event(text);
                if (auto const* s = std::get_if<RequestSent>(&e.body)) {
                    last_network = clock::now();
                    if (urls.size() < 10000) urls[e.session_id + " " + s->request_id] = s->url;
                } else if (auto const* f = std::get_if<LoadingFailed>(&e.body)) {
                    last_network = clock::now();
                    auto it = urls.find(e.session_id + " " + f->request_id);
                    if (f->blocked && out.blocked.size() < 1000)
                        out.blocked.emplace_back(it == urls.end() ? f->request_id : it->second, f->reason);
                } else if (std::holds_alternative<LoadEvent>(e.body) && e.session_id == page) {
                    loaded = true;
                    loaded_at = last_network = clock::now();
                } else if (auto const* v = std::get_if<EvaluatedBool>(&e.body); v && v->id == evaluate_id) {
                    out.cross_origin_isolated = v->value;
                    answered = true;
                }
            });
            if (!alive && !answered) {
                out.error = "the browser exited: " + b->log_tail(300);
                break;
            }
        } else if (fds[1].revents & POLLIN) {
            out.error = "the browser exited: " + b->log_tail(300);
            break;
        }
    }
    b->close();
    return out;
}

}  // namespace wasmdev::check
