// run's event loop (see session.hpp): the DevTools conversation with the page's target and its
// workers, console and exceptions to our streams, prompt() from stdin, emrun's POSTs answered
// in the browser, and every way the run can end.
#include "server/run/session.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <map>
#include <optional>
#include <variant>

#include "server/browser/chromium.hpp"
#include "server/browser/console_text.hpp"
#include "server/browser/devtools_message.hpp"
#include "server/run/base64.hpp"
#include "server/run/emrun.hpp"
#include "server/run/ending.hpp"
#include "server/run/mapped_file.hpp"
#include "server/run/output.hpp"
#include "server/run/page_script.hpp"
#include "server/run/stdin_lines.hpp"
#include "server/sys/interrupt.hpp"
#include "server/sys/process.hpp"
#include "server/text/ascii.hpp"
#include "server/text/shell.hpp"

namespace wasmdev::run {
namespace {

namespace json = boost::json;
namespace b = wasmdev::browser;
using clock = std::chrono::steady_clock;

int g_signal_pipe = -1;

extern "C" void on_signal(int sig) {
    unsigned char s = (unsigned char)sig;
    // write() is async-signal-safe; a full pipe means a signal is already waiting to be seen.
    if (g_signal_pipe >= 0 && ::write(g_signal_pipe, &s, 1) < 0) return;
}

// SIGINT and SIGTERM become a byte on a pipe the loop polls: the run then ends like any other
// ending, through the same cleanup. The previous handlers come back afterwards.
class SignalPipe {
public:
    SignalPipe() {
        if (sys::open_pipe(fds_, true) != 0) fds_[0] = fds_[1] = -1;
        g_signal_pipe = fds_[1];
        handlers_.emplace(on_signal);
    }
    ~SignalPipe() {
        handlers_.reset();
        g_signal_pipe = -1;
        for (int fd : fds_)
            if (fd >= 0) ::close(fd);
    }
    SignalPipe(SignalPipe const&) = delete;
    SignalPipe& operator=(SignalPipe const&) = delete;
    int fd() const { return fds_[0]; }

private:
    int fds_[2] = {-1, -1};
    std::optional<sys::InterruptHandlers> handlers_;  // installed once the pipe exists
};

void write_all(int fd, std::string_view s) {
    while (!s.empty()) {
        auto n = ::write(fd, s.data(), s.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // a reader that went away (EPIPE; SIGPIPE is ignored): the run goes on
        s.remove_prefix(std::size_t(n));
    }
}

json::object auto_attach_params() {
    // waitForDebuggerOnStart: a worker stops before its first line until we have enabled
    // Runtime on it, so its first console message is not lost.
    return {{"autoAttach", true}, {"waitForDebuggerOnStart", true}, {"flatten", true}};
}

class Session {
public:
    explicit Session(SessionOptions const& o) : o_(o) {}
    int run();

private:
    void on_message(std::string_view text);
    void on_response(b::Response const& r);
    json::object fetch_params() const;
    bool answer_mapped_request(b::RequestPaused const& e, std::string const& session);
    void setup_page(std::string const& session);
    void print(Stream s, std::string_view url, double time_ms, std::string const& text);
    void answer_prompts();
    void end(Ending why, int value = 0, std::string message = {});
    void drain();

    SessionOptions const& o_;
    std::unique_ptr<b::Browser> browser_{};
    RunStatus status_{};
    std::string end_message_{};
    long long create_id_ = 0, attach_id_ = 0;
    std::map<long long, std::string> setup_{};  // commands whose failure ends the run, by id
    std::string page_session_{};
    bool navigated_ = false;
    // What waits for a line of stdin, oldest first: a prompt() dialog of a session (a page, a
    // frame), or a REPL page's worker (its answer is evaluated in that page).
    struct Waiting {
        std::string session{};
        bool repl = false;
    };
    std::deque<Waiting> prompts_{};
    static constexpr std::size_t max_waiting = 1024;
    // emrun's ^exit^ comes from the network side of the browser, which can overtake the page's
    // last console calls: the code waits for a round trip through the page (a no-op evaluated
    // there answers only after everything the page sent before), at most barrier_wait.
    std::optional<int> pending_exit_{};
    long long barrier_id_ = 0;
    clock::time_point barrier_deadline_{};
    static constexpr std::chrono::seconds barrier_wait{2};
    StdinLines stdin_{};
    clock::time_point start_{clock::now()}, last_output_{clock::now()};
};

void Session::end(Ending why, int value, std::string message) {
    if (status_.end(why, value)) end_message_ = std::move(message);
}

void Session::print(Stream s, std::string_view url, double time_ms, std::string const& text) {
    last_output_ = clock::now();
    if (o_.json) {
        write_all(STDOUT_FILENO, json_line(s, url, time_ms, text));
        return;
    }
    write_all(s == Stream::err ? STDERR_FILENO : STDOUT_FILENO, text + "\n");
}

void Session::setup_page(std::string const& s) {
    // The navigation waits for every answer (on_response): Page.navigate is handled by the
    // browser process at once, and the page usually commits in a new renderer process, which
    // missed the script or the binding in about one run of three when they were still in flight.
    auto setup = [&](std::string_view method, json::object params = {}) {
        setup_[browser_->send(method, std::move(params), s)] = std::string(method);
    };
    setup("Runtime.addBinding", {{"name", report_binding}});
    setup("Page.enable");
    setup("Page.addScriptToEvaluateOnNewDocument", {{"source", page_script(o_.args)}});
    setup("Runtime.enable");
    setup("Inspector.enable");
    setup("Fetch.enable", fetch_params());
    setup("Target.setAutoAttach", auto_attach_params());
}

// Paused: emrun's POSTs (answered here) and every URL under a --map prefix. Every worker's
// target gets the same patterns: a dedicated worker's importScripts is paused on the page's
// target (seen with --trace-devtools), but a shared or service worker's requests are not the
// page's.
json::object Session::fetch_params() const {
    json::array patterns{json::object{{"urlPattern", "*stdio.html*"}, {"requestStage", "Request"}}};
    for (auto const& m : o_.maps)
        patterns.push_back(json::object{{"urlPattern", fetch_pattern(m.prefix)}, {"requestStage", "Request"}});
    return {{"patterns", std::move(patterns)}};
}

// A request under a --map prefix is answered from its DIR; false when no map covers it.
bool Session::answer_mapped_request(b::RequestPaused const& e, std::string const& session) {
    auto m = map_url(o_.maps, e.url);
    if (m.match == MapMatch::not_mapped) return false;
    MappedAnswer a;
    if (m.match == MapMatch::invalid) {
        a.status = 404;
        a.problem = "not a path below the mapped directory";
    } else {
        a = answer_mapped(o_.maps[m.url.map].dir, m.url, e.method);
    }
    if (a.status != 200) {
        write_all(STDERR_FILENO, fmt::format("wasmdev: run: --map: {} {}: {}\n", a.status, text::escape_controls(e.url),
                                             text::escape_controls(a.problem)));
        a.content_type = "text/plain; charset=utf-8";
        a.body = a.problem + "\n";
    }
    // The page asks for these across origins: a crossorigin script needs CORS, and a
    // cross-origin isolated page (COEP require-corp) needs CORP for the rest.
    json::array headers{json::object{{"name", "Content-Type"}, {"value", a.content_type}},
                        json::object{{"name", "Access-Control-Allow-Origin"}, {"value", "*"}},
                        json::object{{"name", "Cross-Origin-Resource-Policy"}, {"value", "cross-origin"}},
                        json::object{{"name", "Cache-Control"}, {"value", "no-store"}}};
    browser_->send("Fetch.fulfillRequest",
                   {{"requestId", e.request_id},
                    {"responseCode", a.status},
                    {"responseHeaders", std::move(headers)},
                    {"body", base64_encode(a.body)}},
                   session);
    return true;
}

void Session::on_response(b::Response const& r) {
    if (pending_exit_ && r.id == barrier_id_) return end(Ending::exited, *pending_exit_);
    if (r.id == create_id_) {
        if (!r.error.empty() || r.target_id.empty())
            return end(Ending::browser_died, 0, "cannot open a tab: " + r.error);
        attach_id_ = browser_->send("Target.attachToTarget", {{"targetId", r.target_id}, {"flatten", true}});
        return;
    }
    if (r.id == attach_id_) {
        if (!r.error.empty() || r.session_id.empty())
            return end(Ending::browser_died, 0, "cannot attach to the tab: " + r.error);
        page_session_ = r.session_id;
        setup_page(page_session_);
        return;
    }
    auto it = setup_.find(r.id);
    if (it == setup_.end()) return;  // a worker's or a reply's answer: their failures change nothing
    if (!r.error.empty())
        end(Ending::browser_died, 0, fmt::format("the browser refused {}: {}", it->second, r.error));
    else if (it->second == "Page.navigate" && !r.error_text.empty())
        end(Ending::browser_died, 0, fmt::format("cannot load {}: {}", o_.url, r.error_text));
    setup_.erase(it);
    if (setup_.empty() && !navigated_) {
        navigated_ = true;
        setup_[browser_->send("Page.navigate", {{"url", o_.url}}, page_session_)] = "Page.navigate";
    }
}

void Session::on_message(std::string_view text) {
    if (o_.trace) write_all(STDERR_FILENO, fmt::format("wasmdev: devtools: {}\n", text.substr(0, 2000)));
    auto m = b::decode_message(text);
    std::visit(
        [&](auto const& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, b::Response>) {
                on_response(e);
            } else if constexpr (std::is_same_v<T, b::ConsoleCall>) {
                print(stream_for(e.type), e.url, e.timestamp, b::console_text(e.args));
            } else if constexpr (std::is_same_v<T, b::ExceptionThrown>) {
                print(Stream::err, e.url, e.timestamp, e.text);
                end(Ending::uncaught);
            } else if constexpr (std::is_same_v<T, b::AttachedToTarget>) {
                // A worker (or a frame in another process): its console too, then let it start.
                browser_->send("Runtime.enable", {}, e.session_id);
                browser_->send("Fetch.enable", fetch_params(), e.session_id);
                browser_->send("Target.setAutoAttach", auto_attach_params(), e.session_id);
                browser_->send("Runtime.runIfWaitingForDebugger", {}, e.session_id);
            } else if constexpr (std::is_same_v<T, b::DetachedFromTarget>) {
                if (e.session_id == page_session_) end(Ending::closed, 0, "the page closed without an exit code");
            } else if constexpr (std::is_same_v<T, b::DialogOpening>) {
                if (e.type == "prompt") {
                    prompts_.push_back({m.session_id, false});
                    answer_prompts();
                } else {
                    // alert, confirm, beforeunload: accepted, as a user clicking OK would.
                    browser_->send("Page.handleJavaScriptDialog", {{"accept", true}}, m.session_id);
                }
            } else if constexpr (std::is_same_v<T, b::RequestPaused>) {
                if (answer_mapped_request(e, m.session_id)) return;
                if (!is_emrun_request(e.method, e.url)) {
                    browser_->send("Fetch.continueRequest", {{"requestId", e.request_id}}, m.session_id);
                    return;
                }
                auto post = parse_emrun_post(e.url, e.post_data);
                // The console already carries ^out^ and ^err^ (emrun's out() also calls the
                // previous print): only the exit code and file dumps are emrun's own.
                if (post.kind == EmrunKind::file_dump)
                    write_all(
                        STDERR_FILENO,
                        fmt::format("wasmdev: run: ignored emrun file dump {} (run writes no files)\n", post.text));
                json::array headers{json::object{{"name", "Content-Type"}, {"value", "text/plain"}}};
                browser_->send(
                    "Fetch.fulfillRequest",
                    {{"requestId", e.request_id}, {"responseCode", 200}, {"responseHeaders", headers}, {"body", ""}},
                    m.session_id);
                // After the answer: the exit POST is synchronous, so the page is blocked until then.
                if (post.kind == EmrunKind::exit && !pending_exit_) {
                    pending_exit_ = post.code;
                    barrier_id_ = browser_->send("Runtime.evaluate", {{"expression", "0"}}, page_session_);
                    barrier_deadline_ = clock::now() + barrier_wait;
                }
            } else if constexpr (std::is_same_v<T, b::BindingCalled>) {
                if (e.name != report_binding) return;
                auto r = read_report(e.payload);
                auto now_ms =
                    std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch())
                        .count();
                switch (r.kind) {
                    case PageReport::Kind::exit: end(Ending::exited, r.code); break;
                    case PageReport::Kind::out: print(Stream::out, o_.url, now_ms, r.text); break;
                    case PageReport::Kind::err: print(Stream::err, o_.url, now_ms, r.text); break;
                    case PageReport::Kind::stdin_request:
                        // A page can report as often as it likes; a REPL worker waits for one
                        // answer at a time, so more than a few waiting is a page gone wrong.
                        if (prompts_.size() >= max_waiting) break;
                        prompts_.push_back({m.session_id, true});
                        answer_prompts();
                        break;
                    case PageReport::Kind::none: break;
                }
            } else if constexpr (std::is_same_v<T, b::TargetCrashed>) {
                if (m.session_id == page_session_)
                    end(Ending::crashed, 0, "the page crashed (its renderer process died)");
            }
        },
        m.body);
}

void Session::answer_prompts() {
    while (!prompts_.empty()) {
        auto line = stdin_.next();
        if (!line && !stdin_.exhausted()) return;  // wait for more input
        auto const& w = prompts_.front();
        if (w.repl) {
            // The end of our stdin is the end of the REPL's (a 0-byte answer).
            browser_->send("Runtime.evaluate", {{"expression", stdin_answer(line)}}, w.session);
        } else if (line) {
            browser_->send("Page.handleJavaScriptDialog", {{"accept", true}, {"promptText", *line}}, w.session);
        } else {
            // The end of our stdin is the end of the page's: prompt() returns null.
            browser_->send("Page.handleJavaScriptDialog", {{"accept", false}}, w.session);
        }
        prompts_.pop_front();
    }
}

// What the pipe already holds when the run ends (the program's last lines before its exit code,
// a worker's last message) is still printed; nothing is waited for.
void Session::drain() {
    RunStatus keep = status_;
    for (int i = 0; i < 64; ++i) {
        pollfd p{browser_->pipe_fd(), POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN)) break;
        if (!browser_->read_available([&](std::string_view t) {
                auto m = b::decode_message(t);
                if (auto const* c = std::get_if<b::ConsoleCall>(&m.body))
                    print(stream_for(c->type), c->url, c->timestamp, b::console_text(c->args));
            }))
            break;
    }
    status_ = keep;
}

