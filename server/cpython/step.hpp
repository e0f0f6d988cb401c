// The vocabulary of a build plan: a Command (argv, cwd, per-command assignments, env
// changes), an Action (a command to run, or a small file operation wasmdev does itself),
// and a Step (one named stage such as "emscripten-browser configure", shown as k/n).
// Also renders each as shell a user could paste: dry-run and the log print the same text.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/cpython/env.hpp"
#include "server/text/shell.hpp"

namespace wasmdev::cpython {

struct Command {
    std::vector<std::string> argv{};
    std::filesystem::path cwd{};
    // Variables set for this command only and shown before it, as the README writes
    // CONFIG_SITE=... emconfigure ../../configure.
    std::vector<std::pair<std::string, std::string>> assignments{};
    EnvChanges env{};  // the profile's changes to the user's environment
};

struct Action {
    enum class Kind { run, mkdir, copy, copy_tree, write_file, remove_tree, touch };
    Kind kind = Kind::run;
    Command cmd{};                 // run
    std::filesystem::path path{};  // mkdir, write_file, remove_tree, touch; copy's destination
    std::filesystem::path from{};  // copy's and copy_tree's source
    std::string content{};         // write_file
    bool interactive = false;      // run on the user's terminal (repl), not through the log
};

struct Step {
    std::string profile{};
    std::string name{};  // "configure", "make", "emports", ...
    std::vector<Action> actions{};
    std::string title() const { return profile + " " + name; }
};

using text::shell_quote;
std::string shell_join(std::vector<std::string> const& argv);
// "A=b C=d argv..." on one line: what the log records before running a command.
std::string render_command(Command const& cmd);
// Shell for one env change: export NAME=value / unset NAME / export PATH=x:"$PATH".
std::string render_env_change(EnvChange const& c);
// The action as pasteable shell (without the cd and env lines of its command).
std::string render_action(Action const& a);
// Text for a `# ...` line of a script: control characters (a newline in a path) are
// written as \n, \r, \xHH, so a value can never end the comment and start a command.
std::string comment_text(std::string_view text);
// NAME is a shell identifier: [A-Za-z_][A-Za-z0-9_]*.
bool is_shell_identifier(std::string_view name);

}  // namespace wasmdev::cpython
