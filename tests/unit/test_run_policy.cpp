// run's pure decisions (server/run/): exit codes, output routing, the injected script's
// reports, emrun's POSTs, stdin lines for prompt(), the page's URL and the two time limits.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "server/run/emrun.hpp"
#include "server/run/ending.hpp"
#include "server/run/limits.hpp"
#include "server/run/output.hpp"
#include "server/run/page_script.hpp"
#include "server/run/page_url.hpp"
#include "server/run/stdin_lines.hpp"
#include "tests/support/temp_tree.hpp"

using namespace wasmdev::run;

TEST_CASE("exit_code_for: each ending's exit code") {
    struct Row {
        Ending why;
        int value;
        int code;
    };
    Row const rows[] = {
        {Ending::exited, 0, 0},       {Ending::exited, 3, 3},        {Ending::exited, 256, 0},
        {Ending::exited, -1, 255},    {Ending::uncaught, 0, 1},      {Ending::timed_out, 0, 124},
        {Ending::silent, 0, 124},     {Ending::interrupted, 2, 130}, {Ending::interrupted, 15, 143},
        {Ending::browser_died, 0, 1}, {Ending::crashed, 0, 1},       {Ending::closed, 0, 1},
    };
    for (auto const& row : rows) {
        CAPTURE(int(row.why));
        CAPTURE(row.value);
        CHECK(exit_code_for(row.why, row.value) == row.code);
    }
}

TEST_CASE("RunStatus: the first ending wins, so an exception after exit(0) leaves 0") {
    RunStatus s;
    CHECK_FALSE(s.ended());
    CHECK(s.end(Ending::exited, 0));
    CHECK_FALSE(s.end(Ending::uncaught));
    CHECK_FALSE(s.end(Ending::timed_out));
    CHECK(s.exit_code() == 0);
    RunStatus t;
    CHECK(t.end(Ending::uncaught));
    CHECK_FALSE(t.end(Ending::exited, 0));
    CHECK(t.exit_code() == 1);
}

TEST_CASE("stream_for: errors, warnings, failed asserts and traces go to stderr") {
    struct Row {
        char const* type;
        Stream s;
    };
    Row const rows[] = {{"log", Stream::out},     {"info", Stream::out},   {"debug", Stream::out},
                        {"dir", Stream::out},     {"table", Stream::out},  {"error", Stream::err},
                        {"warning", Stream::err}, {"assert", Stream::err}, {"trace", Stream::err}};
    for (auto const& row : rows) {
        CAPTURE(row.type);
        CHECK(stream_for(row.type) == row.s);
    }
}

TEST_CASE("json_line: one object per line, text escaped") {
    auto line = json_line(Stream::err, "http://localhost:1/a.js", 1733470000123.5, "two\nlines \"q\"");
    CHECK(line.back() == '\n');
    CHECK(line.find('\n') == line.size() - 1);
    auto v = boost::json::parse(line);
    CHECK(v.at("stream").as_string() == "stderr");
    CHECK(v.at("url").as_string() == "http://localhost:1/a.js");
    CHECK(v.at("time").as_double() == doctest::Approx(1733470000123.5));
    CHECK(v.at("text").as_string() == "two\nlines \"q\"");
}

