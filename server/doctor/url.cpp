#include "server/doctor/url.hpp"

#include <cctype>

#include "server/text/ascii.hpp"
#include "server/text/percent.hpp"

namespace wasmdev::doctor {
namespace {

bool is_scheme_start(std::string_view s, std::size_t& colon) {
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
    for (std::size_t i = 1; i < s.size(); ++i) {
        char c = s[i];
        if (c == ':') {
            colon = i;
            return true;
        }
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
    }
    return false;
}

// The WHATWG path percent-encode set (controls, space, " # < > ? ` { } and non-ASCII); '#' and
// '?' never get here because they end the path.
std::string encode_path(std::string_view s) {
    return text::percent_encode(s, [](unsigned char c) {
        return !(c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '`' || c == '{' || c == '}');
    });
}

// RFC 3986 §5.2.4 on a path that starts with '/'.
std::string remove_dot_segments(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t i = 1;
    bool trailing_slash = false;
    while (i <= path.size()) {
        std::size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        auto seg = path.substr(i, j - i);
        bool const last = j == path.size();
        if (seg == ".") {
            trailing_slash = last;
        } else if (seg == "..") {
            if (!out.empty()) out.pop_back();
            trailing_slash = last;
        } else {
            out.push_back(seg);
            trailing_slash = false;
        }
        i = j + 1;
    }
    std::string r;
    for (auto seg : out) {
        r += '/';
        r += seg;
    }
    if (trailing_slash || r.empty()) r += '/';
    return r;
}

std::string_view cut_query_fragment(std::string_view s) {
    auto q = s.find_first_of("?#");
    return q == std::string_view::npos ? s : s.substr(0, q);
}

}  // namespace

std::string Url::href() const { return scheme + "://" + authority + path; }

std::optional<Url> parse_url(std::string_view text) {
    std::size_t colon = 0;
    if (!is_scheme_start(text, colon)) return std::nullopt;
    Url u;
    for (char c : text.substr(0, colon)) u.scheme += text::lower(c);
    std::string rest(text.substr(colon + 1));
    bool const special = u.scheme == "http" || u.scheme == "https" || u.scheme == "file";
    if (special)
        for (auto& c : rest)
            if (c == '\\') c = '/';
    std::string_view r = cut_query_fragment(rest);
    if (r.substr(0, 2) != "//") {
        if (u.scheme != "file" || r.empty() || r[0] != '/') return std::nullopt;
        u.path = remove_dot_segments(encode_path(r));  // file:/x
        return u;
    }
    r.remove_prefix(2);
    auto slash = r.find('/');
    auto authority = r.substr(0, slash);
    for (char c : authority) u.authority += text::lower(c);
    u.path = slash == std::string_view::npos ? "/" : remove_dot_segments(encode_path(r.substr(slash)));
    if (u.authority.empty() && u.scheme != "file") return std::nullopt;
    return u;
}

std::optional<Url> resolve_reference(std::string_view reference, Url const& base) {
    std::size_t colon = 0;
    // One letter before ':' is a Windows drive, not a scheme (callers turn drives into file:/).
    if (is_scheme_start(reference, colon) && colon > 1) return parse_url(reference);
    std::string ref(reference);
    for (auto& c : ref)
        if (c == '\\') c = '/';
    std::string_view r = cut_query_fragment(ref);
    Url u = base;
    if (r.substr(0, 2) == "//") {
        auto p = parse_url(base.scheme + ":" + std::string(r));
        return p;
    }
    if (r.empty()) return u;
    if (r[0] == '/') {
        u.path = remove_dot_segments(encode_path(r));
        return u;
    }
    auto dir = base.path.substr(0, base.path.rfind('/') + 1);
    u.path = remove_dot_segments(dir + encode_path(r));
    return u;
}

std::optional<Url> resolve_source_path(std::vector<PathSubstitution> const& substitutions, std::string_view source_path,
                                       Url const& base) {
    std::string p(source_path);
    for (auto& c : p)
        if (c == '\\') c = '/';
    for (auto const& s : substitutions) {
        if (p.starts_with(s.from)) {
            p = s.to + p.substr(s.from.size());
            break;
        }
        // "." stands for every relative path: not absolute POSIX/Windows, not file:/http(s): URLs.
        if (s.from == ".") {
            bool const drive_or_url = p.size() >= 2 && std::isalpha(static_cast<unsigned char>(p[0])) && p[1] == ':';
            bool const url = p.starts_with("file:") || p.starts_with("http:") || p.starts_with("https:") ||
                             p.starts_with("FILE:") || p.starts_with("HTTP:") || p.starts_with("HTTPS:");
            if (!p.starts_with("/") && !drive_or_url && !url) {
                p = s.to + "/" + p;
                break;
            }
        }
    }
    if (p.starts_with("//")) return parse_url("file:" + p);
    if (p.starts_with("/")) return parse_url("file://" + p);
    if (p.size() >= 2 && std::isalpha(static_cast<unsigned char>(p[0])) && p[1] == ':') return parse_url("file:/" + p);
    return resolve_reference(p, base);
}

RootPath to_root_path(Url const& url, Url const& root_url) {
    RootPath r;
    std::string base = root_url.path;
    if (base.empty() || base.back() != '/') base += '/';
    if (url.scheme != root_url.scheme || url.authority != root_url.authority || !url.path.starts_with(base)) {
        r.reason = url.scheme == "file" ? "a file:// URL, not on the server" : "not under the server's URL";
        return r;
    }
    r.on_server = true;
    std::string_view rest = std::string_view(url.path).substr(base.size());
    std::string rel;
    while (!rest.empty()) {
        auto slash = rest.find('/');
        auto seg = text::percent_decode(rest.substr(0, slash));
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        if (seg.empty()) continue;
        // The server's rules (docs/design.md#paths): decoded dot segments, separators and NUL are refused,
        // and hidden names (".git") are not served.
        if (seg == "." || seg == ".." || seg.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) {
            r.reason = "its path decodes to a dot segment or a separator, which the server refuses";
            return r;
        }
        if (seg[0] == '.') {
            r.reason = "it is under a hidden name (" + seg + "), which the server does not serve";
            return r;
        }
        if (!rel.empty()) rel += '/';
        rel += seg;
    }
    r.servable = true;
    r.relative = rel;
    return r;
}

std::string encode_segment(std::string_view segment) {
    return text::percent_encode(segment, [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '@' || c == '!' ||
               c == '$' || c == '(' || c == ')' || c == '*' || c == ',' || c == ';' || c == '=' || c == ':';
    });
}

Url url_for(Url const& root_url, std::string_view relative) {
    Url u = root_url;
    if (u.path.empty() || u.path.back() != '/') u.path += '/';
    std::size_t i = 0;
    bool first = true;
    while (i <= relative.size() && !relative.empty()) {
        auto slash = relative.find('/', i);
        if (slash == std::string_view::npos) slash = relative.size();
        if (!first) u.path += '/';
        u.path += encode_segment(relative.substr(i, slash - i));
        first = false;
        i = slash + 1;
    }
    return u;
}

}  // namespace wasmdev::doctor
