// ServedModules: the server's memory of the modules browsers loaded, and the one warning a
// missing debug file gets. Real files in a temp ROOT, no sockets. Most cases run the lane by
// hand (background = false, run_queued()) so what a request sees before and after a read is
// exact; one runs the real thread and waits for it to be idle.
#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "server/doctor/facts.hpp"
#include "server/doctor/loader.hpp"
#include "server/doctor/served_modules.hpp"
#include "tests/support/temp_tree.hpp"
#include "tests/unit/hostile_modules.hpp"
#include "tests/unit/wasm_builder.hpp"

namespace {

namespace fs = std::filesystem;
using wasmdev::doctor::ServedModules;
using wasmdev::test::Bytes;

std::vector<std::uint8_t> url_module(std::string_view section, std::string_view url) {
    return wasmdev::test::module({{0, wasmdev::test::custom(section, Bytes{}.name(url))}});
}

// A temp tree whose files are modules.
struct TempRoot : wasmdev::test::TempTree {
    TempRoot() : TempTree({}, "served") {}
    void write(fs::path const& rel, std::vector<std::uint8_t> const& bytes) const {
        TempTree::write(rel, {reinterpret_cast<char const*>(bytes.data()), bytes.size()});
    }
};

// A lane run by the test: reads happen in run_queued(); late warnings are collected.
struct Manual {
    std::vector<std::string> warnings{};
    ServedModules seen;
    explicit Manual(fs::path root, std::size_t limit = 256)
        : seen(std::move(root),
               ServedModules::Options{limit, [this](std::string const& w) { warnings.push_back(w); }, {}, false}) {}
};

}  // namespace

TEST_CASE("ServedModules: a missing debug file a served module names is explained once, naming the module") {
    TempRoot root;
    root.write("out/app.wasm", url_module("external_debug_info", "app.debug.wasm"));
    Manual lane(root.path);
    auto& seen = lane.seen;
    seen.note_module("/out/app.wasm", "out/app.wasm");
    CHECK(seen.run_queued() == 1);

    auto w = seen.on_not_found("/out/app.debug.wasm");
    REQUIRE(w.has_value());
    CHECK(w->find("/out/app.wasm") != std::string::npos);
    CHECK(w->find("external_debug_info") != std::string::npos);
    CHECK(w->find("-sSEPARATE_DWARF_URL") != std::string::npos);
    CHECK(w->find("wasmdev doctor out/app.wasm") != std::string::npos);
    // Once per path: DevTools retries, and the retry logs nothing at all ("" tells the handler
    // to drop its generic "a .wasm was requested that does not exist" line too).
    auto again = seen.on_not_found("/out/app.debug.wasm");
    REQUIRE(again.has_value());
    CHECK(again->empty());
    CHECK(lane.warnings.empty());
}

TEST_CASE("ServedModules: 404s that no served module names stay silent") {
    TempRoot root;
    root.write("app.wasm", url_module("sourceMappingURL", "app.wasm.map"));
    Manual lane(root.path);
    auto& seen = lane.seen;
    CHECK_FALSE(seen.on_not_found("/app.wasm.map").has_value());  // the module was never served
    seen.note_module("/app.wasm", "app.wasm");
    seen.run_queued();
    CHECK_FALSE(seen.on_not_found("/favicon.ico").has_value());
    CHECK_FALSE(seen.on_not_found("/app.wasm.dwp").has_value());  // optional: absence is normal
    auto w = seen.on_not_found("/app.wasm.map");
    REQUIRE(w.has_value());
    CHECK(w->find("source map") != std::string::npos);
    CHECK(w->find("--source-map-base") != std::string::npos);
}

