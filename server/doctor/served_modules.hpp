// What a running server knows about the wasm modules browsers loaded from it (SPEC §6, #11
// deliverable 2): which debug files each one names (external_debug_info, source map, .dwo),
// so a 404 for one of them is explained once, naming the module and the fix; and every module
// seen with its doctor verdict, for the self-check page.
// Thread-safe. Modules are read lazily — when a 404 could be one of theirs or the page asks —
// never on the path of a successful request. The handler decides when to call (http::ModuleWatch,
// wired by net/server.cpp); this decides what to say.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::doctor {

class ServedModules {
public:
    // root: the served directory (absolute); limit bounds the modules remembered (oldest forgotten).
    explicit ServedModules(std::filesystem::path root, std::size_t limit = 256);

    // A module was answered (200, 206 or 304) for url_path (the request's path, decoded:
    // "/dir/a b.wasm") from relative_path (decoded, '/'-separated, under root).
    void note_module(std::string_view url_path, std::string_view relative_path);

    // A 404 for url_path (decoded). The warning to log after the request target when a module seen earlier names this
    // path as a debug file, the first time only; nullopt otherwise (most 404s: no module seen,
    // or not a debug file's name). Optional files (a .dwp, whose absence is normal) never warn.
    std::optional<std::string> on_not_found(std::string_view url_path);

    // {"modules":[{"url":..,"module":..,"verdict":"ok"|"warning"|"error","summary":..,
    //   "findings":[..]}]}: every module seen, diagnosed as `wasmdev doctor` would when ROOT is
    // served at origin ("http://127.0.0.1:8000").
    std::string modules_json(std::string_view origin);

private:
    struct Module {
        std::string url_path{};
        std::string relative{};
        // The debug-file paths (paths on this server, decoded) and their roles, as of
        // the file identity below; empty identity: not read yet.
        std::vector<std::pair<std::string, std::string>> references{};
        std::uint64_t size = 0;
        std::int64_t mtime_ns = -1;
        bool read = false;
    };
    void refresh_locked(Module& m);

    std::filesystem::path root_{};
    std::size_t limit_ = 256;
    std::mutex mutex_{};
    std::vector<Module> modules_{};  // most recently noted last
    std::set<std::string> warned_{};
};

}  // namespace wasmdev::doctor
