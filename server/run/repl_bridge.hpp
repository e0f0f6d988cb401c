// The part of run's injected script that drives CPython's REPL pages (Tools/wasm/python.html
// of 3.11-3.13, 3.14's web_example): their worker asks for stdin with a {type:'stdin'} message
// carrying a SharedArrayBuffer it then waits on, posts its output byte by byte ('stdout',
// 'stderr') and its end ('finished', returnCode). Once a worker has said 'ready' with its stdin
// buffer, the bridge clicks the page's "Start REPL" (#repl), answers each stdin request with a
// line of run's stdin (asked for through the report binding), and reports the output and the
// end. docs/run.md, "stdin: CPython's REPL pages".
#pragma once
#include <string>

namespace wasmdev::run {

// JavaScript spliced into page_script(): uses its `report` and `exit`, defines `replStdin`.
std::string repl_bridge_script();

}  // namespace wasmdev::run
