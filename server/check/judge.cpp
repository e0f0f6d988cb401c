// The judges of `wasmdev check` (judge.hpp; the rules and their reasons: docs/check.md#rules).
#include "server/check/judge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "mime/mime.hpp"
#include "server/check/url.hpp"
#include "server/text/ascii.hpp"

namespace wasmdev::check {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_ok(int status) { return status >= 200 && status < 300; }

// Kinds without which the page does not run.
bool required(Kind k) {
    return k == Kind::page || k == Kind::script || k == Kind::module || k == Kind::worker || k == Kind::wasm ||
           k == Kind::data;
}

// The file name: the last segment of the URL's path.
std::string file_name(std::string_view url) {
    auto path = path_of(url);
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// What mime/'s table says this resource should be sent as.
std::string expected_type(Observed const& o) {
    if (o.kind == Kind::page) return std::string(mime::type_for("index.html"));
    auto name = file_name(o.url);
    if (auto const* e = mime::lookup(name)) return std::string(e->type);
    if (o.kind == Kind::script || o.kind == Kind::module || o.kind == Kind::worker)
        return std::string(mime::type_for("x.js"));
    if (o.kind == Kind::wasm) return std::string(mime::type_for("x.wasm"));
    return {};
}

struct CacheControl {
    bool present = false;
    bool no_cache = false, no_store = false, must_revalidate = false, immutable = false;
    std::optional<std::uint64_t> max_age{};
};
CacheControl parse_cache_control(std::vector<Header> const& headers) {
    CacheControl cc;
    auto value = combined_header(headers, "Cache-Control");
    if (!value) return cc;
    cc.present = true;
    std::string_view rest = *value;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        auto item = text::trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        auto eq = item.find('=');
        auto name = text::lowercase(text::trim(item.substr(0, eq)));
        auto arg = eq == std::string_view::npos ? std::string_view{} : text::trim(item.substr(eq + 1), " \t\"");
        if (name == "no-cache")
            cc.no_cache = true;
        else if (name == "no-store")
            cc.no_store = true;
        else if (name == "must-revalidate")
            cc.must_revalidate = true;
        else if (name == "immutable")
            cc.immutable = true;
        else if (name == "max-age" || name == "s-maxage") {
            std::uint64_t n = 0;
            auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), n);
            if (ec == std::errc{} && p == arg.data() + arg.size() && name == "max-age") cc.max_age = n;
        }
    }
    return cc;
}

Problem make(Severity s, Observed const& o, std::string_view topic, std::string what, std::string fix) {
    return Problem{s, o.url, std::string(topic), std::move(what), std::move(fix)};
}

void judge_status(Observed const& o, std::vector<Problem>& out, Context const& ctx) {
    auto const sev = required(o.kind) ? Severity::error : Severity::warning;
    if (!o.error.empty()) {
        bool const tls = o.error.starts_with("TLS");
        out.push_back(make(sev, o, "fetch", fmt::format("could not be fetched: {}", o.error),
                           tls ? "serve a certificate that browsers trust for this host name (wasmdev serve --tls: "
                                 "install its CA where the browser runs, docs/https.md)"
                               : "make the URL reachable from the browser's network"));
        return;
    }
    if (is_ok(o.status)) return;
    // check asks another origin with HEAD only; a server that refuses HEAD says nothing of GET.
    if (o.cross_origin && (o.status == 405 || o.status == 501)) {
        out.push_back(
            make(Severity::note, o, "status",
                 fmt::format("answers HEAD with {}: another origin is not fetched with GET, so not checked", o.status),
                 "--browser loads it as the page does"));
        return;
    }
    if (o.status >= 300 && o.status < 400) {
        out.push_back(
            make(sev, o, "status",
                 fmt::format("answers {} (a redirect check did not follow: to another origin, or too many)", o.status),
                 "link the final URL, or serve the file at this URL"));
        return;
    }
    out.push_back(make(sev, o, "status", fmt::format("answers {}", o.status),
                       o.status == 404 ? "deploy the file at this URL (or fix the reference that names it)"
                                       : "fix the server's answer for this URL"));
}

