// The script `run` has the browser evaluate in every new document before the page's own
// scripts (Page.addScriptToEvaluateOnNewDocument: no page CSP applies to it and the server
// serves the page unchanged). It defines wasmdevRun.exit(code), and makes the global `Module`
// an accessor so that whatever object the page (or Emscripten's shell) assigns to it gets
//  - quit: reports the exit code, then does what Emscripten's own quit_ would; Emscripten calls
//    quit_ on exit() and when main returns (even without -sEXIT_RUNTIME), and on an abort (1);
//  - arguments: the ARGs given to run, fixed (emrun's prejs would replace them from the URL).
// A MODULARIZE factory's object (never the global Module) inherits the same two from
// Object.prototype, non-enumerable, unless it has its own.
// It also bridges CPython's REPL pages to run's stdin and stdout (repl_bridge.hpp).
// Reports go through the DevTools binding named `binding` (Runtime.addBinding), as a JSON
// string: {"exit":N}, {"out":TEXT}, {"err":TEXT} (a line of a REPL page's output) or
// {"stdin":true} (a REPL page waits for a line); read_report() reads them. docs/run.md
// explains the choices.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::run {

inline constexpr std::string_view report_binding = "__wasmdevRunReport";

// args: nullopt when run was given no ARGs (the page's own Module.arguments, or emrun's URL
// query, then stand).
std::string page_script(std::optional<std::vector<std::string>> const& args, std::string_view binding = report_binding);

struct PageReport {
    enum class Kind { none, exit, out, err, stdin_request };
    Kind kind = Kind::none;  // none: not a report of ours (ignored)
    int code = 0;            // exit: the code, its sign bit cleared
    std::string text{};      // out, err: one line without its newline
};

// A binding payload: exactly one of the keys above, of the right type; none otherwise.
PageReport read_report(std::string_view payload);

// The exit code in a binding payload ({"exit":N}, N an integer); nullopt for anything else.
std::optional<int> exit_request(std::string_view payload);

// The expression that hands a REPL page one line of stdin (without its newline), or the end
// of input (nullopt).
std::string stdin_answer(std::optional<std::string> const& line);

}  // namespace wasmdev::run
