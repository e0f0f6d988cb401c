#include "server/watch/watcher.hpp"

#include <algorithm>

#include "server/sys/tree_watch.hpp"
#include "server/watch/debounce.hpp"
#include "server/watch/ignore.hpp"

namespace wasmdev::watch {

namespace {

std::string_view base_name(std::string_view path) {
    auto const slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Where the OS does not report a writer's close, a build log is "closed" once it has been
// silent this long (the Debouncer's hold limit): a reload then waits that long after a
// build's last line.
std::chrono::seconds hold_limit(WatchOptions const& o, bool sees_close) {
    return sees_close ? std::chrono::seconds(std::chrono::minutes(10)) : o.build_log_silence;
}

}  // namespace

struct Watcher::State {
    Hub& hub;
    sys::TreeWatch tree;
    Debouncer debouncer;

    State(std::filesystem::path root, Hub& h, WatchOptions const& o, std::function<void(std::string const&)> warn)
        : hub(h),
          tree(std::move(root), sys::TreeWatchOptions{o.max_directories,
                                                      [](std::string_view name) { return is_ignored_directory(name); },
                                                      std::move(warn), o.force_polling}),
          debouncer(o.quiet, 256, hold_limit(o, tree.sees_close())) {}

    void on_event(sys::TreeEvent const& e, Clock::time_point now) {
        if (e.overflow) {
            debouncer.changed_all(now);
            return;
        }
        auto const url_path = "/" + e.path;
        if (e.directory) {
            if (e.moved_in || e.moved_out || e.deleted) debouncer.changed(url_path, now);
            return;
        }
        auto const name = base_name(e.path);
        if (is_build_log(name)) {
            // Created or truncated counts: `cmd | tee wasmdev-build.log` may write nothing until the end.
            if (e.modified || e.created) debouncer.build_log_written(now);
            if (e.closed && tree.sees_close()) debouncer.build_log_closed(now);
            return;
        }
        if (is_ignored_file(name)) return;
        if (e.closed || e.moved_in || e.moved_out || e.deleted || e.attributes)
            debouncer.changed(url_path, now);
        else if (e.modified || e.created)
            debouncer.writing(now);  // announced when it is closed
    }

    void run() {
        std::vector<sys::TreeEvent> events;
        for (;;) {
            auto timeout = std::chrono::milliseconds(-1);
            if (auto due = debouncer.deadline()) {
                auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(*due - Clock::now()).count();
                timeout = std::chrono::milliseconds(std::clamp<long long>(left + 1, 0, 60'000));
            }
            events.clear();
            if (!tree.wait(timeout, events)) return;
            auto const now = Clock::now();
            for (auto const& e : events) on_event(e, now);
            if (auto change = debouncer.take_due(Clock::now())) hub.publish(*change);
        }
    }
};

Watcher::Watcher(std::filesystem::path root, Hub& hub, WatchOptions options,
                 std::function<void(std::string const&)> warn)
    : state_(std::make_unique<State>(std::move(root), hub, options, std::move(warn))) {
    thread_ = std::thread([s = state_.get()] { s->run(); });
}

Watcher::~Watcher() {
    state_->tree.stop();
    if (thread_.joinable()) thread_.join();
}

std::size_t Watcher::directories() const { return state_->tree.directories(); }

}  // namespace wasmdev::watch
