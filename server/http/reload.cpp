#include "server/http/reload.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "server/http/policy.hpp"

namespace wasmdev::http {
namespace {

char lower(char c) { return char(std::tolower(static_cast<unsigned char>(c))); }

// Case-insensitive find of an ASCII needle, from pos.
std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t pos = 0) {
    if (needle.size() > hay.size()) return std::string_view::npos;
    for (std::size_t i = pos; i + needle.size() <= hay.size(); ++i) {
        bool match = true;
        for (std::size_t k = 0; k < needle.size() && match; ++k) match = lower(hay[i + k]) == lower(needle[k]);
        if (match) return i;
    }
    return std::string_view::npos;
}

// The position just after the first tag named `name` (`<head>`, `<head lang=x>`, not
// `<header>`), or npos.
std::size_t after_tag(std::string_view html, std::string_view name) {
    for (auto at = ifind(html, name); at != std::string_view::npos; at = ifind(html, name, at + 1)) {
        auto const next = at + name.size();
        if (next >= html.size()) return std::string_view::npos;
        char const c = html[next];
        if (c != '>' && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '/') continue;
        auto const close = html.find('>', next);
        return close == std::string_view::npos ? std::string_view::npos : close + 1;
    }
    return std::string_view::npos;
}

// Constant-time comparison: the token's bytes are not revealed by how long a refusal takes.
bool same_secret(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

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
    if (!cfg.reload) return Refusal{404, "Live reload is off (--no-reload, or serve without --reload)."};
    auto const token = query_param(query, "token");
    if (!token || cfg.reload_token.empty() || !same_secret(*token, cfg.reload_token))
        return Refusal{403, "The live-reload token is missing or belongs to another wasmdev process: reload the page."};
    // A page of another origin must not listen (vite's 2025 advisory): an Origin, when sent,
    // names this very Host; browsers send it on EventSource requests.
    if (auto origin = req.field("Origin")) {
        auto const host = req.field("Host").value_or(std::string_view{});
        bool same = false;
        for (std::string_view scheme : {"http://", "https://"})
            same = same || (origin->starts_with(scheme) && !host.empty() && iequals(origin->substr(scheme.size()), host));
        if (!same) return Refusal{403, "Live-reload events are for pages of this server only (the Origin differs)."};
    }
    if (auto site = req.field("Sec-Fetch-Site"); site && *site != "same-origin" && *site != "none")
        return Refusal{403, "Live-reload events are for pages of this server only (Sec-Fetch-Site is not same-origin)."};
    if (req.version < 11) return Refusal{400, "An event stream needs HTTP/1.1."};
    if (open_streams >= cfg.max_event_streams)
        return Refusal{503, "Too many live-reload streams are open; close some tabs."};
    return std::nullopt;
}

bool query_opts_out(std::string_view query) {
    auto v = query_param(query, "wasmdev-reload");
    return v && (*v == "off" || *v == "0" || *v == "false");
}

bool html_opts_out(std::string_view html) {
    // Each search starts after the last tag's '>': linear, however many "<meta" a page holds.
    for (auto at = ifind(html, "<meta"), close = std::string_view::npos; at != std::string_view::npos;
         at = ifind(html, "<meta", close + 1)) {
        close = html.find('>', at);
        if (close == std::string_view::npos) return false;
        // The tag in lower case, without quotes, spaces as one, none around '=':
        // `<meta name=wasmdev-reload content=off`.
        auto tag = html.substr(at, close - at);
        if (tag.ends_with('/')) tag.remove_suffix(1);  // <meta ... />
        std::string squeezed;
        for (auto c : tag) {
            if (c == '"' || c == '\'') continue;
            if (std::isspace(static_cast<unsigned char>(c))) c = ' ';
            if (c == ' ' && (squeezed.ends_with(' ') || squeezed.ends_with('='))) continue;
            if (c == '=' && squeezed.ends_with(' ')) squeezed.pop_back();
            squeezed += lower(c);
        }
        squeezed += ' ';
        if (squeezed.find(" name=wasmdev-reload ") != std::string::npos && squeezed.find(" content=off ") != std::string::npos)
            return true;
    }
    return false;
}

std::size_t injection_point(std::string_view html) {
    for (auto name : {"<head", "<html"})
        if (auto at = after_tag(html, name); at != std::string_view::npos) return at;
    if (auto doctype = ifind(html, "<!doctype"); doctype != std::string_view::npos)
        if (auto close = html.find('>', doctype); close != std::string_view::npos) return close + 1;
    return html.size();
}

std::string reload_script_tag(std::string_view token) {
    return fmt::format("<script src=\"/__wasmdev/reload.js?token={}\" defer></script>", token);
}

std::string inject_reload(std::string_view html, std::string_view token) {
    if (html_opts_out(html)) return std::string(html);
    auto const at = injection_point(html);
    std::string out;
    auto const tag = reload_script_tag(token);
    out.reserve(html.size() + tag.size());
    out.append(html.substr(0, at)).append(tag).append(html.substr(at));
    return out;
}

std::string reload_etag(std::string_view etag, std::string_view token) {
    std::uint64_t hash = 1469598103934665603ull;  // FNV-1a: names the token without showing it
    for (unsigned char c : token) hash = (hash ^ c) * 1099511628211ull;
    auto body = etag;
    if (body.ends_with('"')) body.remove_suffix(1);
    return fmt::format("{}-r{:08x}\"", body, std::uint32_t(hash ^ (hash >> 32)));
}

bool wants_injection(Config const& cfg, std::string_view type, std::string_view query, std::uint64_t size) {
    return cfg.reload && type.starts_with("text/html") && size <= max_injected_bytes && !query_opts_out(query);
}

std::string change_event(bool all, std::span<std::string const> paths) {
    // JSON strings: the paths are file names, any bytes but '/' and NUL.
    std::string json = fmt::format("{{\"all\":{},\"paths\":[", all ? "true" : "false");
    bool first = true;
    for (auto const& p : paths) {
        json += first ? "\"" : ",\"";
        first = false;
        for (unsigned char c : p) {
            if (c == '"' || c == '\\') json += '\\', json += char(c);
            else if (c < 0x20) json += fmt::format("\\u{:04x}", c);
            else json += char(c);
        }
        json += '"';
    }
    json += "]}";
    return "event: change\ndata: " + json + "\n\n";
}

}  // namespace wasmdev::http
