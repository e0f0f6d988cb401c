// Live reload's HTTP decisions (docs/reload.md), pure: where the client's
// <script> goes, the opt-outs, the injected page's ETag, and who may open the event stream.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "server/http/reload.hpp"
#include "server/http/reload_token.hpp"

using namespace wasmdev::http;

namespace {
using Fields = std::vector<std::pair<std::string_view, std::string_view>>;

RequestHead events_request(Fields fields, unsigned version = 11) {
    RequestHead req;
    req.method = "GET";
    req.target = "/__wasmdev/events";
    req.version = version;
    req.fields = std::move(fields);
    return req;
}

Config reload_config() {
    Config cfg;
    cfg.reload.enabled = true;
    cfg.reload.token = "0123456789abcdef0123456789abcdef";
    return cfg;
}
}  // namespace

TEST_CASE("injection_point: after <head>, else after <html>, else after the doctype, else at the end") {
    struct Row {
        std::string_view html;
        std::string_view before;  // what precedes the script tag
    };
    Row const rows[] = {
        {"<!doctype html><html><head><title>x</title></head></html>", "<!doctype html><html><head>"},
        {"<!DOCTYPE html><HTML lang=en><HEAD data-x=\"a>\"><title>",
         "<!DOCTYPE html><HTML lang=en><HEAD data-x=\"a>\">"},
        {"<html><header>not a head</header><head>", "<html><header>not a head</header><head>"},
        {"<html lang=\"en\">\n<body>text</body>", "<html lang=\"en\">"},
        {"<!doctype html>\n<p>fragment", "<!doctype html>"},
        {"<p>just a fragment</p>", "<p>just a fragment</p>"},
        {"", ""},
        {"<head", "<head"},  // cut short: appended, never inside the tag
    };
    for (auto const& row : rows) {
        CAPTURE(row.html);
        CHECK(row.html.substr(0, injection_point(row.html)) == row.before);
    }
}

TEST_CASE("inject_reload: one same-origin script tag with the token, never an inline snippet") {
    auto out = inject_reload("<html><head></head><body></body></html>", "abc123");
    CHECK(out ==
          "<html><head><script src=\"/__wasmdev/reload.js?token=abc123\" defer></script></head><body></body></html>");
}

TEST_CASE("html_opts_out: the meta tag in any quoting, case and attribute order") {
    struct Row {
        std::string_view html;
        bool off;
    };
    Row const rows[] = {
        {R"(<meta name="wasmdev-reload" content="off">)", true},
        {R"(<META content='off' NAME='wasmdev-reload' />)", true},
        {"<meta name = wasmdev-reload\n content = off>", true},
        {R"(<meta name="wasmdev-reload" content="on">)", false},
        {R"(<meta name="viewport" content="off">)", false},
        {R"(<meta name="wasmdev-reloaded" content="off">)", false},
        {"<p>wasmdev-reload off</p>", false},
        {R"(<meta charset="utf-8"><meta name="wasmdev-reload" content="off">)", true},
    };
    for (auto const& row : rows) {
        CAPTURE(row.html);
        CHECK(html_opts_out(row.html) == row.off);
        if (row.off) CHECK(inject_reload(row.html, "t") == row.html);
    }
}

TEST_CASE("query_opts_out and query_param read the page's query") {
    CHECK(query_opts_out("wasmdev-reload=off"));
    CHECK(query_opts_out("a=1&wasmdev-reload=0"));
    CHECK_FALSE(query_opts_out("wasmdev-reload=on"));
    CHECK_FALSE(query_opts_out("xwasmdev-reload=off"));
    CHECK(query_param("a=1&token=xyz&b", "token") == "xyz");
    CHECK(query_param("b", "b") == "");
    CHECK_FALSE(query_param("tokens=1", "token"));
}

TEST_CASE("reload_etag: differs from the plain tag and between processes, stable within one") {
    auto const plain = std::string("\"a7-4a-1-1-gz\"");
    auto const a = reload_etag(plain, "token-a");
    CHECK(a != plain);
    CHECK(a.starts_with("\"a7-4a-1-1-gz-r"));
    CHECK(a.ends_with('"'));
    CHECK(a == reload_etag(plain, "token-a"));
    CHECK(a != reload_etag(plain, "token-b"));
    CHECK(a.find("token-a") == std::string::npos);  // the tag does not reveal the token
}

TEST_CASE("make_reload_token: 128 random bits in hex, different each time") {
    auto a = make_reload_token(), b = make_reload_token();
    CHECK(a.size() == 32);
    CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(a != b);
}

