// The DevTools pipe's framing and message decoding (server/browser/frames, devtools_message,
// console_text): the messages run reacts to, as Chromium sends them.
#include <doctest/doctest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "server/browser/chromium.hpp"
#include "server/browser/console_text.hpp"
#include "server/browser/devtools_message.hpp"
#include "server/browser/frames.hpp"

using namespace wasmdev::browser;
using namespace std::string_literals;

namespace {
std::vector<std::string> split_all(FrameSplitter& f, std::vector<std::string> const& chunks) {
    std::vector<std::string> out;
    for (auto const& c : chunks) f.feed(c, [&](std::string_view m) { out.emplace_back(m); });
    return out;
}
}  // namespace

TEST_CASE("FrameSplitter: messages end at NUL wherever the reads split them") {
    struct Row {
        std::vector<std::string> chunks;
        std::vector<std::string> messages;
    };
    Row const rows[] = {
        {{"{\"a\":1}\0"s}, {"{\"a\":1}"}},
        {{"{\"a\"", ":1}\0{\"b\":2}\0"s}, {"{\"a\":1}", "{\"b\":2}"}},
        {{"x\0y"s, "z\0"s}, {"x", "yz"}},
        {{"\0"s}, {""}},
        {{"no end yet"}, {}},
    };
    for (auto const& row : rows) {
        CAPTURE(row.chunks.size());
        FrameSplitter f;
        CHECK(split_all(f, row.chunks) == row.messages);
    }
}

TEST_CASE("FrameSplitter: a message over the cap is dropped whole and the next one still arrives") {
    FrameSplitter f(8);
    auto got = split_all(f, {"12345", "6789abc", "def\0ok\0"s, "123456789\0fine\0"s});
    CHECK(got == std::vector<std::string>{"ok", "fine"});
    CHECK(f.dropped() == 2);
    CHECK(f.pending() == 0);
}

TEST_CASE("decode_message: console calls keep their type, arguments, time and the calling script") {
    auto m = decode_message(R"J({"method":"Runtime.consoleAPICalled","sessionId":"S1","params":{"type":"warning",
        "args":[{"type":"string","value":"a %d b"},{"type":"number","value":3,"description":"3"}],
        "executionContextId":1,"timestamp":1733470000123.5,
        "stackTrace":{"callFrames":[{"functionName":"f","url":"http://localhost:1/a.js","lineNumber":0,"columnNumber":0}]}}})J");
    CHECK(m.session_id == "S1");
    auto const* c = std::get_if<ConsoleCall>(&m.body);
    REQUIRE(c);
    CHECK(c->type == "warning");
    CHECK(c->timestamp == doctest::Approx(1733470000123.5));
    CHECK(c->url == "http://localhost:1/a.js");
    CHECK(console_text(c->args) == "a 3 b");
}

TEST_CASE("decode_message: an uncaught error reads as DevTools shows it, stack included") {
    struct Row {
        std::string json;
        std::string text;
    };
    Row const rows[] = {
        {R"J({"method":"Runtime.exceptionThrown","params":{"timestamp":1,"exceptionDetails":{"text":"Uncaught",
            "exception":{"type":"object","subtype":"error","className":"Error","description":"Error: boom\n    at f (http://x/a.js:1:7)"}}}})J",
         "Uncaught Error: boom\n    at f (http://x/a.js:1:7)"},
        {R"J({"method":"Runtime.exceptionThrown","params":{"timestamp":1,"exceptionDetails":{"text":"Uncaught (in promise)",
            "exception":{"type":"string","value":"nope"},
            "stackTrace":{"callFrames":[{"functionName":"","url":"http://x/p.html","lineNumber":4,"columnNumber":2}]}}}})J",
         "Uncaught (in promise) nope\n    at http://x/p.html:5:3"},
        {R"J({"method":"Runtime.exceptionThrown","params":{"exceptionDetails":{"text":"Uncaught SyntaxError: x"}}})J",
         "Uncaught SyntaxError: x"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.json);
        auto m = decode_message(row.json);
        auto const* e = std::get_if<ExceptionThrown>(&m.body);
        REQUIRE(e);
        CHECK(e->text == row.text);
    }
}

