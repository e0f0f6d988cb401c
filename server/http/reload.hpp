// The HTTP decisions of live reload (docs/design.md#live-reload, docs/reload.md): who may open the event
// stream (/__wasmdev/events: the process's token, a same-origin Origin and Sec-Fetch-Site),
// and how an HTML page carries the client (where its <script> goes, the opt-outs, the
// injected representation's ETag). Pure; reading the file and streaming events are others'.
#pragma once
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/http/config.hpp"
#include "server/http/request.hpp"

namespace wasmdev::http {

// Why an event-stream request is refused: a status (403, 404, 503) and a one-line cause.
struct Refusal {
    unsigned status = 403;
    std::string cause{};
};

// The checks of GET /__wasmdev/events?token=T, after the handler's Host check. query is the
// target's (still percent-encoded); open_streams the streams open now.
std::optional<Refusal> check_event_request(RequestHead const& req, std::string_view query, Config const& cfg,
                                           std::size_t open_streams);

// The value of a query parameter (the first; not decoded), or nullopt.
std::optional<std::string_view> query_param(std::string_view query, std::string_view name);

// `?wasmdev-reload=off` on the page's URL.
bool query_opts_out(std::string_view query);
// A real <meta name="wasmdev-reload" content="off"> tag in the page (any quoting, any case,
// any attribute order); its text inside a script, a comment, an attribute or a <textarea> is
// not one (html_scan.hpp says what the tokenizer follows).
bool html_opts_out(std::string_view html);

// Whether the page's bytes are UTF-8 (or ASCII), as far as can be told without decoding:
// no UTF-16/UTF-32 byte order mark, no NUL byte in its first 1024 bytes, and no real
// <meta charset> or http-equiv Content-Type naming another encoding (a UTF-8 BOM wins over
// a declaration, as in browsers). Only such a page gets the ASCII tag (docs/reload.md).
bool is_utf8_page(std::string_view html);

// Where the client's <script> goes: after the real <head> start tag; without one, after
// <html>; without that, after the doctype; else at the end (a fragment: the parser puts it
// in the body). "Real": what a browser's tokenizer takes for that tag (html_scan.hpp).
std::size_t injection_point(std::string_view html);

// `<script src="/__wasmdev/reload.js?token=T" defer></script>`: a same-origin script, so a
// page's CSP `script-src 'self'` allows it (an inline snippet would need 'unsafe-inline').
std::string reload_script_tag(std::string_view token);

// The page with the client, or as it is when the page opts out by its meta tag or is not
// UTF-8. One pass of the tokenizer, linear in the page.
std::string inject_reload(std::string_view html, std::string_view token);

// The injected representation's ETag: the file's (per coding) with a suffix derived from the
// process's token, so it differs from the plain page's and from another process's injected
// page, and a 304 never pairs a cached page with a token this process does not accept.
std::string reload_etag(std::string_view etag, std::string_view token);

// The name of this process's injected pages in the compression cache (a non-zero hash of the
// token): a page made for another token is another body.
std::uint64_t reload_variant(std::string_view token);

// Whether this response of a file is the injected page: reload on, an HTML type, not opted
// out by the query, and not larger than the bound below (then it goes as it is).
inline constexpr std::uint64_t max_injected_bytes = 4u << 20;
bool wants_injection(ReloadOptions const& reload, std::string_view type, std::string_view query, std::uint64_t size);

// The event stream's framing: one Server-Sent Events message naming what changed
// ({"all":false,"paths":["/a.js"]}), and the comment that keeps an idle stream alive.
std::string change_event(bool all, std::span<std::string const> paths);
inline constexpr std::string_view stream_preamble = "retry: 1000\n: wasmdev live reload\n\n";
inline constexpr std::string_view heartbeat_event = ": ping\n\n";

}  // namespace wasmdev::http
