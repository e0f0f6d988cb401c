// `wasmdev build`'s policy as one call (docs/design.md#commands): find the checkout, choose its pipeline,
// check the flags against it, make the plan, run preflight unless nothing gets built, then
// print the dry run or execute the plan with progress, a log and the summary. Serving the
// result of `repl` is left to the caller (cli/), which knows the server; this says what to serve.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "server/cpython/checkout.hpp"
#include "server/cpython/pipeline.hpp"
#include "server/cpython/profiles.hpp"

namespace wasmdev::cpython {

// The build flags, as given.
struct BuildRunOptions {
    std::vector<std::string> words{};  // [PROFILE] [OP...]
    std::string srcdir{};              // empty: found from the current directory upwards
    bool clean = false;
    bool verbose = false;
    bool silent = false;
    std::optional<std::string> testopts{};
    unsigned jobs = 0;  // 0: the CPUs available
    bool dry_run = false;
    bool force = false;
    std::string ports_src{};
    std::string deps_src{};
    std::optional<std::string> host_runner{};
    std::string emsdk_cache{};
    std::vector<std::string> configure_args{};
    std::vector<std::string> make_vars{};
    std::vector<std::string> extra_env{};
};

// Words are PROFILE? OP*: the first word is the profile when it names one; no profile means
// emscripten-browser, except `cleanall` alone, which means every profile (wasm_build.py's
// `cleanall` platform); no op means build.
struct BuildWords {
    BuildProfile const* profile = nullptr;
    std::vector<Op> ops{};
    bool every_profile = false;
    std::string unknown{};  // the first word that is neither the profile nor an op
};
BuildWords parse_build_words(std::vector<std::string> const& words);

// Preflight is skipped when nothing gets built: a plan without steps (`repl` on a finished
// browser build), `cleanall` of every profile, or only clean/cleanall ops.
bool needs_preflight(Plan const& plan, BuildWords const& words);

// What `repl` (or `run`) on a browser profile serves once the steps succeeded.
struct ServeCheckout {
    CPythonLayout layout{};
    BuildProfile const* profile = nullptr;
    std::string page{};          // relative to layout.srcdir
    std::string missing_hint{};  // what to name when the page does not exist yet ("" = the page)
    bool pydebug = false;        // a driver's pydebug build Python (debug besides the profile's own)
    bool headless = false;       // `run`: run the page headless (wasmdev run) instead of serving it
};

struct BuildOutcome {
    int exit_code = 0;                     // 0, 1 (failed or refused), 2 (bad usage), 130 (Ctrl-C)
    std::optional<ServeCheckout> serve{};  // set only with exit_code 0
};

// Prints errors, warnings, the dry-run script, progress and the summary as it goes.
BuildOutcome run_build(BuildRunOptions const& o, bool stdout_is_tty);

}  // namespace wasmdev::cpython