TEST_CASE("check_event_request: the token, a same-origin Origin and Sec-Fetch-Site are required") {
    auto const cfg = reload_config();
    std::string const good = "token=" + cfg.reload.token;
    struct Row {
        std::string_view what;
        std::string query;
        Fields fields;
        unsigned status;  // 0: allowed
    };
    Row const rows[] = {
        {"a page of this server",
         good,
         {{"Host", "localhost:8000"}, {"Origin", "http://localhost:8000"}, {"Sec-Fetch-Site", "same-origin"}},
         0},
        {"no Origin (curl)", good, {{"Host", "localhost:8000"}}, 0},
        {"missing token", "", {{"Host", "localhost:8000"}, {"Origin", "http://localhost:8000"}}, 403},
        {"wrong token", "token=0123456789abcdef0123456789abcdee", {{"Host", "localhost:8000"}}, 403},
        {"token with a prefix", "token=x" + cfg.reload.token, {{"Host", "localhost:8000"}}, 403},
        {"foreign Origin", good, {{"Host", "localhost:8000"}, {"Origin", "http://evil.example"}}, 403},
        {"Origin on another port", good, {{"Host", "localhost:8000"}, {"Origin", "http://localhost:9000"}}, 403},
        {"Origin null (sandboxed frame)", good, {{"Host", "localhost:8000"}, {"Origin", "null"}}, 403},
        {"cross-site fetch", good, {{"Host", "localhost:8000"}, {"Sec-Fetch-Site", "cross-site"}}, 403},
        {"same-site fetch (another port)", good, {{"Host", "localhost:8000"}, {"Sec-Fetch-Site", "same-site"}}, 403},
    };
    for (auto const& row : rows) {
        CAPTURE(row.what);
        auto r = check_event_request(events_request(row.fields), row.query, cfg, 0);
        CHECK((r ? r->status : 0) == row.status);
    }
    Config off;
    CHECK(check_event_request(events_request({{"Host", "localhost:8000"}}), good, off, 0)->status == 404);
    CHECK(check_event_request(events_request({{"Host", "localhost:8000"}}, 10), good, cfg, 0)->status == 400);
    CHECK(check_event_request(events_request({{"Host", "localhost:8000"}}), good, cfg, cfg.reload.max_event_streams)
              ->status == 503);
}

TEST_CASE("change_event: one SSE message with the paths as JSON strings") {
    std::vector<std::string> paths{"/a.js", "/we\"ird\\name\n.wasm"};
    CHECK(change_event(false, paths) ==
          "event: change\ndata: {\"all\":false,\"paths\":[\"/a.js\",\"/we\\\"ird\\\\name\\n.wasm\"]}\n\n");
    CHECK(change_event(true, {}) == "event: change\ndata: {\"all\":true,\"paths\":[]}\n\n");
}

TEST_CASE("change_event: a file name with control bytes and invalid UTF-8 is one data line of valid JSON") {
    // File names are any bytes but '/' and NUL; the page's JSON.parse must still read the event.
    std::vector<std::string> paths{"/\x01\x1f\r\u2028.wasm", "/caf\xC3\xA9/\xFF\xC3.data"};
    auto const event = change_event(false, paths);
    std::string_view const prefix = "event: change\ndata: ";
    REQUIRE(event.starts_with(prefix));
    REQUIRE(event.ends_with("\n\n"));
    auto const data = event.substr(prefix.size(), event.size() - prefix.size() - 2);
    CAPTURE(data);
    CHECK(data.find_first_of("\r\n") == std::string::npos);
    boost::system::error_code ec;
    auto const v = boost::json::parse(data, ec);
    REQUIRE_FALSE(ec);
    CHECK(v.at("paths").at(0).as_string() == paths[0]);
    CHECK(v.at("paths").at(1).as_string() == "/caf\xC3\xA9/\xEF\xBF\xBD\xEF\xBF\xBD.data");
}

TEST_CASE("html_opts_out and inject_reload stay linear on a page of 200,000 unclosed <meta tags") {
    // Each "<meta" scanned to the one '>' at the end was quadratic: minutes for this 1 MB page.
    std::string page;
    for (int i = 0; i < 200000; ++i) page += "<meta";
    page += ">";
    CHECK_FALSE(html_opts_out(page));
    CHECK(inject_reload(page, "t").size() > page.size());
}