void judge_mime(Observed const& o, std::vector<Problem>& out, Context const& ctx) {
    if (!is_ok(o.status)) return;
    auto expected = expected_type(o);
    if (expected.empty()) return;
    auto sent_field = combined_header(o.headers, "Content-Type");
    std::string sent = sent_field ? *sent_field : std::string();
    if (essence(sent) == essence(expected)) return;
    auto shown = sent.empty() ? std::string("no Content-Type") : fmt::format("Content-Type: {}", sent);
    auto fix = fmt::format("send Content-Type: {} for .{} files; {}", expected,
                           file_name(o.url).substr(file_name(o.url).rfind('.') + 1), deploy_hint(ctx.deploy_format));
    bool const nosniff = text::iequals(combined_header(o.headers, "X-Content-Type-Options").value_or(""), "nosniff");
    switch (o.kind) {
        case Kind::page:
            out.push_back(make(Severity::error, o, "mime",
                               fmt::format("{}: the browser will not render it as HTML", shown), fix));
            return;
        case Kind::wasm:
            out.push_back(make(Severity::error, o, "mime",
                               fmt::format("{}: WebAssembly.instantiateStreaming and compileStreaming reject it "
                                           "(only application/wasm streams)",
                                           shown),
                               fix));
            return;
        case Kind::script:
        case Kind::module:
        case Kind::worker:
            if (is_javascript_type(sent)) {
                out.push_back(make(Severity::note, o, "mime",
                                   fmt::format("{}: browsers run it, but the table says {}", shown, expected), fix));
            } else if (o.kind != Kind::script || nosniff) {
                out.push_back(
                    make(Severity::error, o, "mime",
                         fmt::format("{}: {} refuses to run it (strict MIME type checking)", shown,
                                     o.kind == Kind::script ? "X-Content-Type-Options: nosniff" : "the browser"),
                         fix));
            } else {
                out.push_back(make(Severity::warning, o, "mime",
                                   fmt::format("{}: runs only because it is not sent with nosniff", shown), fix));
            }
            return;
        default:
            out.push_back(
                make(Severity::warning, o, "mime", fmt::format("{}, the table says {}", shown, expected), fix));
    }
}

// A COOP/COEP/CORP value the browser cannot parse is as good as absent.
void judge_policy_syntax(Observed const& o, std::vector<Problem>& out, Context const& ctx) {
    for (std::string_view name :
         {"Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy", "Cross-Origin-Resource-Policy"}) {
        auto p = parse_policy(o.headers, name);
        if (p.state != PolicyValue::State::invalid) continue;
        bool const doubled = p.raw.find(',') != std::string::npos;
        bool const matters = o.kind == Kind::page || o.kind == Kind::worker ||
                             (name == "Cross-Origin-Resource-Policy" && o.cross_origin);
        auto what = fmt::format("{}: {} is {}: the browser ignores the header, as if it were not sent", name, p.raw,
                                doubled ? "a list (the header is added twice: by the application and the server "
                                          "config, or by two config layers)"
                                        : "not a value it knows");
        auto fix = doubled ? fmt::format("send {} once; remove one of the places that adds it ({})", name,
                                         deploy_hint(ctx.deploy_format))
                           : fmt::format("send a valid {}; {}", name, deploy_hint(ctx.deploy_format));
        out.push_back(make(matters && ctx.isolation_required ? Severity::error : Severity::warning, o, "header",
                           std::move(what), std::move(fix)));
    }
}

void judge_compression(Observed const& o, std::vector<Problem>& out, Context const& ctx) {
    if (o.status != 200 || o.cross_origin) return;
    auto name = file_name(o.url);
    bool const compressible = o.kind == Kind::page || o.kind == Kind::script || o.kind == Kind::module ||
                              o.kind == Kind::worker || o.kind == Kind::wasm || o.kind == Kind::data ||
                              mime::is_compressible(name);
    if (!compressible) return;
    auto coding = text::lowercase(combined_header(o.headers, "Content-Encoding").value_or(""));
    if (!coding.empty() && coding != "identity") return;
    auto size = body_size(o);
    if (size <= compress_min_bytes) return;
    bool const big_kind = o.kind == Kind::wasm || o.kind == Kind::data || o.kind == Kind::script ||
                          o.kind == Kind::module || o.kind == Kind::worker;
    out.push_back(make(big_kind ? Severity::warning : Severity::note, o, "compression",
                       fmt::format("{} bytes sent uncompressed although the request offered br and gzip", size),
                       fmt::format("compress {} responses (or deploy .br/.gz sidecars); {}",
                                   o.kind == Kind::page ? std::string("HTML") : "." + name.substr(name.rfind('.') + 1),
                                   deploy_hint(ctx.deploy_format))));
}

