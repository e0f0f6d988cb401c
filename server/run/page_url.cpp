// PAGE below ROOT as a localhost URL (see page_url.hpp).
#include "server/run/page_url.hpp"

#include <fmt/format.h>

#include "server/text/percent.hpp"

namespace wasmdev::run {

namespace fs = std::filesystem;

namespace {

// RFC 3986 pchar without '%' (always encoded) and '&' (kept out of the way of query-minded tools).
bool keep_in_segment(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
        case '-':
        case '.':
        case '_':
        case '~':
        case '!':
        case '$':
        case '\'':
        case '(':
        case ')':
        case '*':
        case '+':
        case ',':
        case ';':
        case '=':
        case ':':
        case '@': return true;
        default: return false;
    }
}

}  // namespace

std::string url_path(fs::path const& relative) {
    std::string out;
    for (auto const& part : relative) {
        auto s = part.string();
        if (s.empty() || s == ".") continue;
        out += '/';
        text::append_percent_encoded(out, s, keep_in_segment);
    }
    return out.empty() ? "/" : out;
}

std::string page_url(fs::path const& root, fs::path const& page, std::uint16_t port, std::string& error) {
    std::error_code ec;
    auto r = fs::weakly_canonical(fs::absolute(root, ec), ec);
    auto p = fs::weakly_canonical(fs::absolute(page, ec), ec);
    auto rel = p.lexically_relative(r);
    if (ec || rel.empty() || *rel.begin() == "..") {
        error = fmt::format("{} is not inside the served root {} (pass --root DIR)", page.string(), r.string());
        return {};
    }
    return fmt::format("http://localhost:{}{}", port, url_path(rel));
}

}  // namespace wasmdev::run