TEST_CASE("decode_message: responses, targets, dialogs, paused requests and bindings") {
    auto r = decode_message(R"J({"id":7,"result":{"targetId":"T","sessionId":"S","errorText":"net::ERR_X"}})J");
    REQUIRE(std::get_if<Response>(&r.body));
    CHECK(std::get<Response>(r.body).id == 7);
    CHECK(std::get<Response>(r.body).target_id == "T");
    CHECK(std::get<Response>(r.body).session_id == "S");
    CHECK(std::get<Response>(r.body).error_text == "net::ERR_X");
    auto err = decode_message(R"J({"id":8,"error":{"code":-32000,"message":"No target"}})J");
    CHECK(std::get<Response>(err.body).error == "No target");

    auto a = decode_message(R"J({"method":"Target.attachedToTarget","sessionId":"P","params":{"sessionId":"W",
        "targetInfo":{"targetId":"x","type":"worker","url":"http://localhost:1/w.js"},"waitingForDebugger":true}})J");
    auto const* at = std::get_if<AttachedToTarget>(&a.body);
    REQUIRE(at);
    CHECK(at->session_id == "W");
    CHECK(at->target_type == "worker");
    CHECK(at->waiting_for_debugger);

    auto d =
        decode_message(R"J({"method":"Page.javascriptDialogOpening","params":{"type":"prompt","message":"Input: "}})J");
    REQUIRE(std::get_if<DialogOpening>(&d.body));
    CHECK(std::get<DialogOpening>(d.body).type == "prompt");

    auto p = decode_message(
        R"J({"method":"Fetch.requestPaused","params":{"requestId":"R","request":{"url":"http://localhost:1/stdio.html","method":"POST","postData":"^exit^3"}}})J");
    auto const* rp = std::get_if<RequestPaused>(&p.body);
    REQUIRE(rp);
    CHECK(rp->request_id == "R");
    CHECK(rp->method == "POST");
    CHECK(rp->post_data == "^exit^3");

    auto bc = decode_message(
        R"J({"method":"Runtime.bindingCalled","params":{"name":"__wasmdevRunReport","payload":"{\"exit\":5}"}})J");
    REQUIRE(std::get_if<BindingCalled>(&bc.body));
    CHECK(std::get<BindingCalled>(bc.body).payload == R"J({"exit":5})J");
}

TEST_CASE("decode_message: anything malformed or unexpected is ignored, never thrown") {
    std::string const rows[] = {"",
                                "{",
                                "[]",
                                "null",
                                "{\"method\":5}",
                                "{\"id\":\"x\"}",
                                R"J({"method":"Runtime.consoleAPICalled","params":{"args":7,"type":[]}})J",
                                R"J({"method":"Target.attachedToTarget","params":"x"})J",
                                std::string(200, '[')};
    for (auto const& row : rows) {
        CAPTURE(row);
        auto m = decode_message(row);
        bool const harmless = std::holds_alternative<Ignored>(m.body) || std::holds_alternative<ConsoleCall>(m.body) ||
                              std::holds_alternative<AttachedToTarget>(m.body);
        CHECK(harmless);
    }
}

TEST_CASE("remote_value_text: values as console.log prints them") {
    struct Row {
        char const* json;
        char const* text;
    };
    Row const rows[] = {
        {R"J({"type":"string","value":"hi"})J", "hi"},
        {R"J({"type":"number","value":1.5,"description":"1.5"})J", "1.5"},
        {R"J({"type":"number","unserializableValue":"NaN","description":"NaN"})J", "NaN"},
        {R"J({"type":"boolean","value":true})J", "true"},
        {R"J({"type":"undefined"})J", "undefined"},
        {R"J({"type":"object","subtype":"null","value":null})J", "null"},
        {R"J({"type":"bigint","unserializableValue":"12n","description":"12n"})J", "12n"},
        {R"J({"type":"object","className":"Object","description":"Object","preview":{"type":"object","overflow":false,
            "properties":[{"name":"a","type":"number","value":"1"},{"name":"b","type":"string","value":"x"}]}})J",
         "{a: 1, b: 'x'}"},
        {R"J({"type":"object","subtype":"array","description":"Array(2)","preview":{"type":"object","subtype":"array","overflow":true,
            "properties":[{"name":"0","type":"number","value":"1"},{"name":"1","type":"number","value":"2"}]}})J",
         "[1, 2, …]"},
        {R"J({"type":"function","className":"Function","description":"function f() {}"})J", "function f() {}"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.json);
        CHECK(remote_value_text(boost::json::parse(row.json)).text == row.text);
    }
}

