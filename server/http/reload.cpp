#include "server/http/reload.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "server/http/html_scan.hpp"
#include "server/http/policy.hpp"
#include "server/json/write.hpp"
#include "server/text/fnv1a.hpp"

namespace wasmdev::http {
namespace {

// The labels the encoding standard maps to UTF-8, and ASCII's: a page declaring one of them
// is bytes a byte-wise tokenizer reads as the browser does, and the ASCII tag is valid in it.
bool is_utf8_label(std::string_view label) {
    for (std::string_view utf8 : {"utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8",
                                  "x-unicode20utf8", "us-ascii", "ascii"})
        if (iequals(label, utf8)) return true;
    return false;
}

bool is_utf8(std::string_view html, HtmlScan const& scan) {
    if (html.starts_with("\xEF\xBB\xBF")) return true;  // a UTF-8 BOM wins over any declaration
    // UTF-16 (FF FE, FE FF) and UTF-32 (FF FE 00 00, 00 00 FE FF) byte order marks; NUL bytes
    // early on are UTF-16 or UTF-32 without one (or not text at all).
    if (html.starts_with("\xFF\xFE") || html.starts_with("\xFE\xFF")) return false;
    if (html.substr(0, 1024).find('\0') != std::string_view::npos) return false;
    return !scan.declares_charset || is_utf8_label(scan.charset);
}

std::size_t injection_point(std::string_view html, HtmlScan const& scan) {
    for (auto at : {scan.after_head, scan.after_html, scan.after_doctype})
        if (at != HtmlScan::none) return at;
    return html.size();
}

// Constant-time comparison: the token's bytes are not revealed by how long a refusal takes.
bool same_secret(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

// Names the token without showing it.
std::uint64_t token_hash(std::string_view token) { return text::fnv1a(token); }

}  // namespace

std::optional<std::string_view> query_param(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        auto const amp = query.find('&');
        auto const pair = query.substr(0, amp);
        auto const eq = pair.find('=');
        if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

std::optional<Refusal> check_event_request(RequestHead const& req, std::string_view query, Config const& cfg,
                                           std::size_t open_streams) {
    if (!cfg.reload.enabled) return Refusal{404, "Live reload is off (--no-reload, or serve without --reload)."};
    auto const token = query_param(query, "token");
    if (!token || cfg.reload.token.empty() || !same_secret(*token, cfg.reload.token))
        return Refusal{403, "The live-reload token is missing or belongs to another wasmdev process: reload the page."};
    // A page of another origin must not listen (vite's 2025 advisory): an Origin, when sent,
    // names this very Host; browsers send it on EventSource requests.
    if (auto origin = req.field("Origin")) {
        auto const host = req.field("Host").value_or(std::string_view{});
        bool same = false;
        for (std::string_view scheme : {"http://", "https://"})
            same =
                same || (origin->starts_with(scheme) && !host.empty() && iequals(origin->substr(scheme.size()), host));
        if (!same) return Refusal{403, "Live-reload events are for pages of this server only (the Origin differs)."};
    }
    if (auto site = req.field("Sec-Fetch-Site"); site && *site != "same-origin" && *site != "none")
        return Refusal{403,
                       "Live-reload events are for pages of this server only (Sec-Fetch-Site is not same-origin)."};
    if (req.version < 11) return Refusal{400, "An event stream needs HTTP/1.1."};
    if (open_streams >= cfg.reload.max_event_streams)
        return Refusal{503, "Too many live-reload streams are open; close some tabs."};
    return std::nullopt;
}

bool query_opts_out(std::string_view query) {
    auto v = query_param(query, "wasmdev-reload");
    return v && (*v == "off" || *v == "0" || *v == "false");
}

bool html_opts_out(std::string_view html) { return scan_html(html).opts_out; }

bool is_utf8_page(std::string_view html) { return is_utf8(html, scan_html(html)); }

std::size_t injection_point(std::string_view html) { return injection_point(html, scan_html(html)); }

std::string reload_script_tag(std::string_view token) {
    return fmt::format("<script src=\"/__wasmdev/reload.js?token={}\" defer></script>", token);
}

std::string inject_reload(std::string_view html, std::string_view token) {
    auto const scan = scan_html(html);
    if (scan.opts_out || !is_utf8(html, scan)) return std::string(html);
    auto const at = injection_point(html, scan);
    std::string out;
    auto const tag = reload_script_tag(token);
    out.reserve(html.size() + tag.size());
    out.append(html.substr(0, at)).append(tag).append(html.substr(at));
    return out;
}

std::string reload_etag(std::string_view etag, std::string_view token) {
    auto const hash = token_hash(token);
    auto body = etag;
    if (body.ends_with('"')) body.remove_suffix(1);
    return fmt::format("{}-r{:08x}\"", body, std::uint32_t(hash ^ (hash >> 32)));
}

std::uint64_t reload_variant(std::string_view token) { return token_hash(token) | 1; }

bool wants_injection(ReloadOptions const& reload, std::string_view type, std::string_view query, std::uint64_t size) {
    return reload.enabled && type.starts_with("text/html") && size <= max_injected_bytes && !query_opts_out(query);
}

std::string change_event(bool all, std::span<std::string const> paths) {
    // The paths are file names, any bytes but '/' and NUL: json::write escapes the controls (so
    // the data stays one line) and replaces invalid UTF-8 (the page's JSON.parse needs UTF-8).
    boost::json::array list;
    for (auto const& p : paths) list.emplace_back(p);
    return "event: change\ndata: " + json::write(boost::json::object{{"all", all}, {"paths", std::move(list)}}) +
           "\n\n";
}

}  // namespace wasmdev::http
