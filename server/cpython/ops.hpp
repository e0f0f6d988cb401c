// The ops of `wasmdev build` (build, configure, test, repl, ...) as one table
// (docs/design.md#one-table): parsing the words, the --help text and the planners' dispatch
// all read op_table. What each op does to a plan is the planners' business (pipeline.cpp, driver.cpp).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::cpython {

enum class Op { build, configure, compile, pythoninfo, test, hostrunnertest, repl, run, clean, cleanall, emports };

struct OpInfo {
    Op op = Op::build;
    std::string_view name{};
    std::string_view help{};   // one line of `wasmdev build --help`
    bool runs_python = false;  // runs the built interpreter: not on a browser profile
    bool only_cleans = false;  // removes build output and builds nothing: no preflight
};

inline constexpr OpInfo op_table[] = {
    {Op::build, "build", "build Python first if missing, Emscripten ports, configure if no Makefile, make"},
    {Op::configure, "configure", "run ../../configure in builddir/PROFILE"},
    {Op::compile, "compile", "run make"},
    {Op::pythoninfo, "pythoninfo", "run 'make pythoninfo' (not browser profiles)", true},
    {Op::test, "test", "run 'make buildbottest TESTOPTS=...'", true},
    {Op::hostrunnertest, "hostrunnertest", "run 'make hostrunnertest TESTOPTS=...'", true},
    {Op::repl, "repl", "browser: serve the checkout and print the python.html URL; node/wasi: run python"},
    {Op::run, "run",
     "browser: run python.html headless (as wasmdev run: stdin in, output and exit code out); node/wasi: as repl"},
    {Op::clean, "clean", "run 'make clean'", false, true},
    {Op::cleanall, "cleanall", "remove builddir/PROFILE ('wasmdev build cleanall' removes every profile's)", false,
     true},
    {Op::emports, "emports", "build Emscripten's zlib, bzip2, sqlite3 ports (from --ports-src when given)"},
};

OpInfo const& op_info(Op op);
std::string_view op_name(Op op);
std::optional<Op> parse_op(std::string_view word);
bool is_op(std::string_view word);
// Words that are all ops, in order; nullopt when one is not.
std::optional<std::vector<Op>> parse_ops(std::vector<std::string> const& words);
std::vector<std::string> op_names(std::vector<Op> const& ops);
// The "Ops" block of `wasmdev build --help`: one aligned line per row of op_table.
std::string ops_help();

}  // namespace wasmdev::cpython
