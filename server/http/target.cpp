#include "server/http/target.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace wasmdev::http {
namespace {

bool is_unreserved(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
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

}  // namespace

std::optional<Target> parse_target(std::string_view target) {
    if (target == "*") {
        Target t;
        t.asterisk = true;
        return t;
    }
    if (target.starts_with('/')) {
        auto r = boost::urls::parse_origin_form(target);
        if (!r) return std::nullopt;
        return normalise(*r);
    }
    auto r = boost::urls::parse_absolute_uri(target);
    if (!r || !r->has_authority() || (r->scheme() != "http" && r->scheme() != "https")) return std::nullopt;
    auto t = normalise(*r);
    if (t) t->authority = std::string(r->encoded_host_and_port());
    return t;
}

std::string encode_segment(std::string_view segment) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(segment.size());
    for (unsigned char c : segment) {
        if (is_unreserved(c)) {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string encode_path(std::vector<std::string> const& segments, bool trailing_slash) {
    std::string out = "/";
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (i) out += '/';
        out += encode_segment(segments[i]);
    }
    if (trailing_slash && !segments.empty()) out += '/';
    return out;
}

}  // namespace wasmdev::http
