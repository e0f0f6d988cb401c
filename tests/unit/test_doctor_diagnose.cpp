// server/doctor/diagnose (+ hints): the doctor's verdicts on hand-built modules against a fake
// ROOT: embedded and separate DWARF, substitutions and the prefix-map flag, split DWARF, source
// maps, threads, MIME type, and the URLs the server will watch for.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "server/doctor/diagnose.hpp"
#include "server/doctor/hints.hpp"
#include "server/doctor/loader.hpp"
#include "server/doctor/render.hpp"
#include "tests/support/temp_tree.hpp"
#include "tests/unit/wasm_builder.hpp"

using namespace wasmdev;
using namespace wasmdev::doctor;
using test::Bytes;

namespace {

// One DWARF 4 compile unit: comp_dir, and line-table files named relative to it (dir 0).
std::vector<std::uint8_t> dwarf_module(std::string_view comp_dir, std::initializer_list<char const*> files,
                                       std::string_view dwo = {}) {
    Bytes str;
    str.cstr("main.c").cstr(comp_dir).cstr(dwo);
    std::uint32_t const comp_dir_at = 7, dwo_at = std::uint32_t(7 + comp_dir.size() + 1);
    Bytes abbrev;
    abbrev.uleb(1).uleb(0x11).u8(0).uleb(0x03).uleb(0x0e).uleb(0x10).uleb(0x17).uleb(0x1b).uleb(0x0e);
    if (!dwo.empty()) abbrev.uleb(0x2130).uleb(0x0e);
    abbrev.u8(0).u8(0).u8(0);
    Bytes die;
    die.u16(4).u32(0).u8(4).uleb(1).u32(0).u32(0).u32(comp_dir_at);
    if (!dwo.empty()) die.u32(dwo_at);
    Bytes h;
    h.u8(1).u8(1).u8(1).u8(0xfb).u8(14).u8(13);
    for (int n : {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1}) h.u8(n);
    h.u8(0);
    for (auto f : files) h.cstr(f).uleb(0).uleb(0).uleb(0);
    h.u8(0);
    auto line = test::with_length(Bytes{}.u16(4).u32(h.size()).bytes(h));
    return test::module({{0, test::custom(".debug_info", test::with_length(die))},
                         {0, test::custom(".debug_abbrev", abbrev)},
                         {0, test::custom(".debug_line", line)},
                         {0, test::custom(".debug_str", str)}});
}

std::vector<std::uint8_t> url_module(std::string_view section, std::string_view url) {
    return test::module({{0, test::custom(section, Bytes{}.name(url))}});
}

struct FakeRoot {
    std::map<std::string, std::vector<std::uint8_t>> files;
    FileAccess access() const {
        FileAccess a;
        a.exists = [this](std::string const& rel) { return files.count(rel) > 0; };
        a.read = [this](std::string const& rel) -> std::optional<std::vector<std::uint8_t>> {
            auto it = files.find(rel);
            if (it == files.end()) return std::nullopt;
            return it->second;
        };
        return a;
    }
};

Context context() { return {{"/home/u/proj"}, *parse_url("http://127.0.0.1:8000/")}; }

Report run(FakeRoot const& root, std::string const& module) {
    return diagnose(module, read_module_facts(root.files.at(module)), context(), root.access());
}

std::vector<std::uint8_t> text(std::string_view s) { return {s.begin(), s.end()}; }

std::size_t count(Report const& r, SourceClass c) { return r.counts[std::size_t(c)]; }

bool has_finding(Report const& r, Severity s, std::string_view part) {
    for (auto const& f : r.findings)
        if (f.severity == s && f.message.find(part) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("diagnose: a build made elsewhere (container, chroot, CI) maps by the tail its files share with ROOT") {
    // Seen in a real CPython 3.13.5 WASI build made in a chroot at /work/Python-3.13.5 and
    // served from the host: 736 sources named under the chroot's path, all present under ROOT.
    FakeRoot root;
    root.files["cross-build/app.wasm"] =
        dwarf_module("/work/Python-3.13.5/cross-build",
                     {"/work/Python-3.13.5/Python/ceval.c", "/work/Python-3.13.5/Include/object.h",
                      "/work/Python-3.13.5/Python/gone.c",  // not under ROOT: stays outside
                      "/usr/local/include/stdio.h"});       // one tail that exists by coincidence: not a build tree
    root.files["Python/ceval.c"] = text("");
    root.files["Include/object.h"] = text("");
    root.files["stdio.h"] = text("");
    auto r = run(root, "cross-build/app.wasm");
    CHECK(count(r, SourceClass::via_substitution) == 2);
    CHECK(count(r, SourceClass::outside_root) == 2);
    REQUIRE(r.substitutions.size() == 1);
    CHECK(r.substitutions[0].from == "/work/Python-3.13.5/");
    CHECK(r.substitutions[0].to == "http://127.0.0.1:8000/");
    CHECK(r.compiler_flag == "-ffile-prefix-map=/work/Python-3.13.5=..");
    // The substitution does what it promises: DevTools lands on the file under ROOT.
    for (auto const& s : r.sources) {
        if (s.cls != SourceClass::via_substitution) continue;
        CAPTURE(s.path);
        auto u = resolve_source_path(r.substitutions, s.path, *parse_url(r.symbols_url));
        REQUIRE(u.has_value());
        CHECK(to_root_path(*u, context().root_url).relative == s.root_path);
        CHECK(root.files.count(s.root_path) == 1);
    }
}

TEST_CASE(
    "diagnose: embedded DWARF with absolute paths under ROOT needs the substitution; the flag leads back to ROOT") {
    FakeRoot root;
    root.files["build/web/app.wasm"] =
        dwarf_module("/home/u/proj/build/web",
                     {"../../src/main.c", "/home/u/proj/include/a.h",
                      "/usr/share/emscripten/cache/sysroot/include/stdio.h", "/opt/other/lib.c", "../../src/gone.c"});
    root.files["src/main.c"] = text("int main;");
    root.files["include/a.h"] = text("");
    auto r = run(root, "build/web/app.wasm");
    CHECK(r.kinds == std::vector<DebugKind>{DebugKind::embedded_dwarf});
    CHECK(r.symbols_url == "http://127.0.0.1:8000/build/web/app.wasm");
    CHECK(count(r, SourceClass::via_substitution) == 2);
    CHECK(count(r, SourceClass::toolchain) == 1);
    CHECK(count(r, SourceClass::outside_root) == 1);
    CHECK(count(r, SourceClass::missing) == 1);
    REQUIRE(r.substitutions.size() == 1);
    CHECK(r.substitutions[0].from == "/home/u/proj/");
    CHECK(r.substitutions[0].to == "http://127.0.0.1:8000/");
    CHECK(r.compiler_flag == "-ffile-prefix-map=/home/u/proj=../..");
    CHECK(r.exit_code() == 1);  // the source outside ROOT and the missing one
    // The substitution does what it promises: every via_substitution source lands on its file.
    for (auto const& s : r.sources) {
        if (s.cls != SourceClass::via_substitution) continue;
        CAPTURE(s.path);
        auto u = resolve_source_path(r.substitutions, s.path, *parse_url(r.symbols_url));
        CHECK(to_root_path(*u, context().root_url).relative == s.root_path);
    }
    // .dwp is asked for beside the file holding the DWARF; absent is normal.
    REQUIRE(r.debug_files.size() == 1);
    CHECK(r.debug_files[0].url == "http://127.0.0.1:8000/build/web/app.wasm.dwp");
    CHECK(r.debug_files[0].optional);
}

TEST_CASE("diagnose: relative DWARF paths resolve against the separate debug file's URL") {
    FakeRoot root;
    root.files["out/app.wasm"] = url_module("external_debug_info", "dbg/app.debug.wasm");
    root.files["out/dbg/app.debug.wasm"] = dwarf_module(".", {"main.c", "../main.c"});
    root.files["out/dbg/main.c"] = text("x");
    auto r = run(root, "out/app.wasm");
    CHECK(r.kinds == std::vector<DebugKind>{DebugKind::external_dwarf});
    CHECK(r.symbols_url == "http://127.0.0.1:8000/out/dbg/app.debug.wasm");
    CHECK(r.debug_files[0].exists);
    CHECK(count(r, SourceClass::reachable) == 1);
    CHECK(count(r, SourceClass::missing) == 1);  // out/main.c: relative to the debug file, not the module
    CHECK(r.sources[1].url == "http://127.0.0.1:8000/out/main.c");
    CHECK(r.exit_code() == 1);
    root.files["out/main.c"] = text("y");
    CHECK(run(root, "out/app.wasm").exit_code() == 0);
}

TEST_CASE("diagnose: a missing or file:// external debug file is an error that says how to fix it") {
    FakeRoot root;
    root.files["app.wasm"] = url_module("external_debug_info", "app.debug.wasm");
    auto r = run(root, "app.wasm");
    CHECK(r.exit_code() == 1);
    CHECK(has_finding(r, Severity::error, "not on the server: http://127.0.0.1:8000/app.debug.wasm"));

    root.files["abs.wasm"] = url_module("external_debug_info", "/home/u/proj/app.debug.wasm");
    auto a = run(root, "abs.wasm");
    CHECK(a.debug_files[0].url == "file:///home/u/proj/app.debug.wasm");
    CHECK(a.exit_code() == 1);
    REQUIRE_FALSE(a.findings.empty());
    CHECK(a.findings[0].fix.find("leading '/'") != std::string::npos);
}

TEST_CASE("diagnose: DWARF 4 GNU split units cannot load their .dwo in DevTools") {
    FakeRoot root;
    root.files["app.wasm"] = dwarf_module(".", {"main.c"}, "main.dwo");
    root.files["main.c"] = text("x");
    root.files["main.dwo"] = text("x");
    auto r = run(root, "app.wasm");
    CHECK(r.kinds == std::vector<DebugKind>{DebugKind::embedded_dwarf, DebugKind::split_dwarf});
    CHECK(has_finding(r, Severity::error, "DWARF 4 GNU split DWARF"));
    root.files["app.wasm.dwp"] = text("x");  // a .dwp holds the split units
    CHECK(run(root, "app.wasm").exit_code() == 0);
}

TEST_CASE("diagnose: source maps, their sources relative to the map, sourcesContent and toolchain sources") {
    FakeRoot root;
    root.files["web/app.wasm"] = url_module("sourceMappingURL", "app.wasm.map");
    root.files["web/app.wasm.map"] = text(
        R"({"version":3,"sources":["../src/a.c","b.c","inline.c","system/lib/libc/x.c"],"sourcesContent":[null,null,"int x;"],"mappings":""})");
    root.files["src/a.c"] = text("a");
    auto r = run(root, "web/app.wasm");
    CHECK(r.kinds == std::vector<DebugKind>{DebugKind::source_map});
    CHECK(count(r, SourceClass::reachable) == 2);
    CHECK(count(r, SourceClass::missing) == 1);
    CHECK(count(r, SourceClass::toolchain) == 1);
    CHECK(r.exit_code() == 1);

    root.files["web/nomap.wasm"] = url_module("sourceMappingURL", "http://localhost:9999/x.map");
    auto n = run(root, "web/nomap.wasm");
    CHECK(has_finding(n, Severity::error, "source map"));
}

TEST_CASE("diagnose: threads, MIME type, non-wasm bytes, and a module without debug info") {
    FakeRoot root;
    root.files["t.wasm"] =
        test::module({{2, Bytes{}.uleb(1).name("env").name("memory").u8(0x02).u8(0x03).uleb(1).uleb(2)}});
    auto t = run(root, "t.wasm");
    CHECK(t.shared_memory);
    CHECK(has_finding(t, Severity::info, "cross-origin isolated"));
    CHECK(has_finding(t, Severity::info, "no debug info"));
    CHECK(t.exit_code() == 0);

    root.files["side.so"] = test::module({});
    auto so = run(root, "side.so");
    CHECK(so.mime_type == "application/octet-stream");
    CHECK(has_finding(so, Severity::error, "not application/wasm"));

    root.files["x.wasm"] = text("<html>404</html>");
    CHECK(has_finding(run(root, "x.wasm"), Severity::error, "not a WebAssembly module"));
}

TEST_CASE("referenced_debug_urls: what a debugger will ask the server for") {
    auto sep = url_module("external_debug_info", "app.debug.wasm");
    auto urls = referenced_debug_urls(sep, "http://127.0.0.1:8000/b/app.wasm");
    REQUIRE(urls.size() == 2);
    CHECK(urls[0].url == "http://127.0.0.1:8000/b/app.debug.wasm");
    CHECK(urls[1].url == "http://127.0.0.1:8000/b/app.debug.wasm.dwp");
    CHECK(urls[1].optional);
    auto sm = referenced_debug_urls(url_module("sourceMappingURL", "x.map"), "http://h/app.wasm");
    REQUIRE(sm.size() == 1);
    CHECK(sm[0].role == "source map");
    CHECK(sm[0].url == "http://h/x.map");
    CHECK(referenced_debug_urls(text("nope"), "http://h/a.wasm").empty());
}

TEST_CASE("render: JSON carries the verdict, the counts and the substitutions; text names the verdict") {
    FakeRoot root;
    root.files["app.wasm"] = dwarf_module("/home/u/proj", {"main.c"});
    root.files["main.c"] = text("x");
    std::vector<Report> reports{run(root, "app.wasm")};
    auto json = render_json(reports, {});
    CHECK(json.find(R"("via_substitution":1)") != std::string::npos);
    CHECK(json.find(R"("substitutions":[{"from":"/home/u/proj/","to":"http://127.0.0.1:8000/"}])") !=
          std::string::npos);
    CHECK(json.find(R"("exit_code":0)") != std::string::npos);
    auto plain = render_text(reports, {});
    CHECK(plain.find("verdict: loads") != std::string::npos);
    CHECK(plain.find("\x1b[") == std::string::npos);
    RenderOptions coloured;
    coloured.color = true;
    CHECK(render_text(reports, coloured).find("\x1b[32mverdict: loads") != std::string::npos);
}

TEST_CASE(
    "repl_hint and the loader: a real ROOT on disk, substitutions for build ... repl, hidden and escaping paths "
    "refused") {
    namespace fs = std::filesystem;
    wasmdev::test::TempTree tree({}, "doctor");
    fs::path const root = tree.path;
    auto write = [&](fs::path const& rel, std::vector<std::uint8_t> const& bytes) {
        tree.write(rel, {reinterpret_cast<char const*>(bytes.data()), bytes.size()});
    };
    write("builddir/web-debug/python.wasm",
          dwarf_module(root.string() + "/builddir/web-debug", {"../../Python/ceval.c"}));
    write("Python/ceval.c", text("int x;"));
    write(".git/config", text("x"));
    fs::create_symlink("/etc/hostname", root / "escape.c");

    auto h = repl_hint(root / "builddir/web-debug/python.wasm", root, "http://127.0.0.1:8000/");
    CHECK(h.exit_code == 0);
    CHECK(h.substitutions_json == R"([{"from":")" + root.string() + R"(/","to":"http://127.0.0.1:8000/"}])");
    CHECK(h.paragraph.find("-ffile-prefix-map=" + root.string() + "=../..") != std::string::npos);

    auto files = root_file_access(root);
    CHECK(files.exists("Python/ceval.c"));
    CHECK_FALSE(files.exists(".git/config"));  // hidden, as the server refuses it
    CHECK_FALSE(files.exists("escape.c"));     // a symlink out of ROOT
    CHECK_FALSE(files.exists("Python"));       // directories are not files
    CHECK(files.read("Python/ceval.c") == text("int x;"));
    auto found = find_modules(root, root);
    CHECK(found.relative == std::vector<std::string>{"builddir/web-debug/python.wasm"});
}
