// The script `run` has the browser evaluate in every new document before the page's own
// scripts (Page.addScriptToEvaluateOnNewDocument: no page CSP applies to it and the server
// serves the page unchanged). It defines wasmdevRun.exit(code), and makes the global `Module`
// an accessor so that whatever object the page (or Emscripten's shell) assigns to it gets
//  - quit: reports the exit code, then does what Emscripten's own quit_ would; Emscripten calls
//    quit_ on exit() and when main returns (even without -sEXIT_RUNTIME), and on an abort (1);
//  - arguments: the ARGs given to run, fixed (emrun's prejs would replace them from the URL).
// Reports go through the DevTools binding named `binding` (Runtime.addBinding), as a JSON
// string {"exit":N}; exit_request() reads them. docs/run.md explains the choices.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::run {

inline constexpr std::string_view report_binding = "__wasmdevRunReport";

// args: nullopt when run was given no ARGs (the page's own Module.arguments, or emrun's URL
// query, then stand).
std::string page_script(std::optional<std::vector<std::string>> const& args,
                        std::string_view binding = report_binding);

// The exit code in a binding payload ({"exit":N}, N an integer); nullopt for anything else.
std::optional<int> exit_request(std::string_view payload);

}  // namespace wasmdev::run
