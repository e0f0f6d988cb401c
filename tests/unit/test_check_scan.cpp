// check's reference scanners (server/check/scan): what a page and its scripts load, found in
// the shapes Emscripten, bundlers and hand-written pages use; and what must not be followed.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "server/check/scan.hpp"

using namespace wasmdev::check;

namespace {
bool found(std::vector<Reference> const& refs, std::string_view url, Kind kind) {
    return std::any_of(refs.begin(), refs.end(), [&](auto const& r) { return r.url == url && r.kind == kind; });
}
}  // namespace

TEST_CASE("scan_html: script tags, module scripts, modulepreload, inline scripts; not comments or text") {
    std::string const html = R"(<!doctype html><html><head>
<!-- <script src="commented.js"></script> -->
<SCRIPT SRC='classic.js'></SCRIPT>
<script type="module" src="./main.mjs" defer></script>
<script type=module src=bare.mjs></script>
<script type="application/json" src="not-js.json"></script>
<link rel="modulepreload" href="/pre.mjs">
<link rel="preload" href="python.wasm" as="fetch" crossorigin>
<title><script src="in-title.js"></script></title>
<script>var Module = { locateFile: (p) => p }; new Worker("inline-worker.js"); // "</script>
<script type="module">import "./inline-import.mjs";</script>
<textarea><script src="in-textarea.js"></script></textarea>
<script src="data:text/javascript,1"></script>
</head></html>)";
    auto refs = scan_html(html);
    CHECK(found(refs, "classic.js", Kind::script));
    CHECK(found(refs, "./main.mjs", Kind::module));
    CHECK(found(refs, "bare.mjs", Kind::module));
    CHECK(found(refs, "/pre.mjs", Kind::module));
    CHECK(found(refs, "python.wasm", Kind::wasm));
    CHECK(found(refs, "inline-worker.js", Kind::worker));
    CHECK(found(refs, "./inline-import.mjs", Kind::module));
    for (std::string_view absent : {"commented.js", "not-js.json", "in-title.js", "in-textarea.js"}) {
        CAPTURE(absent);
        CHECK_FALSE(std::any_of(refs.begin(), refs.end(), [&](auto const& r) { return r.url == absent; }));
    }
    CHECK(std::none_of(refs.begin(), refs.end(), [](auto const& r) { return r.url.starts_with("data:"); }));
}

TEST_CASE("scan_script: imports, workers, importScripts, file literals and source maps") {
    struct Row {
        std::string js;
        bool module;
        std::string url;
        Kind kind;
    };
    Row const rows[] = {
        {R"(import { a } from "./a.mjs";)", true, "./a.mjs", Kind::module},
        {R"(import './side.mjs')", true, "./side.mjs", Kind::module},
        {R"(export * from "./re.mjs")", true, "./re.mjs", Kind::module},
        {R"(const m = await import("./lazy.mjs"))", false, "./lazy.mjs", Kind::module},
        {R"(new Worker("w.js", { type: "module" }))", false, "w.js", Kind::worker},
        {R"(new SharedWorker('shared.js'))", false, "shared.js", Kind::worker},
        {R"(new Worker(new URL("./emw.js", import.meta.url)))", true, "./emw.js", Kind::worker},
        {R"(importScripts("a.js", "b.js"))", false, "b.js", Kind::script},
        {R"(var wasmBinaryFile = "python.wasm";)", false, "python.wasm", Kind::wasm},
        {R"(Module.locateFile('python.data'))", false, "python.data", Kind::data},
        {R"(var PthreadWorker = "python.worker.js";)", false, "python.worker.js", Kind::worker},
        {"x()\n//# sourceMappingURL=app.js.map\n", false, "app.js.map", Kind::source_map},
        {"x()\n/*# sourceMappingURL=app.css.map */", false, "app.css.map", Kind::source_map},
        {R"(f(`python.wasm`))", false, "python.wasm", Kind::wasm},
    };
    for (auto const& row : rows) {
        CAPTURE(row.js);
        CHECK(found(scan_script(row.js, row.module), row.url, row.kind));
    }
}

TEST_CASE("scan_script: what is not a literal URL is not followed") {
    struct Row {
        std::string js;
        bool module;
    };
    Row const rows[] = {
        {R"(// new Worker("commented.js"))", false},
        {R"(/* import "./commented.mjs" */)", true},
        {R"(new Worker(`w${n}.js`))", false},
        {R"(import { a } from "./a.mjs")", false},  // a classic script has no static imports
        {R"(x.import("nope.mjs"))", false},
        {R"js(var re = /x(new Worker("regex.js"))/;)js", false},
        {R"(f("has space.wasm x"))", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.js);
        auto refs = scan_script(row.js, row.module);
        for (auto const& r : refs) CAPTURE(r.url);
        CHECK(refs.empty());
    }
}

TEST_CASE("scan_script: a division is not a regular expression, so the literal after it is read") {
    auto refs = scan_script(R"(var x = a / b; var y = c / 2; new Worker("after.js"))", false);
    CHECK(found(refs, "after.js", Kind::worker));
}

TEST_CASE("scan_script and scan_html: the same literal a million times is one reference, the count is capped") {
    std::string many;
    for (int i = 0; i < 100000; ++i) many += "f(\"x.wasm\");";
    CHECK(scan_script(many, false).size() == 1);
    std::string distinct;
    for (int i = 0; i < 5000; ++i) distinct += "f(\"x" + std::to_string(i) + ".wasm\");";
    CHECK(scan_script(distinct, false).size() == max_references);
    std::string tags;
    for (int i = 0; i < 5000; ++i) tags += "<script src=\"s" + std::to_string(i) + ".js\"></script>";
    CHECK(scan_html(tags).size() == max_references);
}

TEST_CASE("scan_html and scan_script: unterminated input ends the scan without reading past it") {
    for (std::string_view s : {"<script src=\"x.js", "<script", "<!--", "<a b='", "\"unterminated", "`${", "/[/",
                               "import(", "<script type=module>import \""}) {
        CAPTURE(s);
        (void)scan_html(s);
        (void)scan_script(s, true);
    }
    CHECK(kind_by_name("a/python.WASM?v=1") == Kind::wasm);
    CHECK(kind_by_name("x.worker.mjs#f") == Kind::worker);
    CHECK(kind_by_name("x.js") == Kind::other);
}
