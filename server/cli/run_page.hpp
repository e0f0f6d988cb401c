// `wasmdev run`'s whole job as one call, for the commands that run a page headless: `run`
// itself (run_cmd.cpp turns its flags into RunOptions) and `build PROFILE run` (build_cmd.cpp,
// after the build). Serves ROOT with serve's policy on a free loopback port and drives the
// browser (run::run_session); returns the exit code docs/run.md lists.
#pragma once
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "server/cli/serve_options.hpp"
#include "server/run/limits.hpp"

namespace wasmdev::cli {

struct RunOptions {
    std::string page{};
    std::vector<std::string> args{};
    std::string root = ".";
    std::string browser{};
    bool json = false;
    double timeout_s = run::default_timeout_s;
    double silence_timeout_s = 0;
    bool verbose = false;
    bool trace = false;
    std::vector<std::string> maps{};  // --map URL-PREFIX=DIR, checked by the flag's validator
    PolicyOptions policy{};
};

int run_page(RunOptions const& o);

// --map URL-PREFIX=DIR on `cmd` (or an option group of it), into `maps`: one definition for
// `run` and `build PROFILE run`, so both check and explain it alike.
void add_map_option(CLI::App& cmd, std::vector<std::string>& maps);

}  // namespace wasmdev::cli
