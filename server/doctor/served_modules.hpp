// What a running server knows about the wasm modules browsers loaded from it
// (docs/doctor.md, "While serving"): which debug files each one names (external_debug_info,
// source map, .dwo), so a 404 for one of them is explained once, naming the module and the
// fix; and every module seen with its doctor verdict, for the self-check page.
// Modules are read in a lane of their own (one thread), once per file version, and the
// results cached: the calls a request makes only look at the cache, never read a module and
// never wait for a read. The handler decides when to call (http::ModuleWatch, wired by
// net/server.cpp); this decides what to say.
#pragma once
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace wasmdev::doctor {

class ServedModules {
public:
    struct Options {
        std::size_t limit = 256;  // modules remembered (the oldest forgotten); also bounds the lane's queue
        // Where an explanation goes that the lane finds after the 404 was answered (the 404
        // came before the module was read). Called from the lane's thread.
        std::function<void(std::string const& line)> warn{};
        // Debug lines: what the lane reads, read and diagnosed ("doctor: reading a.wasm",
        // "doctor: diagnosed a.wasm for http://127.0.0.1:8000 (n=2)"). Called from the lane's thread.
        std::function<void(std::string const& line)> note{};
        bool background = true;  // false: no thread; run_queued() does the reads (tests)
    };

    // root: the served directory (absolute).
    explicit ServedModules(std::filesystem::path root, Options options);
    explicit ServedModules(std::filesystem::path root, std::size_t limit = 256);
    // Stops the lane at once: a read in progress is not waited for (its thread finishes it
    // alone and drops the result), so shutting the server down never waits for a module.
    ~ServedModules();
    ServedModules(ServedModules const&) = delete;
    ServedModules& operator=(ServedModules const&) = delete;

    // A module was answered (200, 206 or 304) for url_path (the request's path, decoded:
    // "/dir/a b.wasm") from relative_path (decoded, '/'-separated, under root). Queues a read.
    void note_module(std::string_view url_path, std::string_view relative_path);

    // A 404 for url_path (decoded). The warning to log after the request target when a module
    // read earlier names this path as a debug file, the first time only. "" (log nothing) when
    // it was explained before, or when it may be one and modules are still being read: the
    // lane then explains it through Options::warn once it knows. nullopt otherwise (most 404s).
    // Optional files (a .dwp, whose absence is normal) never warn.
    std::optional<std::string> on_not_found(std::string_view url_path);

    // {"root":..,"url":..,"modules":[..],"exit_code":..}: every module seen, as `wasmdev doctor
    // --json` reports it when ROOT is served at origin ("http://127.0.0.1:8000"), most recent
    // first, from the lane's last diagnosis; a module not diagnosed yet for this origin is
    // {"module","url","pending":true}. Each call queues a new diagnosis of every module (at
    // most one queued per module): the verdict looks at files around the module (its debug
    // file, its sources), so the next call sees what changed; the module itself is read again
    // only when its file changed.
    std::string modules_json(std::string_view origin);

    // Tests: with background = false, runs the queued reads on this thread; returns how many.
    std::size_t run_queued();
    // Tests: waits (at most `timeout`) until no read is queued or running; true when so.
    bool wait_idle(std::chrono::milliseconds timeout);
    // How many times a module file was read whole (tests: once per file version).
    std::size_t modules_read() const;

    struct State;

private:
    std::shared_ptr<State> state_;
    std::thread lane_{};
};

}  // namespace wasmdev::doctor
