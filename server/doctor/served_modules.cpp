#include "server/doctor/served_modules.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>

#include "server/doctor/diagnose.hpp"
#include "server/doctor/facts.hpp"
#include "server/doctor/hints.hpp"
#include "server/doctor/loader.hpp"
#include "server/doctor/render.hpp"
#include "server/doctor/url.hpp"
#include "server/text/percent.hpp"

namespace wasmdev::doctor {
namespace {

// References are resolved against the module's URL on a stand-in origin: only those that stay
// on it are this server's paths (a file:// or foreign URL never reaches us as a 404).
constexpr std::string_view stand_in_origin = "http://wasmdev.invalid";
// A module is read whole to find its DWARF .dwo names; a debug build of CPython is ~100 MB.
constexpr std::uint64_t max_module_bytes = std::uint64_t(512) << 20;
constexpr std::size_t max_warned = 4096;

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

}  // namespace

ServedModules::ServedModules(std::filesystem::path root, std::size_t limit) : root_(std::move(root)), limit_(limit) {}

void ServedModules::note_module(std::string_view url_path, std::string_view relative_path) {
    // Emscripten's separate DWARF is judged through the module naming it, as `wasmdev doctor DIR` does.
    if (relative_path.ends_with(".debug.wasm")) return;
    std::lock_guard lock(mutex_);
    auto it = std::find_if(modules_.begin(), modules_.end(), [&](Module const& m) { return m.url_path == url_path; });
    Module m;
    if (it != modules_.end()) {
        m = std::move(*it);
        modules_.erase(it);
    } else {
        m.url_path = std::string(url_path);
    }
    m.relative = std::string(relative_path);
    modules_.push_back(std::move(m));
    if (modules_.size() > limit_) modules_.erase(modules_.begin());
}

void ServedModules::refresh_locked(Module& m) {
    struct stat st {};
    auto file = root_ / m.relative;
    if (::stat(file.c_str(), &st) != 0) {
        m.references.clear();
        m.read = true;
        m.size = 0;
        m.mtime_ns = -1;
        return;
    }
    std::int64_t mtime = std::int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    if (m.read && std::uint64_t(st.st_size) == m.size && mtime == m.mtime_ns) return;
    m.read = true;
    m.size = std::uint64_t(st.st_size);
    m.mtime_ns = mtime;
    m.references.clear();
    auto bytes = read_whole_file(file, max_module_bytes);
    if (!bytes) return;
    for (auto const& ref : referenced_debug_urls(*bytes, std::string(stand_in_origin) + m.url_path)) {
        if (ref.optional) continue;
        auto url = parse_url(ref.url);
        if (!url || url->scheme != "http" || url->authority != stand_in_origin.substr(7)) continue;
        // References are URLs, the server compares decoded paths.
        m.references.emplace_back(text::percent_decode(url->path), ref.role);
    }
}

std::optional<std::string> ServedModules::on_not_found(std::string_view url_path) {
    std::lock_guard lock(mutex_);
    if (modules_.empty() || warned_.contains(std::string(url_path))) return std::nullopt;
    for (auto it = modules_.rbegin(); it != modules_.rend(); ++it) {
        refresh_locked(*it);
        for (auto const& [path, role] : it->references) {
            if (path != url_path) continue;
            if (warned_.size() < max_warned) warned_.insert(std::string(url_path));
            // The session prefixes the request target: the line reads "/x.debug.wasm not found, ...".
            return fmt::format("not found, but the module {} names it as its {}: {} (`wasmdev doctor {}` explains)",
                               it->url_path, role, what_to_do(role), it->relative);
        }
    }
    return std::nullopt;
}

std::string ServedModules::modules_json(std::string_view origin) {
    std::vector<std::string> relatives;
    {
        std::lock_guard lock(mutex_);
        for (auto it = modules_.rbegin(); it != modules_.rend(); ++it) relatives.push_back(it->relative);
    }
    RenderOptions o;
    o.root = root_.string();
    o.root_url = std::string(origin) + "/";
    std::vector<Report> reports;
    auto url = parse_url(o.root_url);
    if (url) {
        Context ctx{root_spellings(root_), *url};
        auto files = root_file_access(root_);
        for (auto const& rel : relatives) {
            auto bytes = files.read(rel);
            if (!bytes) continue;  // gone since it was served: nothing to diagnose
            reports.push_back(diagnose(rel, read_module_facts(*bytes), ctx, files));
        }
    }
    return render_json(reports, o);
}

}  // namespace wasmdev::doctor
