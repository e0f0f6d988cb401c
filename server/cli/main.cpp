// The `wasmdev` binary: one CLI11 app with a subcommand per job (docs/design.md#commands).
// Owns argument parsing and the exit codes for bad usage; each subcommand's work lives in
// its own *_cmd.cpp. `wasmdev [ROOT]` without a subcommand means `wasmdev serve [ROOT]`.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstring>
#include <string_view>
#include <vector>

#include "server/cli/commands.hpp"
#include "server/cli/git_commit.hpp"
#include "server/sys/memory.hpp"

int main(int argc, char** argv) {
    // Before any thread starts: a big buffer (a module read whole, a body) goes back to the OS
    // when freed instead of staying in the heap for the rest of the session.
    wasmdev::sys::return_big_blocks_when_freed();
    CLI::App app{"wasmdev: a fast, secure HTTP dev server for WebAssembly builds", "wasmdev"};
    // The commit as well as the release: a bug report then names the exact source.
    app.set_version_flag("--version", fmt::format("wasmdev {} (git {})", WASMDEV_VERSION, wasmdev::cli::git_commit()));
    app.require_subcommand(0, 1);
    std::vector<wasmdev::cli::Command> commands{
        wasmdev::cli::add_serve_command(app),  wasmdev::cli::add_htaccess_command(app),
        wasmdev::cli::add_deploy_command(app), wasmdev::cli::add_build_command(app),
        wasmdev::cli::add_doctor_command(app), wasmdev::cli::add_run_command(app),
        wasmdev::cli::add_check_command(app)};

    // No subcommand (or a path where one would be) means serve.
    std::vector<char*> args(argv, argv + argc);
    std::string serve_word = "serve";
    bool const names_subcommand = argc > 1 && std::any_of(commands.begin(), commands.end(),
                                                          [&](auto const& c) { return c.app->check_name(argv[1]); });
    bool const top_level_flag = argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
                                             std::strcmp(argv[1], "--version") == 0);
    if (!names_subcommand && !top_level_flag) args.insert(args.begin() + 1, serve_word.data());

    try {
        app.parse(int(args.size()), args.data());
    } catch (CLI::ParseError const& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
        // Bad usage: one line naming the flag or value, exit 2 (docs/design.md#commands).
        fmt::print(stderr, "wasmdev: error: {}\n", e.what());
        return 2;
    }
    for (auto const& c : commands)
        if (c.app->parsed()) return c.run();
    return 0;
}