void judge_caching(Observed const& o, std::vector<Problem>& out, Context const& ctx) {
    if (!is_ok(o.status) || o.cross_origin) return;
    auto cc = parse_cache_control(o.headers);
    if (o.kind == Kind::page) {
        bool const revalidates = cc.no_cache || cc.no_store || (cc.max_age && *cc.max_age == 0 && cc.must_revalidate);
        if (!revalidates)
            out.push_back(
                make(Severity::warning, o, "cache",
                     cc.present ? fmt::format("Cache-Control: {} lets browsers show an old page after a deploy",
                                              combined_header(o.headers, "Cache-Control").value_or(""))
                                : "no Cache-Control: browsers cache the page by heuristics and may show an "
                                  "old one after a deploy",
                     fmt::format("send Cache-Control: no-cache on HTML; {}", deploy_hint(ctx.deploy_format))));
        return;
    }
    bool const long_lived = cc.immutable || (cc.max_age && *cc.max_age >= long_lived_seconds);
    bool const hashed = is_content_hashed(file_name(o.url));
    if (long_lived && !hashed && !cc.no_cache)
        out.push_back(make(Severity::warning, o, "cache",
                           fmt::format("Cache-Control: {} on a name without a content hash: after a deploy browsers "
                                       "keep the old bytes beside new ones (an old .js with a new .wasm fails to link)",
                                       combined_header(o.headers, "Cache-Control").value_or("")),
                           fmt::format("cache long only names with a content hash (app.3f2a9c1e.js), send no-cache "
                                       "for the others; {}",
                                       deploy_hint(ctx.deploy_format))));
}

void judge_ranges(Observed const& o, std::vector<Problem>& out, Context const& ctx) {
    if (!is_ok(o.status) || o.cross_origin) return;
    if (o.kind != Kind::wasm && o.kind != Kind::data && o.kind != Kind::source_map) return;
    if (o.identity_size.value_or(body_size(o)) < large_file_bytes) return;
    bool const accepts = text::iequals(combined_header(o.headers, "Accept-Ranges").value_or(""), "bytes");
    if (o.range_status ? *o.range_status == 206 : accepts) return;
    out.push_back(make(Severity::warning, o, "ranges",
                       o.range_status ? fmt::format("a Range request got {} instead of 206", *o.range_status)
                                      : "no Accept-Ranges: bytes",
                       fmt::format("serve byte ranges for large files (DevTools loads DWARF by ranges, interrupted "
                                   "downloads resume with them); {}",
                                   deploy_hint(ctx.deploy_format))));
}

bool secure_context(std::string_view url) {
    auto t = origin_of(url);
    if (t.starts_with("https://")) return true;
    auto host = host_of(url);
    return host == "localhost" || ends_with(host, ".localhost") || host == "127.0.0.1" || host == "[::1]" ||
           host.starts_with("127.");
}

bool isolating_coep(PolicyValue const& p) {
    return p.state == PolicyValue::State::valid && (p.token == "require-corp" || p.token == "credentialless");
}

std::string describe(PolicyValue const& p) {
    switch (p.state) {
        case PolicyValue::State::absent: return "not sent";
        case PolicyValue::State::invalid: return fmt::format("invalid ({})", p.raw);
        case PolicyValue::State::valid: return p.token;
    }
    return {};
}

}  // namespace

std::string_view to_string(Severity s) {
    switch (s) {
        case Severity::error: return "error";
        case Severity::warning: return "warning";
        case Severity::note: return "note";
    }
    return "note";
}

std::string essence(std::string_view content_type) {
    return text::lowercase(text::trim(content_type.substr(0, content_type.find(';'))));
}

bool is_javascript_type(std::string_view content_type) {
    // The browser's list, not an extension table: mime/ says what we send, this says what a
    // browser runs (WHATWG MIME Sniffing, "JavaScript MIME type").
    static constexpr std::string_view js_types[] = {
        "application/ecmascript", "application/javascript", "application/x-ecmascript", "application/x-javascript",
        "text/ecmascript",        "text/javascript",        "text/javascript1.0",       "text/javascript1.1",
        "text/javascript1.2",     "text/javascript1.3",     "text/javascript1.4",       "text/javascript1.5",
        "text/jscript",           "text/livescript",        "text/x-ecmascript",        "text/x-javascript"};
    auto e = essence(content_type);
    return std::find(std::begin(js_types), std::end(js_types), e) != std::end(js_types);
}

