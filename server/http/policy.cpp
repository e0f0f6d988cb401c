#include "server/http/policy.hpp"

#include <algorithm>

namespace wasmdev::http {

std::string_view to_string(CoepMode m) {
    switch (m) {
        case CoepMode::require_corp: return "require-corp";
        case CoepMode::credentialless: return "credentialless";
        case CoepMode::off: return "off";
    }
    return "off";
}

std::string_view to_string(CorpMode m) {
    switch (m) {
        case CorpMode::same_origin: return "same-origin";
        case CorpMode::same_site: return "same-site";
        case CorpMode::cross_origin: return "cross-origin";
        case CorpMode::off: return "off";
    }
    return "off";
}

std::optional<CoepMode> parse_coep(std::string_view s) {
    for (auto m : {CoepMode::require_corp, CoepMode::credentialless, CoepMode::off})
        if (s == to_string(m)) return m;
    return std::nullopt;
}

std::optional<CorpMode> parse_corp(std::string_view s) {
    for (auto m : {CorpMode::same_origin, CorpMode::same_site, CorpMode::cross_origin, CorpMode::off})
        if (s == to_string(m)) return m;
    return std::nullopt;
}

namespace {
bool is_tchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}
}  // namespace

std::optional<std::string> header_arg_error(std::string_view arg) {
    auto colon = arg.find(':');
    if (colon == std::string_view::npos || colon == 0) return "wants 'Name: value'";
    auto name = arg.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(), is_tchar))
        return "the name must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~, no space before the colon)";
    if (is_connection_managed(name))
        return "Content-Length, Transfer-Encoding, Connection, Keep-Alive, Upgrade, Trailer, TE and Date belong to "
               "the connection";
    if (is_derived_per_file(name))
        return "Content-Type, Content-Encoding, Content-Range, ETag and Last-Modified are set per file (mime table, "
               "codings, the file's identity); a --header would give every file the same one";
    auto value = text::trim(arg.substr(colon + 1));
    // RFC 9110 §5.5: field-vchar, SP and HTAB. CR, LF and NUL would split the response; other
    // C0 controls and DEL would reach terminals, logs and config files.
    auto const control = [](char c) { return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f; };
    if (std::any_of(value.begin(), value.end(), control)) return "the value holds a control character (only tab may)";
    return std::nullopt;
}

std::optional<std::pair<std::string, std::string>> parse_header_arg(std::string_view arg) {
    if (header_arg_error(arg)) return std::nullopt;
    auto colon = arg.find(':');
    return std::pair{std::string(arg.substr(0, colon)), std::string(text::trim(arg.substr(colon + 1)))};
}

bool is_derived_per_file(std::string_view name) {
    for (std::string_view derived : {"Content-Type", "Content-Encoding", "Content-Range", "ETag", "Last-Modified"})
        if (iequals(name, derived)) return true;
    return false;
}

bool is_connection_managed(std::string_view name) {
    for (std::string_view managed :
         {"Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "Trailer", "TE", "Date"})
        if (iequals(name, managed)) return true;
    return false;
}

void merge_header(ResponseHeaders& headers, std::string_view name, std::string_view value) {
    auto const same = [name](auto const& h) { return iequals(h.first, name); };
    auto first = std::find_if(headers.begin(), headers.end(), same);
    if (first == headers.end()) {
        headers.emplace_back(name, value);
        return;
    }
    // Vary is a list the handler needs (Accept-Encoding on compressible resources): a
    // --header Vary adds to it instead of removing what caches rely on.
    std::string merged;
    if (iequals(name, "Vary"))
        for (auto const& [n, v] : headers)
            if (iequals(n, "Vary") && !iequals(v, value)) merged += (merged.empty() ? "" : ", ") + v;
    first->second = merged.empty() ? std::string(value) : merged + ", " + std::string(value);
    // The first keeps its place (a config's lines keep their order); every later one goes.
    auto const index = first - headers.begin();
    headers.erase(std::remove_if(headers.begin() + index + 1, headers.end(), same), headers.end());
}

void apply_extra_headers(ResponseHeaders& headers, HeaderList const& extra) {
    for (auto const& [name, value] : extra) merge_header(headers, name, value);
}

ResponseHeaders builtin_policy_headers(HeaderPolicy const& cfg) {
    ResponseHeaders h;
    h.reserve(12);  // room for what the handler adds, so a response grows its list once
    // Isolation (SharedArrayBuffer, wasm threads). COEP is on every response, workers included.
    h.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
    if (cfg.coep != CoepMode::off) h.emplace_back("Cross-Origin-Embedder-Policy", std::string(to_string(cfg.coep)));
    // same-site: other dev servers on localhost may embed the build; foreign sites may not.
    if (cfg.corp != CorpMode::off) h.emplace_back("Cross-Origin-Resource-Policy", std::string(to_string(cfg.corp)));
    h.emplace_back("X-Content-Type-Options", "nosniff");
    // A dev server always revalidates, so a rebuild shows at once.
    h.emplace_back("Cache-Control", "no-cache");
    return h;
}

ResponseHeaders policy_headers(HeaderPolicy const& cfg) {
    auto h = builtin_policy_headers(cfg);
    apply_extra_headers(h, cfg.extra_headers);
    return h;
}

}  // namespace wasmdev::http
