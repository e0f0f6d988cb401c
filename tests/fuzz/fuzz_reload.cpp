// Live reload's pure decisions (server/http/reload.cpp, html_scan.cpp) on any page and query:
// the client's tag goes in exactly once at a point inside the page and never inside a tag it
// found, an opted-out page or one not in UTF-8 is untouched, every tag the tokenizer finds
// ends at a '>', and the event stream's checks never let a request through without this
// process's token.
#include <cstdint>
#include <string>

#include "server/http/html_scan.hpp"
#include "server/http/reload.hpp"
#include "tests/fuzz/check.hpp"

using namespace wasmdev;
using fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const in(reinterpret_cast<char const*>(data), size);
    auto const [query, html] = fuzz::split_once(in);
    std::string const token = "00112233445566778899aabbccddeeff";
    auto const at = http::injection_point(html);
    check(at <= html.size(), "the injection point is inside the page", in);
    if (at > 0 && at < html.size()) check(html[at - 1] == '>', "the tag goes right after a '>'", in);
    auto const scan = http::scan_html(html);
    for (auto p : {scan.after_head, scan.after_html, scan.after_doctype})
        if (p != http::HtmlScan::none)
            check(p > 0 && p <= html.size() && html[p - 1] == '>', "a tag found ends at its '>'", in);
    auto const out = http::inject_reload(html, token);
    if (http::html_opts_out(html) || !http::is_utf8_page(html)) {
        check(out == html, "an opted-out page, or one not in UTF-8, is untouched", in);
    } else {
        auto const tag = http::reload_script_tag(token);
        check(out.size() == html.size() + tag.size(), "exactly one tag is added", in);
        check(out.substr(0, at) == html.substr(0, at) && out.substr(at, tag.size()) == tag &&
                  out.substr(at + tag.size()) == html.substr(at),
              "the page is the same around the tag", in);
        // The tag went in between tags: the page's own tags are where they were.
        auto const again = http::scan_html(out);
        if (scan.after_head != http::HtmlScan::none && scan.after_head <= at)
            check(again.after_head == scan.after_head, "the tag goes after the head, not inside it", in);
    }
    auto const etag = http::reload_etag("\"" + std::string(query.substr(0, 40)) + "\"", token);
    check(etag.front() == '"' && etag.back() == '"', "the injected ETag is quoted", in);

    http::Config cfg;
    cfg.reload.enabled = true;
    cfg.reload.token = token;
    http::RequestHead req;
    req.method = "GET";
    req.fields.emplace_back("Host", "localhost:8000");
    req.fields.emplace_back("Origin", html.substr(0, 64));
    auto const refused = http::check_event_request(req, query, cfg, 0);
    auto const given = http::query_param(query, "token");
    if (!refused) check(given && *given == token, "a stream is opened only with this process's token", in);
    return 0;
}
