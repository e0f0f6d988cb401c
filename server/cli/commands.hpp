// How subcommands plug into the one `wasmdev` binary (docs/design.md#commands).
// Each add_*_command registers its CLI11 subcommand and flags on the root app and returns
// the function main() calls when that subcommand was chosen. main.cpp owns parsing and
// exit codes for bad usage (2); a runner returns 0 on success, 1 on runtime failure.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>

namespace wasmdev::cli {

struct Command {
    CLI::App* app = nullptr;
    std::function<int()> run{};
};

Command add_serve_command(CLI::App& root);
Command add_htaccess_command(CLI::App& root);
Command add_deploy_command(CLI::App& root);
Command add_build_command(CLI::App& root);
Command add_doctor_command(CLI::App& root);
Command add_run_command(CLI::App& root);
Command add_check_command(CLI::App& root);

}  // namespace wasmdev::cli