PolicyValue parse_policy(std::vector<Header> const& headers, std::string_view name) {
    PolicyValue p;
    auto raw = combined_header(headers, name);
    if (!raw) return p;
    p.raw = *raw;
    // One sf-item: a token, then optional ";key=value" parameters (report-to="...").
    std::string_view item = text::trim(*raw);
    auto semi = item.find(';');
    auto token = text::trim(item.substr(0, semi));
    bool ok = !token.empty() && item.find(',') == std::string_view::npos;
    for (char c : token)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            ok = false;
    p.state = ok ? PolicyValue::State::valid : PolicyValue::State::invalid;
    if (ok) p.token = text::lowercase(token);
    // A token the browser does not know is parsed and then ignored: the same outcome as a bad list.
    static constexpr std::string_view known[] = {
        "same-origin",  "same-origin-allow-popups", "unsafe-none", "noopener-allow-popups",
        "require-corp", "credentialless",           "same-site",   "cross-origin"};
    if (ok && std::find(std::begin(known), std::end(known), p.token) == std::end(known)) {
        p.state = PolicyValue::State::invalid;
        p.token.clear();
    }
    return p;
}

bool is_content_hashed(std::string_view path) {
    auto name = path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
    // [.-][0-9a-fA-F]{8,}(\.[A-Za-z0-9]+)+$ : find a separator followed by 8+ hex digits
    // that run up to a dot, and only extensions after that dot.
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (name[i] != '.' && name[i] != '-') continue;
        std::size_t j = i + 1;
        while (j < name.size() && text::hex_value(name[j]) >= 0) ++j;
        if (j - i - 1 < 8 || j >= name.size() || name[j] != '.') continue;
        bool exts = true;
        std::size_t k = j;
        while (k < name.size()) {
            if (name[k] != '.') {
                exts = false;
                break;
            }
            std::size_t m = k + 1;
            while (m < name.size() && std::isalnum(static_cast<unsigned char>(name[m]))) ++m;
            if (m == k + 1) {
                exts = false;
                break;
            }
            k = m;
        }
        if (exts) return true;
    }
    return false;
}

std::string suggest_format(std::string_view server_header, std::string_view host) {
    auto h = text::lowercase(host);
    if (ends_with(h, ".github.io")) return "github-pages";
    if (ends_with(h, ".netlify.app")) return "netlify";
    if (ends_with(h, ".pages.dev")) return "cloudflare";
    if (ends_with(h, ".vercel.app")) return "vercel";
    if (ends_with(h, ".web.app") || ends_with(h, ".firebaseapp.com")) return "firebase";
    auto s = text::lowercase(server_header);
    if (s.starts_with("nginx")) return "nginx";
    if (s.starts_with("apache")) return "apache";
    if (s.starts_with("caddy")) return "caddy";
    if (s.starts_with("netlify")) return "netlify";
    if (s.starts_with("cloudflare")) return "cloudflare";
    if (s.starts_with("vercel")) return "vercel";
    if (s.starts_with("github.com")) return "github-pages";
    return {};
}

std::string deploy_hint(std::string_view format) {
    if (format.empty())
        return "`wasmdev deploy --format netlify|cloudflare|vercel|firebase|github-pages|apache|nginx|caddy` writes "
               "the config that does";
    return fmt::format("`wasmdev deploy --format {}` writes the config that does", format);
}

std::vector<Problem> judge_resource(Observed const& o, Context const& ctx) {
    std::vector<Problem> out;
    judge_status(o, out, ctx);
    if (!o.error.empty()) return out;
    judge_mime(o, out, ctx);
    judge_policy_syntax(o, out, ctx);
    judge_compression(o, out, ctx);
    judge_caching(o, out, ctx);
    judge_ranges(o, out, ctx);
    return out;
}

