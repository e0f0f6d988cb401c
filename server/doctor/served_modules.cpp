#include "server/doctor/served_modules.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <vector>

#include "server/doctor/diagnose.hpp"
#include "server/doctor/facts.hpp"
#include "server/doctor/hints.hpp"
#include "server/doctor/loader.hpp"
#include "server/doctor/render.hpp"
#include "server/doctor/url.hpp"
#include "server/json/write.hpp"
#include "server/sys/file_time.hpp"
#include "server/text/percent.hpp"

namespace wasmdev::doctor {
namespace {

// References are resolved against the module's URL on a stand-in origin: only those that stay
// on it are this server's paths (a file:// or foreign URL never reaches us as a 404).
constexpr std::string_view stand_in_origin = "http://wasmdev.invalid";
constexpr std::size_t max_warned = 4096;
// A module is read whole to find its DWARF .dwo names; a debug build of CPython is ~100 MB.
constexpr std::uint64_t max_module_bytes = std::uint64_t(512) << 20;
// 404s waiting for the lane to say whether a module names them.
constexpr std::size_t max_deferred = 256;
// Facts are kept so that a refresh of the page's verdict does not read the module again; their
// size is about the module's (the reader's bounds keep it a small multiple), and past this
// many bytes the oldest modules' facts are dropped (they are read again when asked).
constexpr std::uint64_t facts_budget = std::uint64_t(256) << 20;

std::string what_to_do(std::string_view role) {
    if (role == "external_debug_info")
        return "DevTools' C/C++ extension finds no DWARF for it: keep the file -gseparate-dwarf wrote beside the "
               "module, or rebuild with -sSEPARATE_DWARF_URL=<where it is served>";
    if (role == "source map")
        return "DevTools shows no sources for it: keep the .map -gsource-map wrote, or rebuild with "
               "--source-map-base=<URL of its folder>";
    if (role == "dwo")
        return "DevTools lacks that split-DWARF unit: serve the .dwo files beside the module (or the .dwp), or "
               "build without -gsplit-dwarf";
    return "a debugger asked for it";
}

// What identifies one version of a file without reading it.
struct FileVersion {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::int64_t ctime_ns = 0;
    std::uint64_t inode = 0;
    std::uint64_t device = 0;
    bool operator==(FileVersion const&) const = default;
};

std::optional<FileVersion> version_of(std::filesystem::path const& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return FileVersion{std::uint64_t(st.st_size), sys::mtime_ns(st), sys::ctime_ns(st), std::uint64_t(st.st_ino),
                       std::uint64_t(st.st_dev)};
}

using References = std::vector<std::pair<std::string, std::string>>;  // decoded server path, role

References references_of(ModuleFacts const& facts, std::string const& url_path) {
    References out;
    for (auto const& ref : referenced_debug_urls(facts, std::string(stand_in_origin) + url_path)) {
        if (ref.optional) continue;
        auto url = parse_url(ref.url);
        if (!url || url->scheme != "http" || url->authority != stand_in_origin.substr(7)) continue;
        // References are URLs, the server compares decoded paths.
        out.emplace_back(text::percent_decode(url->path), ref.role);
    }
    return out;
}

std::string explain(std::string_view module_url_path, std::string_view relative, std::string_view role) {
    // The session prefixes the request target: the line reads "/x.debug.wasm not found, ...".
    return fmt::format("not found, but the module {} names it as its {}: {} (`wasmdev doctor {}` explains)",
                       module_url_path, role, what_to_do(role), relative);
}

}  // namespace

struct ServedModules::State {
    struct Entry {
        std::string url_path{};
        std::string relative{};
        bool read = false;  // references below are those of `version`
        bool gone = false;  // the file was not there when last looked at
        std::optional<FileVersion> version{};
        References references{};
        std::shared_ptr<ModuleFacts const> facts{};  // of `version`, while the budget allows
        std::string origin{};                        // report was made for this origin
        std::optional<boost::json::object> report{};
        int exit_code = 0;
        std::size_t diagnoses = 0;
        bool queued = false;
        bool recheck = false;  // served again: its file may have changed
    };

    std::filesystem::path root{};
    Options options{};
    std::mutex mutex{};
    std::condition_variable changed{};
    std::vector<Entry> modules{};     // most recently noted last
    std::deque<std::string> queue{};  // url paths; an entry is queued at most once
    std::string origin{};             // the last origin the page asked with
    std::set<std::string> warned{};
    std::set<std::string> deferred{};
    bool busy = false;
    bool busy_rechecking = false;  // the read running may change references
    bool stopping = false;
    std::size_t reads = 0;

    Entry* find(std::string_view url_path) {
        auto it = std::find_if(modules.begin(), modules.end(), [&](Entry const& m) { return m.url_path == url_path; });
        return it == modules.end() ? nullptr : &*it;
    }