TEST_CASE("console_text: format specifiers take the following arguments; the rest are joined by spaces") {
    auto s = [](std::string t) { return RemoteValue{std::move(t), true}; };
    auto v = [](std::string t) { return RemoteValue{std::move(t), false}; };
    struct Row {
        std::vector<RemoteValue> args;
        std::string text;
    };
    Row const rows[] = {
        {{}, ""},
        {{s("plain")}, "plain"},
        {{s("a"), v("1"), s("b")}, "a 1 b"},
        {{s("%s=%d"), s("x"), v("4.7")}, "x=4"},
        {{s("%i|%f"), v("-2.5"), v("2.5")}, "-2|2.5"},
        {{s("%d"), s("abc")}, "NaN"},
        {{s("%cred"), s("color: red")}, "red"},
        {{s("100%% %s")}, "100% %s"},
        {{s("%s"), s("a"), s("b")}, "a b"},
        {{v("1"), s("%s")}, "1 %s"},  // only a first string formats
        {{s("50%")}, "50%"},
        {{s("%x"), v("1")}, "%x 1"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.text);
        CHECK(console_text(row.args) == row.text);
    }
}

TEST_CASE("encode_command: a session's command names its session; the browser's does not") {
    CHECK(encode_command(3, "Page.enable", {}, "S") ==
          R"J({"id":3,"method":"Page.enable","params":{},"sessionId":"S"})J");
    CHECK(encode_command(1, "Target.createTarget", {{"url", "about:blank"}}) ==
          R"J({"id":1,"method":"Target.createTarget","params":{"url":"about:blank"}})J");
}

TEST_CASE("chromium_argv: headless on the DevTools pipe, a private profile, --no-sandbox only as root") {
    auto user = chromium_argv("/usr/bin/chromium", "/tmp/p", false);
    auto root = chromium_argv("/usr/bin/chromium", "/tmp/p", true);
    auto has = [](std::vector<std::string> const& v, std::string const& s) {
        return std::find(v.begin(), v.end(), s) != v.end();
    };
    for (auto const* flag :
         {"--headless", "--remote-debugging-pipe", "--user-data-dir=/tmp/p", "--disable-gpu", "--disable-quic",
          "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"}) {
        CAPTURE(flag);
        CHECK(has(user, flag));
        CHECK(has(root, flag));
    }
    CHECK_FALSE(has(user, "--no-sandbox"));
    CHECK(has(root, "--no-sandbox"));
    CHECK(user.front() == "/usr/bin/chromium");
}

TEST_CASE("locate_browser: --browser, then $WASMDEV_BROWSER, and a named browser is never replaced") {
    CHECK(locate_browser("/bin/sh", "", "").path == "/bin/sh");
    CHECK(locate_browser("", "/bin/sh", "").path == "/bin/sh");
    CHECK(locate_browser("/bin/sh", "/nope", "").path == "/bin/sh");
    auto missing = locate_browser("/nope/chrome", "", "/usr/bin");
    CHECK(missing.path.empty());
    CHECK(missing.error.find("/nope/chrome") != std::string::npos);
    auto env_missing = locate_browser("", "/nope/env-chrome", "/usr/bin");
    CHECK(env_missing.path.empty());
    CHECK(env_missing.error.find("WASMDEV_BROWSER") != std::string::npos);
    auto none = locate_browser("", "", "/nonexistent-dir", "/nonexistent/chromium");
    CHECK(none.path.empty());
    CHECK(none.error.find("apt install chromium") != std::string::npos);
    CHECK(none.error.find("--browser") != std::string::npos);
    CHECK(locate_browser("", "", "/nonexistent-dir", "/bin/sh").path == "/bin/sh");
}