IsolationVerdict judge_isolation(std::vector<Observed> const& all, Context const& ctx) {
    IsolationVerdict v;
    auto const sev = ctx.isolation_required ? Severity::error : Severity::note;
    auto page = std::find_if(all.begin(), all.end(), [](auto const& o) { return o.kind == Kind::page; });
    if (page == all.end() || !is_ok(page->status)) return v;
    auto hint = deploy_hint(ctx.deploy_format);
    auto coop = parse_policy(page->headers, "Cross-Origin-Opener-Policy");
    auto coep = parse_policy(page->headers, "Cross-Origin-Embedder-Policy");
    bool const coop_ok = coop.state == PolicyValue::State::valid && coop.token == "same-origin";
    bool const coep_ok = isolating_coep(coep);
    bool const secure = secure_context(page->url);
    v.isolated = coop_ok && coep_ok && secure;
    std::string const why = " (SharedArrayBuffer and wasm threads need crossOriginIsolated)";
    if (!coop_ok)
        v.problems.push_back(
            make(sev, *page, "isolation",
                 fmt::format("Cross-Origin-Opener-Policy is {}: not cross-origin isolated{}", describe(coop), why),
                 fmt::format("send Cross-Origin-Opener-Policy: same-origin on the page; {}", hint)));
    if (!coep_ok)
        v.problems.push_back(
            make(sev, *page, "isolation",
                 fmt::format("Cross-Origin-Embedder-Policy is {}: not cross-origin isolated{}", describe(coep), why),
                 fmt::format("send Cross-Origin-Embedder-Policy: require-corp (or credentialless) on "
                             "the page; {}",
                             hint)));
    if (!secure)
        v.problems.push_back(make(sev, *page, "isolation",
                                  "plain http on a host other than localhost is not a secure context: no "
                                  "crossOriginIsolated whatever the headers" +
                                      why,
                                  "serve the site over https"));
    bool const require_corp = coep.state == PolicyValue::State::valid && coep.token == "require-corp";
    auto page_origin = origin_of(page->url);
    for (auto const& o : all) {
        if (o.kind == Kind::page || !is_ok(o.status)) continue;
        if (o.kind == Kind::worker && !o.cross_origin && coep_ok &&
            !isolating_coep(parse_policy(o.headers, "Cross-Origin-Embedder-Policy")))
            v.problems.push_back(make(sev, o, "isolation",
                                      fmt::format("worker script without Cross-Origin-Embedder-Policy (it is {}): an "
                                                  "isolated page's browser blocks the worker (or runs it without "
                                                  "SharedArrayBuffer)",
                                                  describe(parse_policy(o.headers, "Cross-Origin-Embedder-Policy"))),
                                      fmt::format("send Cross-Origin-Embedder-Policy: require-corp on worker scripts "
                                                  "too, not only on HTML; {}",
                                                  hint)));
        if (!o.cross_origin || !coep_ok) continue;
        auto acao = combined_header(o.headers, "Access-Control-Allow-Origin").value_or("");
        bool const cors = acao == "*" || acao == page_origin || origin_of(acao) == page_origin;
        // Module scripts and workers are fetched in CORS mode: CORP does not help them.
        bool const cors_mode = o.kind == Kind::module || o.kind == Kind::worker;
        auto corp = parse_policy(o.headers, "Cross-Origin-Resource-Policy");
        bool const corp_ok = corp.state == PolicyValue::State::valid && corp.token == "cross-origin";
        bool blocked = cors_mode ? !cors : (require_corp && !corp_ok && !cors);
        if (blocked)
            v.problems.push_back(make(
                Severity::error, o, "isolation",
                cors_mode ? fmt::format("a cross-origin {} without Access-Control-Allow-Origin for {}: the browser "
                                        "blocks it",
                                        to_string(o.kind), page_origin)
                          : fmt::format("cross-origin, without Cross-Origin-Resource-Policy: cross-origin (it is {}) "
                                        "or CORS: blocked by the page's COEP require-corp",
                                        describe(corp)),
                fmt::format("the other origin must send {} (or serve the file from the page's origin)",
                            cors_mode ? "Access-Control-Allow-Origin" : "Cross-Origin-Resource-Policy: cross-origin")));
    }
    return v;
}

bool page_works(std::vector<Problem> const& problems) {
    return std::none_of(problems.begin(), problems.end(), [](auto const& p) { return p.severity == Severity::error; });
}

}  // namespace wasmdev::check