    void enqueue(Entry& m) {
        if (m.queued || stopping) return;
        m.queued = true;
        queue.push_back(m.url_path);  // at most one per entry: the queue is bounded by the limit
        changed.notify_all();
    }

    // Whether a module's references may still change: a 404 now may be one of its debug files.
    // (A refresh the page asked for does not count: it reads nothing unless the file changed,
    // and a served module that changed is rechecked first.)
    bool unread_remain() const {
        return busy_rechecking ||
               std::any_of(modules.begin(), modules.end(), [](Entry const& m) { return !m.read || m.recheck; });
    }

    // The explanation for url_path from the modules read so far (most recent first).
    std::optional<std::string> explanation(std::string const& url_path) const {
        for (auto it = modules.rbegin(); it != modules.rend(); ++it)
            for (auto const& [path, role] : it->references)
                if (path == url_path) return explain(it->url_path, it->relative, role);
        return std::nullopt;
    }

    // Deferred 404s a module read since explains are warned about now; when nothing is left to
    // read, the rest were no debug file's, and a .wasm among them gets the line it missed.
    void settle_deferred() {
        for (auto it = deferred.begin(); it != deferred.end();) {
            if (auto why = explanation(*it)) {
                if (warned.size() < max_warned) warned.insert(*it);
                if (options.warn) options.warn(*it + " " + *why);
                it = deferred.erase(it);
            } else {
                ++it;
            }
        }
        if (unread_remain()) return;
        for (auto const& path : deferred)
            if (path.ends_with(".wasm") && options.warn)
                options.warn(path + " not found: a .wasm no served module names was requested; is the build finished?");
        deferred.clear();
    }

    void drop_facts_over_budget() {
        std::uint64_t held = 0;
        for (auto it = modules.rbegin(); it != modules.rend(); ++it) {
            if (!it->facts) continue;
            held += std::max<std::uint64_t>(it->facts->size, 1);
            if (held > facts_budget) it->facts.reset();
        }
    }

    // Runs one queued read. Called with `lock` held; releases it while reading.
    void run_one(std::unique_lock<std::mutex>& lock) {
        auto const url_path = queue.front();
        queue.pop_front();
        auto* m = find(url_path);
        if (!m) {  // forgotten since
            changed.notify_all();
            settle_deferred();
            return;
        }
        m->queued = false;
        busy_rechecking = m->recheck || !m->read;
        m->recheck = false;
        // What the read needs, copied: the entry may move while the lock is released.
        auto const relative = m->relative;
        bool const have_known = m->read && m->version;
        auto const known = m->version.value_or(FileVersion{});
        auto facts = m->facts;
        auto const want_origin = origin;
        busy = true;
        lock.unlock();

        auto const version = version_of(root / relative);
        bool const same = version && have_known && *version == known && facts;
        References refs;
        std::optional<std::pair<boost::json::object, int>> report;  // its JSON and exit code
        if (version && version->size <= max_module_bytes) {
            if (!same) {
                facts.reset();
                {
                    std::lock_guard announce(mutex);  // never after the destructor set `stopping`
                    if (!stopping && options.note) options.note(fmt::format("doctor: reading {}", relative));
                }
                if (auto bytes = read_module_parts_under(root, relative)) {
                    auto read = read_module_facts(*bytes);
                    read.size = version->size;  // the file's, not the sections read
                    facts = std::make_shared<ModuleFacts const>(std::move(read));
                    std::lock_guard count(mutex);
                    ++reads;
                }
            }
            if (facts) {
                refs = references_of(*facts, url_path);
                auto root_url = parse_url(want_origin + "/");
                if (!want_origin.empty() && root_url) {
                    Context ctx{root_spellings(root), *root_url};
                    // Rendered here, not under the lock: a report can list many thousand sources.
                    auto r = diagnose(relative, *facts, ctx, root_file_access(root));
                    report.emplace(render_json_module(r), r.exit_code());
                }
            }
        }

        lock.lock();
        busy = false;
        busy_rechecking = false;
        changed.notify_all();
        if (stopping) return;
        if (!same && facts && options.note)
            options.note(fmt::format("doctor: read {} ({} debug-file references)", relative, refs.size()));
        m = find(url_path);
        if (!m) {
            settle_deferred();
            return;
        }
        m->read = true;
        m->gone = !version || !facts;
        m->version = version;
        m->facts = std::move(facts);
        m->references = std::move(refs);
        if (report) {
            m->origin = want_origin;
            m->report = std::move(report->first);
            m->exit_code = report->second;
            if (options.note)
                options.note(fmt::format("doctor: diagnosed {} for {} (n={})", relative, want_origin, ++m->diagnoses));
        }
        drop_facts_over_budget();
        settle_deferred();
    }
};

ServedModules::ServedModules(std::filesystem::path root, std::size_t limit)
    : ServedModules(std::move(root), Options{limit}) {}

ServedModules::ServedModules(std::filesystem::path root, Options options) : state_(std::make_shared<State>()) {
    state_->root = std::move(root);
    state_->options = std::move(options);
    if (!state_->options.background) return;
    // The thread owns a reference to the state: detached at shutdown, it can finish a read alone.
    lane_ = std::thread([st = state_] {
        std::unique_lock lock(st->mutex);
        for (;;) {
            st->changed.wait(lock, [&] { return st->stopping || !st->queue.empty(); });
            if (st->stopping) return;
            st->run_one(lock);
        }
    });
}

ServedModules::~ServedModules() {
    bool busy = false;
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
        state_->queue.clear();
        busy = state_->busy;
    }
    state_->changed.notify_all();
    if (!lane_.joinable()) return;
    // Idle, the lane sees `stopping` and ends now; busy, it may be inside a large module, and
    // Ctrl-C must not wait for it: it ends alone after the read, touching only its state.
    if (busy)
        lane_.detach();
    else
        lane_.join();
}