TEST_CASE("ServedModules: a rebuilt module is read again, so a new debug-file name is the one explained") {
    TempRoot root;
    root.write("app.wasm", url_module("external_debug_info", "old.debug.wasm"));
    Manual lane(root.path);
    auto& seen = lane.seen;
    seen.note_module("/app.wasm", "app.wasm");
    seen.run_queued();
    CHECK(!seen.on_not_found("/old.debug.wasm").value_or("").empty());
    CHECK(seen.on_not_found("/old.debug.wasm").value_or("x").empty());  // explained once
    // A longer name changes the size: the identity check cannot miss it. The browser loads
    // the rebuilt module again, and that queues the read.
    root.write("app.wasm", url_module("external_debug_info", "dbg/newer-name.debug.wasm"));
    seen.note_module("/app.wasm", "app.wasm");
    seen.run_queued();
    CHECK(!seen.on_not_found("/dbg/newer-name.debug.wasm").value_or("").empty());
}

TEST_CASE("ServedModules: references leaving the server (absolute file paths) are not this server's 404s") {
    TempRoot root;
    root.write("app.wasm", url_module("external_debug_info", "/home/u/app.debug.wasm"));
    Manual lane(root.path);
    auto& seen = lane.seen;
    seen.note_module("/app.wasm", "app.wasm");
    seen.run_queued();
    CHECK_FALSE(seen.on_not_found("/home/u/app.debug.wasm").has_value());
}

TEST_CASE("ServedModules: the self-check page's list holds each module seen with the doctor's verdict") {
    TempRoot root;
    root.write("a.wasm", url_module("external_debug_info", "a.debug.wasm"));  // its debug file is missing
    root.write("b.wasm", wasmdev::test::module({}));                          // no debug info: fine
    Manual lane(root.path, 8);
    auto& seen = lane.seen;
    seen.note_module("/a.wasm", "a.wasm");
    seen.note_module("/b.wasm", "b.wasm");
    seen.modules_json("http://127.0.0.1:8000");  // the page asks: the lane diagnoses for its origin
    seen.run_queued();
    auto json = seen.modules_json("http://127.0.0.1:8000");
    CHECK(json.find("\"module\":\"a.wasm\"") != std::string::npos);
    CHECK(json.find("\"module\":\"b.wasm\"") != std::string::npos);
    CHECK(json.find("http://127.0.0.1:8000/a.debug.wasm") != std::string::npos);
    CHECK(json.find("\"exit_code\":1") != std::string::npos);
}

TEST_CASE("ServedModules: remembers at most `limit` modules, forgetting the oldest") {
    TempRoot root;
    root.write("a.wasm", url_module("external_debug_info", "a.debug.wasm"));
    root.write("b.wasm", wasmdev::test::module({}));
    Manual lane(root.path, 1);
    auto& seen = lane.seen;
    seen.note_module("/a.wasm", "a.wasm");
    seen.note_module("/b.wasm", "b.wasm");
    seen.run_queued();
    CHECK_FALSE(seen.on_not_found("/a.debug.wasm").has_value());
}

TEST_CASE("ServedModules: a reference with URL escapes matches the decoded request path") {
    TempRoot root;
    root.write("my app/app.wasm", url_module("external_debug_info", "debug%20files/app.debug.wasm"));
    Manual lane(root.path);
    auto& seen = lane.seen;
    seen.note_module("/my app/app.wasm", "my app/app.wasm");
    seen.run_queued();
    CHECK(!seen.on_not_found("/my app/debug files/app.debug.wasm").value_or("").empty());
}

TEST_CASE("ServedModules: a separate DWARF file fetched by the page is not listed as a module of its own") {
    TempRoot root;
    root.write("a.wasm", url_module("external_debug_info", "a.wasm.debug.wasm"));
    root.write("a.wasm.debug.wasm", wasmdev::test::module({}));
    Manual lane(root.path);
    auto& seen = lane.seen;
    seen.note_module("/a.wasm", "a.wasm");
    seen.note_module("/a.wasm.debug.wasm", "a.wasm.debug.wasm");
    seen.modules_json("http://127.0.0.1:8000");
    seen.run_queued();
    auto json = seen.modules_json("http://127.0.0.1:8000");
    CHECK(json.find("\"module\":\"a.wasm\"") != std::string::npos);
    CHECK(json.find("\"module\":\"a.wasm.debug.wasm\"") == std::string::npos);
}