TEST_CASE("page_script: ARGs and the binding name go in as JSON literals") {
    auto s = page_script(std::vector<std::string>{"a b", "</script>", "'\"\\", "\xE2\x80\xA8"});
    CHECK(s.find(R"(const args = ["a b","</script>","'\"\\",)") != std::string::npos);
    CHECK(s.find(R"(const binding = "__wasmdevRunReport";)") != std::string::npos);
    CHECK(page_script(std::nullopt).find("const args = null;") != std::string::npos);
}

TEST_CASE("read_report: an exit code, a REPL page's output line, its wait for stdin, and nothing else") {
    using K = PageReport::Kind;
    struct Row {
        char const* payload;
        K kind;
        int code;
        char const* text;
    };
    Row const rows[] = {
        {R"({"exit":3})", K::exit, 3, ""},
        {R"({"out":"2"})", K::out, 0, "2"},
        {R"({"err":">>> "})", K::err, 0, ">>> "},
        {R"({"out":""})", K::out, 0, ""},
        {R"({"stdin":true})", K::stdin_request, 0, ""},
        {R"({"stdin":false})", K::none, 0, ""},
        {R"({"stdin":1})", K::none, 0, ""},
        {R"({"out":2})", K::none, 0, ""},
        {R"({"out":"a","err":"b"})", K::none, 0, ""},
        {R"({"exit":3,"out":"x"})", K::none, 0, ""},
        {R"({"exit":"3"})", K::none, 0, ""},
        {R"(["out","x"])", K::none, 0, ""},
        {R"({"out":"x")", K::none, 0, ""},
        {"", K::none, 0, ""},
    };
    for (auto const& row : rows) {
        CAPTURE(row.payload);
        auto r = read_report(row.payload);
        CHECK(r.kind == row.kind);
        CHECK(r.code == row.code);
        CHECK(r.text == row.text);
    }
}

TEST_CASE("stdin_answer: a line goes to the REPL page as a JSON string literal, the end as null") {
    CHECK(stdin_answer(std::string("print(1+1)")) == R"x(wasmdevRun.stdin("print(1+1)"))x");
    // U+2028 may stay raw: a JavaScript string literal takes it since ES2019.
    CHECK(stdin_answer(std::string("\");</script>\xE2\x80\xA8\x01")) ==
          "wasmdevRun.stdin(\"\\\");</script>\xE2\x80\xA8\\u0001\")");
    CHECK(stdin_answer(std::nullopt) == "wasmdevRun.stdin(null)");
}

TEST_CASE("exit_request: reads {\"exit\":N} and nothing else") {
    struct Row {
        char const* payload;
        std::optional<int> code;
    };
    Row const rows[] = {
        {R"({"exit":0})", 0},
        {R"({"exit":5})", 5},
        {R"({"exit":-1})", 0x7fffffff},
        {R"({"exit":7.9})", 7},
        {R"({"exit":"3"})", {}},
        {R"({"exit":1e300})", {}},
        {"", {}},
        {"[5]", {}},
        {R"({"code":1})", {}},
    };
    for (auto const& row : rows) {
        CAPTURE(row.payload);
        CHECK(exit_request(row.payload) == row.code);
    }
    CHECK(exit_code_for(Ending::exited, *exit_request(R"({"exit":-1})")) == 255);
}

TEST_CASE("parse_emrun_post: emrun_postjs.js's messages") {
    struct Row {
        char const* url;
        char const* body;
        EmrunKind kind;
        std::string text;
        int code;
    };
    Row const rows[] = {
        {"http://localhost:1/stdio.html", "^pageload^", EmrunKind::pageload, "", 0},
        {"http://localhost:1/stdio.html", "^out^1^hello%20world", EmrunKind::out, "hello world", 0},
        {"http://localhost:1/stdio.html", "^err^12^a%5Eb", EmrunKind::err, "a^b", 0},
        {"http://localhost:1/stdio.html", "^exit^3", EmrunKind::exit, "", 3},
        {"http://localhost:1/stdio.html", "^exit^", EmrunKind::not_emrun, "", 0},
        {"http://localhost:1/stdio.html", "^exit^3x", EmrunKind::not_emrun, "", 0},
        {"http://localhost:1/stdio.html", "^out^x^y", EmrunKind::not_emrun, "", 0},
        {"http://localhost:1/stdio.html", "^out^1", EmrunKind::not_emrun, "", 0},
        {"http://localhost:1/stdio.html?file=out%2Fa.dat", "\x01\x02", EmrunKind::file_dump, "out/a.dat", 0},
        {"http://localhost:1/stdio.html", "anything", EmrunKind::not_emrun, "", 0},
    };
    for (auto const& row : rows) {
        CAPTURE(row.body);
        auto p = parse_emrun_post(row.url, row.body);
        CHECK(p.kind == row.kind);
        CHECK(p.text == row.text);
        CHECK(p.code == row.code);
    }
    CHECK(is_emrun_request("POST", "http://localhost:1/dir/stdio.html"));
    CHECK(is_emrun_request("POST", "http://localhost:1/stdio.html?file=x"));
    CHECK_FALSE(is_emrun_request("GET", "http://localhost:1/stdio.html"));
    CHECK_FALSE(is_emrun_request("POST", "http://localhost:1/notstdio.html"));
    CHECK_FALSE(is_emrun_request("POST", "http://localhost:1/x?stdio.html"));
}

TEST_CASE("StdinLines: one line per prompt, CRLF too, the unterminated rest at the end, then nothing") {
    StdinLines in;
    CHECK_FALSE(in.next());
    in.feed("first\r\nsec");
    CHECK(in.next() == "first");
    CHECK_FALSE(in.next());
    CHECK_FALSE(in.exhausted());
    in.feed("ond\n\nlast");
    CHECK(in.next() == "second");
    CHECK(in.next() == "");
    CHECK_FALSE(in.next());
    in.close();
    CHECK(in.next() == "last");
    CHECK_FALSE(in.next());
    CHECK(in.exhausted());
}

TEST_CASE("StdinLines: a line longer than the cap comes in pieces, so input without newlines stays bounded") {
    StdinLines in(4);
    in.feed("abcdefghij");
    CHECK_FALSE(in.wants_input());
    CHECK(in.next() == "abcd");
    CHECK(in.next() == "efgh");
    CHECK(in.wants_input());
    CHECK_FALSE(in.next());
    in.feed("\n");
    CHECK(in.next() == "ij");
}

TEST_CASE("page_url: PAGE below ROOT on localhost, each segment percent-encoded; outside ROOT refused") {
    wasmdev::test::TempTree t({}, "run");
    t.write("a dir/p&q #1.html", "x");
    t.write("x.html", "x");
    std::string error;
    CHECK(page_url(t.path, t.path / "a dir/p&q #1.html", 8123, error) ==
          "http://localhost:8123/a%20dir/p%26q%20%231.html");
    CHECK(page_url(t.path, t.path / "a dir/../x.html", 8123, error) == "http://localhost:8123/x.html");
    CHECK(page_url(t.path / "a dir", t.path / "x.html", 8123, error).empty());
    CHECK(error.find("--root") != std::string::npos);
    CHECK(url_path("caf\xC3\xA9.html") == "/caf%C3%A9.html");
}

TEST_CASE("limits: a run given no --timeout ends after ten minutes, and 0 turns the limit off") {
    Limits const defaults{};
    CHECK(defaults.total_s == default_timeout_s);
    CHECK(default_timeout_s == 600);
    CHECK(defaults.silence_s == 0);
    CHECK(expired(defaults, 599.9, 599.9) == Expired::none);
    CHECK(expired(defaults, 600, 600) == Expired::total);
    CHECK(expired({0, 0}, 1e9, 1e9) == Expired::none);
}

TEST_CASE("limits: the line a limit prints names the flag that set it and how to lift it") {
    CHECK(expiry_message(Expired::total, {600, 0}) == "timed out after 600 s (--timeout S; --timeout 0 for no limit)");
    CHECK(expiry_message(Expired::total, {2.5, 0}) == "timed out after 2.5 s (--timeout S; --timeout 0 for no limit)");
    CHECK(expiry_message(Expired::silence, {600, 5}) == "no output for 5 s (--silence-timeout)");
    CHECK(expiry_message(Expired::none, {600, 5}).empty());
}

TEST_CASE("limits: which limit expired, and how long the loop may sleep") {
    struct Row {
        Limits l;
        double elapsed, quiet;
        Expired e;
        int wait;
    };
    Row const rows[] = {
        {{0, 0}, 100, 100, Expired::none, -1},  {{10, 0}, 2.5, 0, Expired::none, 7500},
        {{10, 0}, 10, 0, Expired::total, 0},    {{0, 3}, 50, 1, Expired::none, 2000},
        {{0, 3}, 50, 3, Expired::silence, 0},   {{10, 3}, 9, 0.5, Expired::none, 1000},
        {{10, 3}, 5, 0.5, Expired::none, 2500}, {{10, 3}, 10, 3, Expired::total, 0},
        {{0.001, 0}, 0, 0, Expired::none, 1},
    };
    for (auto const& row : rows) {
        CAPTURE(row.elapsed);
        CAPTURE(row.quiet);
        CHECK(expired(row.l, row.elapsed, row.quiet) == row.e);
        CHECK(wait_ms(row.l, row.elapsed, row.quiet) == row.wait);
    }
}
