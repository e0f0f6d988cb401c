// emrun's POST bodies into values (see emrun.hpp).
#include "server/run/emrun.hpp"

#include <charconv>

#include "server/text/percent.hpp"

namespace wasmdev::run {
namespace {

std::string_view path_of(std::string_view url) {
    auto cut = url.find_first_of("?#");
    return url.substr(0, cut);
}

bool parse_int(std::string_view s, int& out) {
    if (s.empty()) return false;
    long long v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return false;
    out = int(v & 0x7fffffff);
    return true;
}

}  // namespace

bool is_emrun_request(std::string_view method, std::string_view url) {
    auto path = path_of(url);
    return method == "POST" && (path.ends_with("/stdio.html") || path == "stdio.html");
}

EmrunPost parse_emrun_post(std::string_view url, std::string_view body) {
    EmrunPost p;
    auto q = url.find('?');
    if (q != std::string_view::npos) {
        auto query = url.substr(q + 1);
        if (auto h = query.find('#'); h != std::string_view::npos) query = query.substr(0, h);
        if (query.starts_with("file=")) {
            p.kind = EmrunKind::file_dump;
            p.text = text::percent_decode(query.substr(5));
            return p;
        }
    }
    if (body == "^pageload^") {
        p.kind = EmrunKind::pageload;
        return p;
    }
    if (body.starts_with("^exit^")) {
        if (parse_int(body.substr(6), p.code)) p.kind = EmrunKind::exit;
        return p;
    }
    for (auto [tag, kind] :
         {std::pair{std::string_view("^out^"), EmrunKind::out}, std::pair{std::string_view("^err^"), EmrunKind::err}}) {
        if (!body.starts_with(tag)) continue;
        auto rest = body.substr(tag.size());
        auto caret = rest.find('^');
        int seq = 0;
        if (caret == std::string_view::npos || !parse_int(rest.substr(0, caret), seq)) return p;
        p.kind = kind;
        p.text = text::percent_decode(rest.substr(caret + 1));
        return p;
    }
    return p;
}

}  // namespace wasmdev::run
