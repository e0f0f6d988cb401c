// GitHub Pages sets no custom headers, so the policy travels as wasmdev-coi.js: one file that is
// the page's registration script and the service worker that re-issues each response with the
// policy's headers (docs/deploy.md#github-pages). The JS is wasmdev_coi.js.inc; the policy goes
// into it as JSON, which is also a JavaScript literal.
#include <fmt/format.h>

#include <boost/json.hpp>

#include "server/deploy/common.hpp"
#include "server/deploy/formats.hpp"
#include "server/deploy/host_rules.hpp"
#include "server/http/policy.hpp"

namespace wasmdev::deploy {

using namespace detail;

namespace {

constexpr std::string_view js_template =
#include "server/deploy/wasmdev_coi.js.inc"
    ;

}  // namespace

std::string render_github_pages(RenderOptions const& o) {
    boost::json::array headers;
    bool isolates = false;
    for (auto const& [name, value] : http::policy_headers(o.policy)) {
        headers.push_back(boost::json::array{name, value});
        if (http::iequals(name, "Cross-Origin-Embedder-Policy")) isolates = true;
    }
    boost::json::object policy;
    policy["headers"] = std::move(headers);
    policy["isolates"] = isolates;
    std::string js(js_template);
    auto const at = js.find("__WASMDEV_POLICY__");
    js.replace(at, std::string_view("__WASMDEV_POLICY__").size(), boost::json::serialize(policy));
    // JavaScript ends a // comment at U+2028 and U+2029 too: a --header value holding one would
    // turn the rest of its comment line into code.
    auto comment = written_by(o, "//");
    for (std::string_view separator : {"\xE2\x80\xA8", "\xE2\x80\xA9"})
        for (auto at = comment.find(separator); at != std::string::npos; at = comment.find(separator, at))
            comment.replace(at, separator.size(), separator.back() == '\xA8' ? "\\u2028" : "\\u2029");
    return comment + js;
}

Verdict check_github_pages(RenderOptions const& o) {
    // The Fetch standard's forbidden response header names: a worker cannot set them.
    for (auto const& [name, value] : o.policy.extra_headers)
        if (http::iequals(name, "Set-Cookie") || http::iequals(name, "Set-Cookie2"))
            return {fmt::format("a service worker cannot set \"{}\" (a forbidden response header name)", name), {}};
    return host_verdict(o, "GitHub Pages", {}, {}, false);
}

}  // namespace wasmdev::deploy