void ServedModules::note_module(std::string_view url_path, std::string_view relative_path) {
    // Emscripten's separate DWARF is judged through the module naming it, as `wasmdev doctor DIR` does.
    if (relative_path.ends_with(".debug.wasm")) return;
    auto& st = *state_;
    std::lock_guard lock(st.mutex);
    auto it = std::find_if(st.modules.begin(), st.modules.end(),
                           [&](State::Entry const& m) { return m.url_path == url_path; });
    State::Entry m;
    if (it != st.modules.end()) {
        m = std::move(*it);
        st.modules.erase(it);
    } else {
        m.url_path = std::string(url_path);
    }
    if (m.relative != relative_path) m.read = false;
    m.relative = std::string(relative_path);
    m.recheck = true;
    st.modules.push_back(std::move(m));
    if (st.modules.size() > st.options.limit) st.modules.erase(st.modules.begin());
    // A 304 or a reload may mean a new build: the lane compares the file's identity, and
    // reads it only when that changed.
    st.enqueue(st.modules.back());
}

std::optional<std::string> ServedModules::on_not_found(std::string_view url_path) {
    auto& st = *state_;
    std::lock_guard lock(st.mutex);
    if (st.modules.empty()) return std::nullopt;
    std::string const path(url_path);
    // Explained before: DevTools retries, and one line is enough (no generic one either).
    if (st.warned.contains(path)) return std::string();
    if (auto why = st.explanation(path)) {
        if (st.warned.size() < max_warned) st.warned.insert(path);
        return why;
    }
    if (st.unread_remain() && st.deferred.size() < max_deferred) {
        st.deferred.insert(path);
        return std::string();  // the lane says what it was once it knows
    }
    return std::nullopt;
}

std::string ServedModules::modules_json(std::string_view origin) {
    auto& st = *state_;
    boost::json::array modules;
    int exit_code = 0;
    auto root_url = parse_url(std::string(origin) + "/");
    {
        std::lock_guard lock(st.mutex);
        st.origin = std::string(origin);
        for (auto it = st.modules.rbegin(); it != st.modules.rend(); ++it) {
            auto& m = *it;
            bool const current = m.report && m.origin == origin;
            st.enqueue(m);
            if (m.read && m.gone) continue;  // gone since it was served: nothing to diagnose
            if (current) {
                modules.push_back(*m.report);
                exit_code = std::max(exit_code, m.exit_code);
            } else {
                modules.push_back(
                    boost::json::object{{"module", m.relative},
                                        {"url", root_url ? url_for(*root_url, m.relative).href() : std::string()},
                                        {"pending", true}});
            }
        }
    }
    // Serialized outside the lock: a report can list many thousand sources.
    return json::write_document(boost::json::object{{"root", st.root.string()},
                                                    {"url", std::string(origin) + "/"},
                                                    {"modules", std::move(modules)},
                                                    {"exit_code", exit_code}});
}

std::size_t ServedModules::run_queued() {
    auto& st = *state_;
    std::unique_lock lock(st.mutex);
    std::size_t n = 0;
    while (!st.queue.empty() && !st.stopping) {
        st.run_one(lock);
        ++n;
    }
    return n;
}

bool ServedModules::wait_idle(std::chrono::milliseconds timeout) {
    auto& st = *state_;
    std::unique_lock lock(st.mutex);
    return st.changed.wait_for(lock, timeout, [&] { return st.stopping || (st.queue.empty() && !st.busy); });
}

}  // namespace wasmdev::doctor

namespace wasmdev::doctor {

std::size_t ServedModules::modules_read() const {
    std::lock_guard lock(state_->mutex);
    return state_->reads;
}

}  // namespace wasmdev::doctor