TEST_CASE("ServedModules: a request never reads a module: before the lane has read it, modules.json says pending") {
    TempRoot root;
    root.write("a.wasm", url_module("external_debug_info", "a.debug.wasm"));
    Manual lane(root.path);
    auto& seen = lane.seen;
    seen.note_module("/a.wasm", "a.wasm");
    auto json = seen.modules_json("https://lan.example:8443");
    CHECK(json.find("\"pending\":true") != std::string::npos);
    CHECK(json.find("\"url\":\"https://lan.example:8443/a.wasm\"") != std::string::npos);
    CHECK(json.find("\"findings\"") == std::string::npos);
    CHECK(seen.run_queued() == 1);  // one read serves the 404 references and the verdict
    json = seen.modules_json("https://lan.example:8443");
    CHECK(json.find("\"pending\"") == std::string::npos);
    CHECK(json.find("https://lan.example:8443/a.debug.wasm") != std::string::npos);
    CHECK(json.find("\"exit_code\":1") != std::string::npos);
}

TEST_CASE("ServedModules: a 404 that comes before its module was read is explained by the lane, once") {
    TempRoot root;
    root.write("out/app.wasm", url_module("external_debug_info", "app.debug.wasm"));
    Manual lane(root.path);
    auto& seen = lane.seen;
    seen.note_module("/out/app.wasm", "out/app.wasm");
    // Unread yet: the request is answered at once and logs nothing (not even the generic line).
    auto early = seen.on_not_found("/out/app.debug.wasm");
    REQUIRE(early.has_value());
    CHECK(early->empty());
    auto unrelated = seen.on_not_found("/other.wasm");
    REQUIRE(unrelated.has_value());
    CHECK(unrelated->empty());
    seen.run_queued();
    REQUIRE(lane.warnings.size() == 2);
    CHECK(lane.warnings[0].starts_with("/out/app.debug.wasm not found, but the module /out/app.wasm names it"));
    // The .wasm no module names gets the line it would have had.
    CHECK(lane.warnings[1].starts_with("/other.wasm not found"));
    CHECK(seen.on_not_found("/out/app.debug.wasm").value_or("x").empty());  // explained: nothing more
    CHECK(lane.warnings.size() == 2);
}

TEST_CASE("ServedModules: a module is read once per file version, however often it is served or asked about") {
    TempRoot root;
    root.write("app.wasm", url_module("external_debug_info", "app.debug.wasm"));
    Manual lane(root.path);
    auto& seen = lane.seen;
    for (int i = 0; i < 3; ++i) seen.note_module("/app.wasm", "app.wasm");
    CHECK(seen.run_queued() == 1);  // one queued read, not three
    CHECK(seen.modules_read() == 1);
    seen.note_module("/app.wasm", "app.wasm");  // a 304: same file version
    seen.modules_json("http://127.0.0.1:8000");
    seen.run_queued();
    CHECK(seen.modules_read() == 1);  // the verdict came from the facts kept, no second read
    root.write("app.wasm", url_module("external_debug_info", "dbg/app2.debug.wasm"));
    seen.note_module("/app.wasm", "app.wasm");
    seen.run_queued();
    CHECK(seen.modules_read() == 2);
}

TEST_CASE("ServedModules: the lane's thread reads in the background, and a hostile module does not stop it") {
    TempRoot root;
    root.write("evil.wasm", wasmdev::test::hostile::line_amplify(1u << 16));
    root.write("app.wasm", url_module("sourceMappingURL", "app.wasm.map"));
    std::vector<std::string> warnings;
    ServedModules seen(root.path, ServedModules::Options{16, [&](std::string const& w) { warnings.push_back(w); }});
    seen.note_module("/evil.wasm", "evil.wasm");
    seen.note_module("/app.wasm", "app.wasm");
    seen.modules_json("http://127.0.0.1:8000");
    REQUIRE(seen.wait_idle(std::chrono::seconds(60)));
    CHECK(!seen.on_not_found("/app.wasm.map").value_or("").empty());
    auto json = seen.modules_json("http://127.0.0.1:8000");
    CHECK(json.find("\"module\":\"evil.wasm\"") != std::string::npos);
    CHECK(json.find("\"pending\"") == std::string::npos);
}

