// The dry-run script with hostile values: a checkout path or a value with a
// newline never ends a `#` comment, names that are not shell identifiers never become
// commands, every value is quoted. The rendered script is also parsed by a real shell.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/cpython/driver.hpp"
#include "server/cpython/pipeline.hpp"
#include "tests/support/temp_tree.hpp"

using namespace wasmdev::cpython;
namespace fs = std::filesystem;

namespace {

// The script's lines.
std::vector<std::string> lines_of(std::string const& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

}  // namespace

TEST_CASE("comment_text: control characters are written out, so a value cannot leave its comment") {
    struct Row {
        std::string_view in, want;
    };
    Row const rows[] = {
        {"/src/cpython", "/src/cpython"},
        {"/src/evil\ntouch PWNED", "/src/evil\\ntouch PWNED"},
        {"a\rb\tc\x1b[31m", "a\\rb\\x09c\\x1b[31m"},
        {"caf\xc3\xa9 # and $(x)", "caf\xc3\xa9 # and $(x)"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.in);
        CHECK(comment_text(row.in) == row.want);
        CHECK(comment_text(row.in).find('\n') == std::string::npos);
    }
}

TEST_CASE("is_shell_identifier: what --env accepts as a variable name") {
    for (auto ok : {"X", "_x", "CONFIG_SITE", "a1"}) {
        CAPTURE(ok);
        CHECK(is_shell_identifier(ok));
    }
    for (auto bad : {"", "1X", "X;id>pwned;Y", "A-B", "A B", "$X", "X\n", "'X", "#X", "\xc3\xa9"}) {
        CAPTURE(bad);
        CHECK_FALSE(is_shell_identifier(bad));
    }
}

TEST_CASE("render_env_change: a name that is not an identifier is a comment, never a command") {
    EnvChange c{EnvChange::Op::set, "X;touch PWNED;Y", "3"};
    auto line = render_env_change(c);
    CHECK(line.starts_with("# "));
    CHECK(line.find('\n') == std::string::npos);
    EnvChange nl{EnvChange::Op::set, "X\ntouch PWNED", "3"};
    CHECK(render_env_change(nl).find('\n') == std::string::npos);
    EnvChange v{EnvChange::Op::set, "FAKE", "$(touch PWNED)\n`id`'"};
    CHECK(render_env_change(v) == "export FAKE='$(touch PWNED)\n`id`'\\'''");
}

TEST_CASE("render_plan: a checkout path with newlines stays in comments and quotes; sh runs no injected command") {
    wasmdev::test::TempTree tree({}, "hostile");
    auto const root = tree.path;
    CPythonLayout l;
    l.srcdir = root / "evil\ntouch PWNED1\n#";
    l.version = "3.13";
    Request r;
    r.profile = find_profile("wasi");
    r.host_runner = "node x.mjs\ntouch PWNED2";
    r.settings.extra_env = {"FAKE_EXTRA=$(touch PWNED3)\ntouch PWNED4", "BAD;touch PWNED5=1"};
    r.settings.configure_args = {"--x=';touch PWNED6;'"};
    PinnedConfig pins;
    Toolchain tc;
    tc.wasi_sdk = root / "sdk\ntouch PWNED7";
    PipelineChoice c{Pipeline::wasi_py, "Tools/wasm/wasi.py"};
    auto paths = driver_paths(c, *r.profile, l, "x86_64-pc-linux-gnu", pins);
    auto plan = make_driver_plan(r, l, c, paths, pins, tc, DriverState{});
    plan.header = {"CPython 3.13.5 at " + l.srcdir.string(), "log: " + paths.log.string()};
    plan.notes.push_back("note with\nrm -rf PWNED8");
    auto script = render_plan(plan, r, l, tc);
    // Outside the ( ... ) blocks only comments and blank lines (a quoted value may span lines
    // inside a block, so only the top level is checked line by line; the shell checks the rest).
    int depth = 0;
    for (auto const& line : lines_of(script)) {
        CAPTURE(line);
        if (line == "(")
            ++depth;
        else if (line == ")")
            --depth;
        else if (depth == 0)
            CHECK((line.empty() || line.starts_with("# ")));
    }
    CHECK(script.find("# CPython 3.13.5 at " + root.string() + "/evil\\ntouch PWNED1\\n#\n") != std::string::npos);
    CHECK(script.find("# not a shell variable name, not set: BAD;touch PWNED5") != std::string::npos);
    // A real shell parses it, and running it with every program replaced by `true` creates nothing.
    auto file = root / "dry.sh";
    std::ofstream(file) << "python3() { :; }\n" << script;
    auto cmd = "cd '" + root.string() + "' && sh -n dry.sh && sh dry.sh >/dev/null 2>&1; ls";
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string listing;
    char buf[256];
    while (auto n = std::fread(buf, 1, sizeof buf, p)) listing.append(buf, n);
    ::pclose(p);
    CHECK(listing.find("PWNED") == std::string::npos);
}