int Session::run() {
    SignalPipe signals;
    // A browser that died leaves our end of its pipe without a reader: a write must fail with
    // EPIPE (noticed through the pipe's end and the exit fd), not kill wasmdev.
    ::signal(SIGPIPE, SIG_IGN);
    std::string error;
    browser_ = b::Browser::launch(o_.browser, o_.as_root, error);
    if (!browser_) {
        write_all(STDERR_FILENO, fmt::format("wasmdev: run: cannot start {}: {}\n", o_.browser, error));
        return 1;
    }
    if (o_.verbose) {
        std::string command;
        for (auto const& a : browser_->argv()) command += (command.empty() ? "" : " ") + text::shell_quote(a);
        write_all(STDERR_FILENO, fmt::format("wasmdev: run: {}\n", command));
        write_all(STDERR_FILENO, fmt::format("wasmdev: run: {} pid {} (process group {}), profile {}\n", o_.url,
                                             browser_->pid(), browser_->pid(), browser_->dir().string()));
    }
    create_id_ = browser_->send("Target.createTarget", {{"url", "about:blank"}});
    bool stdin_open = true;
    while (!status_.ended()) {
        std::vector<pollfd> fds{
            {browser_->pipe_fd(), POLLIN, 0}, {browser_->exit_fd(), POLLIN, 0}, {signals.fd(), POLLIN, 0}};
        bool const reading_stdin = !prompts_.empty() && stdin_open && stdin_.wants_input();
        if (reading_stdin) fds.push_back({STDIN_FILENO, POLLIN, 0});
        auto now = clock::now();
        auto secs = [](clock::duration d) { return std::chrono::duration<double>(d).count(); };
        int timeout = wait_ms(o_.limits, secs(now - start_), secs(now - last_output_));
        if (pending_exit_) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(barrier_deadline_ - now).count() + 1;
            timeout = int(timeout < 0 ? std::max<long long>(0, left)
                                      : std::min<long long>(timeout, std::max<long long>(0, left)));
        }
        int n = ::poll(fds.data(), nfds_t(fds.size()), timeout);
        if (n < 0 && errno != EINTR) {
            end(Ending::browser_died, 0, fmt::format("poll: {}", std::strerror(errno)));
            break;
        }
        if (fds[2].revents & POLLIN) {
            unsigned char sig = 0;
            if (::read(signals.fd(), &sig, 1) == 1) end(Ending::interrupted, sig);
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (!browser_->read_available([this](std::string_view t) { on_message(t); })) end(Ending::browser_died);
        } else if (fds[1].revents & POLLIN) {
            end(Ending::browser_died);
        }
        if (reading_stdin && (fds[3].revents & (POLLIN | POLLHUP | POLLERR))) {
            char buf[4096];
            auto got = ::read(STDIN_FILENO, buf, sizeof buf);
            if (got > 0) {
                stdin_.feed(std::string_view(buf, std::size_t(got)));
            } else if (got == 0 || errno != EINTR) {
                stdin_.close();
                stdin_open = false;
            }
            answer_prompts();
        }
        now = clock::now();
        if (pending_exit_ && now >= barrier_deadline_) end(Ending::exited, *pending_exit_);
        auto e = expired(o_.limits, secs(now - start_), secs(now - last_output_));
        if (e == Expired::total) end(Ending::timed_out, 0, expiry_message(e, o_.limits));
        if (e == Expired::silence) end(Ending::silent, 0, expiry_message(e, o_.limits));
    }
    if (status_.ending() == Ending::exited || status_.ending() == Ending::uncaught) drain();
    if (status_.ending() == Ending::browser_died && end_message_.empty()) {
        auto tail = browser_->log_tail();
        auto how = browser_->close(std::chrono::milliseconds(500));
        end_message_ = how.term_signal ? fmt::format("the browser was killed by signal {}", how.term_signal)
                                       : fmt::format("the browser exited with status {}", how.exit_code);
        end_message_ += " before the program ended";
        while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
        if (auto nl = tail.rfind('\n'); nl != std::string::npos) tail.erase(0, nl + 1);
        if (!tail.empty()) end_message_ += ": " + tail;
    }
    // The run has its ending and all its output, and the profile is removed next: nothing a
    // graceful close would save is wanted, and it costs about 1.5 s of every run (measured:
    // bench/run_vs_emrun.sh). The group ends at once.
    browser_->close(std::chrono::milliseconds(0));
    if (!end_message_.empty()) write_all(STDERR_FILENO, "wasmdev: run: " + end_message_ + "\n");
    return status_.exit_code();
}

}  // namespace

int run_session(SessionOptions const& o) {
    Session s(o);
    return s.run();
}

}  // namespace wasmdev::run
