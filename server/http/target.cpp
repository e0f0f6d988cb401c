#include "server/http/target.hpp"

#include "server/http/host_check.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>

#include "server/text/ascii.hpp"
#include "server/text/percent.hpp"

namespace wasmdev::http {
namespace {

bool is_unreserved(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

// RFC 3986 §5.2.4 on decoded segments. "%2e%2e" is "..": RFC 3986 §2.3 makes %2E
// equivalent to '.', and treating it otherwise would let a literal ".." escape the root.
std::optional<Target> normalise(boost::urls::url_view const& u) {
    Target t;
    bool last_was_dir = true;  // "/" alone names the root directory
    for (auto seg : u.segments()) {
        std::string s(seg);
        if (s.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) return std::nullopt;
        if (s.empty() || s == ".") {
            last_was_dir = true;
        } else if (s == "..") {
            if (!t.segments.empty()) t.segments.pop_back();
            last_was_dir = true;
        } else {
            t.segments.push_back(std::move(s));
            last_was_dir = false;
        }
    }
    t.trailing_slash = last_was_dir;
    if (u.has_query()) t.query = std::string(u.encoded_query());
    return t;
}

// Browsers (WHATWG URL) send '[' ']' '|' '{' '}' '^' '`' raw in paths; RFC 3986 forbids them
// there, so encode them before Boost.URL sees the path. Bytes >= 0x80 likewise (raw UTF-8
// from non-browser clients). Everything else invalid (space, '<', '"', '#', '\', controls)
// stays invalid.
std::string encode_lenient_path(std::string_view path) {
    return text::percent_encode(path, [](unsigned char c) {
        return c < 0x80 && std::string_view("[]|{}^`").find(char(c)) == std::string_view::npos;
    });
}

// The query is ignored for lookup (docs/design.md#paths) and kept as sent, so it only has to be free of
// what cannot be in a request line at all, and of '#' (a fragment is never sent).
bool is_acceptable_query(std::string_view q) {
    for (unsigned char c : q)
        if (c <= 0x20 || c == 0x7f || c == '#') return false;
    return true;
}

// Most targets are plain ("/python.wasm", "/Lib/os.py"): unreserved characters and '/' only,
// no dot segment. They need no decoding, so they are split here without Boost.URL (which
// was a tenth of the server's user time per small request). nullopt: not plain.
std::optional<Target> parse_plain_path(std::string_view path) {
    Target t;
    std::size_t start = 1;  // path starts with '/'
    for (std::size_t i = 1; i <= path.size(); ++i) {
        if (i < path.size() && path[i] != '/') {
            if (!is_unreserved(static_cast<unsigned char>(path[i]))) return std::nullopt;
            continue;
        }
        auto const seg = path.substr(start, i - start);
        if (seg == "." || seg == "..") return std::nullopt;
        if (!seg.empty()) t.segments.emplace_back(seg);
        start = i + 1;
    }
    t.trailing_slash = path.back() == '/' || t.segments.empty();
    return t;
}

std::optional<Target> parse_path_and_query(std::string_view target) {
    auto q = target.find('?');
    auto const path = target.substr(0, q);
    auto const query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
    if (!is_acceptable_query(query)) return std::nullopt;
    if (auto plain = parse_plain_path(path)) {
        plain->query = std::string(query);
        return plain;
    }
    auto const encoded = encode_lenient_path(path);
    auto r = boost::urls::parse_origin_form(encoded);
    if (!r || r->has_query()) return std::nullopt;
    auto t = normalise(*r);
    if (t) t->query = std::string(query);
    return t;
}

}  // namespace

std::optional<Target> parse_target(std::string_view target) {
    if (target == "*") {
        Target t;
        t.asterisk = true;
        return t;
    }
    if (target.starts_with('/')) return parse_path_and_query(target);
    // absolute-form (RFC 9112 §3.2.2): scheme "://" authority path-abempty ["?" query];
    // the scheme is case-insensitive (RFC 3986 §3.1).
    std::string_view rest;
    if (text::istarts_with(target, "http://"))
        rest = target.substr(7);
    else if (text::istarts_with(target, "https://"))
        rest = target.substr(8);
    else
        return std::nullopt;
    auto const end = rest.find_first_of("/?");
    auto const authority = rest.substr(0, end);
    // The authority is checked whole, as a Host header is (Boost.URL 1.81's absolute-URI rule
    // stopped an IPv4-looking host early: "127.0.0.1.evil.com" became host "127.0.0.1" and a
    // rootless path). '@' is not a host character, so userinfo is refused (RFC 9110 §4.2.4).
    if (host_without_port(authority).empty()) return std::nullopt;
    std::string path(end == std::string_view::npos ? std::string_view{} : rest.substr(end));
    if (!path.starts_with('/')) path.insert(0, "/");  // "http://h" and "http://h?q" name "/"
    auto t = parse_path_and_query(path);
    if (t) t->authority = std::string(authority);
    return t;
}

std::string encode_segment(std::string_view segment) {
    std::string out;
    out.reserve(segment.size());
    append_encoded_segment(out, segment);
    return out;
}

void append_encoded_segment(std::string& out, std::string_view segment) {
    text::append_percent_encoded(out, segment, is_unreserved);
}

std::string encode_path(std::vector<std::string> const& segments, bool trailing_slash) {
    std::string out = "/";
    for (auto const& segment : segments) {
        if (segment.empty()) continue;  // "//host" would be a protocol-relative redirect
        if (out.size() > 1) out += '/';
        out += encode_segment(segment);
    }
    if (trailing_slash && !segments.empty()) out += '/';
    return out;
}

}  // namespace wasmdev::http