TEST_CASE("injection_point: a '<head' that is not a real tag is skipped (script, attribute, comment, raw text)") {
    struct Row {
        std::string_view what;
        std::string_view html;
        std::string_view before;  // what precedes the script tag
    };
    Row const rows[] = {
        {"a string in an inline script", "<html><script>var s = \"<head>\";</script><head><title>t</title>",
         "<html><script>var s = \"<head>\";</script><head>"},
        {"a script before <html>", "<!doctype html><script>document.write('<html>')</script><html lang=en>",
         "<!doctype html><script>document.write('<html>')</script><html lang=en>"},
        {"a script's end tag in another case", "<SCRIPT>x='<head>'</Script ><head>",
         "<SCRIPT>x='<head>'</Script ><head>"},
        {"an attribute value", "<html><body data-x=\"<head>\"><head>", "<html><body data-x=\"<head>\"><head>"},
        {"a single-quoted attribute value with '>'", "<html><div title='a > <head>'>x</div>", "<html>"},
        {"a comment", "<!-- <head> --><html><head>", "<!-- <head> --><html><head>"},
        {"a comment holding '>' and '--'", "<!-- a > b -- <head> --><head>", "<!-- a > b -- <head> --><head>"},
        {"a textarea", "<html><textarea><head></textarea><head>", "<html><textarea><head></textarea><head>"},
        {"a title", "<title><head></title><head>", "<title><head></title><head>"},
        {"a style sheet", "<style>/* <head> */</style><head>", "<style>/* <head> */</style><head>"},
        {"<header> is not <head>", "<header>x</header><head>", "<header>x</header><head>"},
        {"<head/> self-closed", "<HEAD/><title>", "<HEAD/>"},
        {"a doctype's quoted id with '>'", "<!DOCTYPE html SYSTEM \"about:legacy-compat\"><p>",
         "<!DOCTYPE html SYSTEM \"about:legacy-compat\">"},
        {"an unclosed comment", "<html><!-- <head>", "<html>"},
        {"an unclosed script", "<p>x</p><script>'<head>'", "<p>x</p><script>'<head>'"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.what);
        CAPTURE(row.html);
        CHECK(row.html.substr(0, injection_point(row.html)) == row.before);
    }
}

TEST_CASE("inject_reload leaves pages that are not UTF-8 as they are") {
    using namespace std::string_literals;
    struct Row {
        std::string_view what;
        std::string html;
        bool injected;
    };
    Row const rows[] = {
        {"UTF-16 LE with its BOM", "\xFF\xFE<\0h\0e\0a\0d\0>\0"s, false},
        {"UTF-16 BE with its BOM", "\xFE\xFF\0<\0h\0e\0a\0d\0>"s, false},
        {"UTF-32 BE with its BOM", "\0\0\xFE\xFF\0\0\0<"s, false},
        {"UTF-16 LE without a BOM (NUL bytes)", "<\0h\0t\0m\0l\0>\0"s, false},
        {"meta charset naming another encoding", "<head><meta charset=\"shift_jis\">", false},
        {"http-equiv naming another encoding",
         "<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-2022-JP\">", false},
        {"meta charset utf-8", "<head><meta charset=\"UTF-8\">", true},
        {"http-equiv utf-8", "<head><meta http-equiv=content-type content='text/html;charset=utf-8'>", true},
        {"UTF-8 BOM (it wins over a meta)", "\xEF\xBB\xBF<head><meta charset=\"windows-1252\">", true},
        {"no declaration", "<head><p>caf\xC3\xA9", true},
        {"a charset meta inside a comment does not count", "<!-- <meta charset=shift_jis> --><head>", true},
    };
    for (auto const& row : rows) {
        CAPTURE(row.what);
        auto const out = inject_reload(row.html, "t");
        CHECK((out != row.html) == row.injected);
        CHECK(is_utf8_page(row.html) == row.injected);
    }
}

TEST_CASE("html_opts_out: only a real <meta> tag opts out, not its text in a script, comment or attribute") {
    struct Row {
        std::string_view html;
        bool off;
    };
    Row const rows[] = {
        {R"(<script>let m = '<meta name="wasmdev-reload" content="off">';</script>)", false},
        {R"(<!-- <meta name="wasmdev-reload" content="off"> -->)", false},
        {R"(<textarea><meta name="wasmdev-reload" content="off"></textarea>)", false},
        {R"(<div title='<meta name="wasmdev-reload" content="off">'>)", false},
        {R"(<meta name="x" content="<meta name=wasmdev-reload content=off>">)", false},
        {R"(<meta content="off" data-x=">" name="wasmdev-reload">)", true},
        {R"(<meta name="wasmdev-reload" name="x" content="off">)", true},  // the first of a repeated attribute counts
        {R"(<meta name="x" name="wasmdev-reload" content="off">)", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.html);
        CHECK(html_opts_out(row.html) == row.off);
    }
}
