#include "server/deploy/host_rules.hpp"

#include <fmt/format.h>

#include <array>

#include "mime/mime.hpp"
#include "server/http/policy.hpp"
#include "server/text/terminal_escape.hpp"

namespace wasmdev::deploy::detail {

std::vector<std::pair<std::string_view, std::string_view>> declared_types() {
    std::vector<std::pair<std::string_view, std::string_view>> out;
    for (auto const& e : mime::table())
        if (e.wasm_relevant && !e.type.starts_with("text/html")) out.emplace_back(e.extension, e.type);
    return out;
}

std::vector<HostRule> host_rules(RenderOptions const& o, std::string const& all_paths,
                                 std::string (*type_pattern)(std::string_view)) {
    std::vector<HostRule> rules;
    HostRule all{all_paths, {}};
    for (auto const& [name, value] : http::policy_headers(o.policy)) all.headers.emplace_back(name, value);
    rules.push_back(std::move(all));
    for (auto const& [ext, type] : declared_types())
        rules.push_back({type_pattern(ext), {{"Content-Type", std::string(type)}}});
    return rules;
}

std::span<std::string_view const> netlify_refused_names() {
    static constexpr std::array<std::string_view, 14> names{
        "Accept-Ranges", "Age",  "Allow",    "Alt-Svc", "Connection", "Content-Encoding",  "Content-Length",
        "Content-Range", "Date", "Location", "Server",  "Trailer",    "Transfer-Encoding", "Upgrade"};
    return names;
}

namespace {
bool is_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        char32_t cp = 0;
        auto const n = text::utf8_sequence(s.substr(i), cp);
        if (n == 0) return false;
        i += n;
    }
    return true;
}
}  // namespace

Verdict host_verdict(RenderOptions const& o, std::string_view host, std::span<std::string_view const> refused,
                     std::span<std::string_view const> warned, bool cache_pattern) {
    Verdict v;
    for (auto const& [name, value] : o.policy.extra_headers) {
        // JSON, TOML and JavaScript are Unicode text; a _headers file is read as UTF-8 too.
        if (!is_utf8(value))
            return {fmt::format("{} reads its config as UTF-8 text, and the value of \"{}\" is not well-formed UTF-8",
                                host, name),
                    {}};
        for (auto r : refused)
            if (http::iequals(name, r))
                return {fmt::format("{} sets \"{}\" itself and ignores a custom value for it", host, name), {}};
        for (auto w : warned)
            if (http::iequals(name, w))
                v.warnings.push_back(fmt::format("{} may override the \"{}\" header with its own", host, name));
    }
    if (o.cache && !cache_pattern)
        return {fmt::format("{} has no path pattern for content-hashed names, so --cache cannot be expressed there "
                            "(leave it out; the policy's Cache-Control stays)",
                            host),
                {}};
    if (o.precompressed)
        v.warnings.push_back(
            fmt::format("{} compresses responses by itself (gzip, brotli); --precompressed changes "
                        "nothing in this file",
                        host));
    return v;
}

std::string headers_file(std::string_view comment, std::vector<HostRule> const& rules) {
    std::string out(comment);
    for (auto const& r : rules) {
        out += fmt::format("\n{}\n", r.pattern);
        for (auto const& [name, value] : r.headers) out += fmt::format("  {}: {}\n", name, value);
    }
    return out;
}

}  // namespace wasmdev::deploy::detail