TEST_CASE("read_module_parts: the lane reads a module's header, imports, memory and custom sections, not its code") {
    // A release build is mostly code and data, which say nothing about debugging: reading them
    // would make serving a 100 MB module cost 100 MB of memory each time it is rebuilt.
    Bytes code;
    code.v.assign(1u << 20, 0x0b);
    auto const bytes = wasmdev::test::module(
        {{10, code}, {0, wasmdev::test::custom("external_debug_info", Bytes{}.name("app.debug.wasm"))}, {11, code}});
    TempRoot root;
    root.write("app.wasm", bytes);
    auto parts = wasmdev::doctor::read_module_parts(root.path / "app.wasm");
    REQUIRE(parts.has_value());
    CHECK(parts->size() < 4096);
    auto const whole = wasmdev::doctor::read_module_facts(bytes);
    auto const facts = wasmdev::doctor::read_module_facts(*parts);
    CHECK(facts.is_wasm);
    CHECK(facts.read_error.empty());
    CHECK(facts.external_debug_info == whole.external_debug_info);

    SUBCASE("a file that is not a module: its first bytes say so") {
        root.write("noise.wasm", std::vector<std::uint8_t>(3u << 20, 0x5a));
        auto noise = wasmdev::doctor::read_module_parts(root.path / "noise.wasm");
        REQUIRE(noise.has_value());
        CHECK(noise->size() <= 8);
        CHECK_FALSE(wasmdev::doctor::read_module_facts(*noise).is_wasm);
    }
    SUBCASE("a section running past the end: the reader sees the bytes and says where it stops") {
        auto cut = bytes;
        cut.resize(cut.size() - 10);
        root.write("cut.wasm", cut);
        auto r = wasmdev::doctor::read_module_parts(root.path / "cut.wasm");
        REQUIRE(r.has_value());
        CHECK(wasmdev::doctor::read_module_facts(*r).read_error == wasmdev::doctor::read_module_facts(cut).read_error);
    }
}

TEST_CASE(
    "ServedModules: modules.json is valid JSON when ROOT and file names hold quotes, controls and invalid UTF-8") {
    TempRoot top;
    std::string const odd = "we\"ird\\\n\x01\xFF";
    std::string const replaced = "we\"ird\\\n\x01\xEF\xBF\xBD";
    auto const root = top.path / odd;
    fs::create_directories(root);
    std::ofstream(root / (odd + ".wasm"), std::ios::binary) << std::string_view(
        reinterpret_cast<char const*>(wasmdev::test::module({}).data()), wasmdev::test::module({}).size());
    Manual lane(root);
    auto& seen = lane.seen;
    seen.note_module("/" + odd + ".wasm", odd + ".wasm");
    for (std::string_view when : {"pending", "diagnosed"}) {
        CAPTURE(when);
        auto const json = seen.modules_json("http://127.0.0.1:8000");
        CAPTURE(json);
        boost::system::error_code ec;
        auto const v = boost::json::parse(json, ec);
        REQUIRE_FALSE(ec);
        std::vector<std::string> keys;
        for (auto const& kv : v.as_object()) keys.emplace_back(kv.key());
        CHECK(keys == std::vector<std::string>{"root", "url", "modules", "exit_code"});
        CHECK(v.at("root").as_string() == (top.path / replaced).string());
        CHECK(v.at("url").as_string() == "http://127.0.0.1:8000/");
        CHECK(v.at("modules").at(0).at("module").as_string() == replaced + ".wasm");
        CHECK(v.at("modules").at(0).as_object().contains("pending") == (when == "pending"));
        CHECK(v.at("exit_code") == 0);
        seen.run_queued();
    }
}
