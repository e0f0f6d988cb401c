// The judges of `wasmdev check`: from what a response said (status, header fields, URL, why
// the page loads it), whether a browser will use it as the page needs, and if not, the fix.
// Pure: no sockets, no clock; every input yields problems, never an exception. What each
// rule checks and why is in docs/check.md#rules.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/check/resource.hpp"

namespace wasmdev::check {

// error: the page will not work as built (a missing file, a type the browser refuses, no
// cross-origin isolation when it is required); warning: it works, slower or stale after a
// deploy; note: worth knowing, nothing to fix.
enum class Severity { error, warning, note };
std::string_view to_string(Severity s);

struct Problem {
    Severity severity = Severity::note;
    std::string url{};
    std::string topic{};  // status, fetch, mime, header, isolation, compression, cache, ranges
    std::string what{};   // what a browser will do with it
    std::string fix{};    // what to change, naming the wasmdev deploy format when a config sets it
};

struct Context {
    std::string page_url{};
    bool isolation_required = true;  // --no-isolation: the page needs no SharedArrayBuffer
    std::string deploy_format{};     // the format to name in fixes; empty: every format
};

// Bodies of compressible types above this size should be compressed on the wire.
inline constexpr std::uint64_t compress_min_bytes = 1024;
// Files from this size should answer ranges (DevTools' DWARF loading, resumed downloads).
inline constexpr std::uint64_t large_file_bytes = std::uint64_t(1) << 20;
// A max-age from this long is "long-lived": a deploy then leaves browsers on the old bytes.
inline constexpr std::uint64_t long_lived_seconds = 86400;

// A COOP/COEP/CORP field as a browser parses it: a structured-field item (RFC 8941), so a
// list ("same-origin, same-origin": two fields, or one value added twice) is invalid and
// the browser ignores the header.
struct PolicyValue {
    enum class State { absent, valid, invalid } state = State::absent;
    std::string token{};  // the item's token when valid, lowercased
    std::string raw{};    // the combined field value as received
};
PolicyValue parse_policy(std::vector<Header> const& headers, std::string_view name);

// A content hash in the file name: "app.3f2a9c1e.js", "python-0123abcd.wasm" (the same rule
// `wasmdev htaccess --cache` uses: [.-] then 8+ hex digits then extensions).
bool is_content_hashed(std::string_view path);

// The deploy format a host suggests by its name (*.github.io, *.netlify.app, *.pages.dev,
// *.vercel.app, *.web.app) or its Server field (nginx, Apache, Caddy, Netlify, cloudflare,
// Vercel, GitHub.com); empty when neither says.
std::string suggest_format(std::string_view server_header, std::string_view host);

// "`wasmdev deploy --format nginx` writes it" or, without a format, the list of formats.
std::string deploy_hint(std::string_view format);

// Per resource: status, MIME type, the policy fields' syntax, compression, caching, ranges.
std::vector<Problem> judge_resource(Observed const& o, Context const& ctx);

// The page as a whole: will it be cross-origin isolated (COOP same-origin and COEP
// require-corp/credentialless on the page, a secure context, COEP on every worker script),
// and will COEP block a cross-origin subresource (no CORP cross-origin, no CORS).
struct IsolationVerdict {
    bool isolated = false;
    std::vector<Problem> problems{};
};
IsolationVerdict judge_isolation(std::vector<Observed> const& all, Context const& ctx);

// The media type without parameters, lowercased: "text/html; charset=utf-8" → "text/html".
std::string essence(std::string_view content_type);

// Whether browsers run a script served with this type (WHATWG MIME Sniffing's JavaScript
// MIME type essence match).
bool is_javascript_type(std::string_view content_type);

// True when no problem is an error.
bool page_works(std::vector<Problem> const& problems);

}  // namespace wasmdev::check
