// The config renderers' quoting (server/htaccess/) for any --header name and value: each
// rendered header line, read back by a model of the server's own parser (Apache's
// ap_getword_conf and mod_headers, nginx's lexer, Caddy's lexer and placeholder replacer
// as it runs twice), gives exactly the policy's names and values, one line each, and
// nothing else; or the renderer refuses in one line. The models match what
// tests/integration/htaccess_*.sh sees the real servers do.
#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "server/htaccess/render.hpp"
#include "server/http/policy.hpp"
#include "tests/fuzz/check.hpp"

using namespace wasmdev;
using fuzz::check;

namespace {

bool space(char c) { return c == ' ' || c == '\t'; }

// ap_getword_conf: one config word (quoted with " or ', \\ and \quote unescaped).
std::optional<std::string> apache_word(std::string_view& s) {
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    if (s.empty()) return std::nullopt;
    std::string out;
    char const quote = s.front() == '"' || s.front() == '\'' ? s.front() : 0;
    std::size_t i = quote ? 1 : 0;
    for (; i < s.size(); ++i) {
        char const c = s[i];
        if (quote ? c == quote : space(c)) break;
        if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '\\' || (quote && s[i + 1] == quote))) {
            out += s[++i];
            continue;
        }
        out += c;
    }
    if (quote && i < s.size()) ++i;  // the closing quote
    s.remove_prefix(i);
    return out;
}

// mod_headers' format string: %% is %, any other % a specifier (never expected); \\ \n \t \r escapes.
std::optional<std::string> mod_headers_value(std::string_view v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '%') {
            if (i + 1 < v.size() && v[i + 1] == '%') { out += '%'; ++i; continue; }
            return std::nullopt;
        }
        if (v[i] == '\\' && i + 1 < v.size()) {
            char const n = v[i + 1];
            if (n == '\\') { out += '\\'; ++i; continue; }
            if (n == 'n' || n == 't' || n == 'r') return std::nullopt;  // would be a control character
        }
        out += v[i];
    }
    return out;
}

// nginx's lexer: words until ';', quoted with " or ', then \" \' \\ unescaped (\t \n \r too).
std::optional<std::vector<std::string>> nginx_words(std::string_view s) {
    std::vector<std::string> words;
    std::size_t i = 0;
    for (;;) {
        while (i < s.size() && space(s[i])) ++i;
        if (i >= s.size()) return std::nullopt;  // no ';'
        if (s[i] == ';') return i + 1 == s.size() ? std::optional(words) : std::nullopt;
        if (s[i] == '#' || s[i] == '{' || s[i] == '}') return std::nullopt;  // a comment or a block
        char const quote = s[i] == '"' || s[i] == '\'' ? s[i] : 0;
        if (quote) ++i;
        std::string w;
        for (; i < s.size(); ++i) {
            char const c = s[i];
            if (quote ? c == quote : (space(c) || c == ';')) break;
            if (!quote && (c == '{' || c == '}' || c == '"' || c == '\'')) return std::nullopt;
            if (c == '\\' && i + 1 < s.size()) {
                char const n = s[++i];
                if (n == 't' || n == 'r' || n == 'n') return std::nullopt;  // a control character
                w += n == '"' || n == '\'' || n == '\\' ? std::string(1, n) : std::string{'\\', n};
                continue;
            }
            w += c;
        }
        if (quote) {
            if (i >= s.size()) return std::nullopt;
            ++i;
        }
        words.push_back(std::move(w));
    }
}

// Caddy's lexer on one line: "..." keeps \x except \" ; `...` is raw; # at a word's start is a comment.
std::optional<std::vector<std::string>> caddy_words(std::string_view s) {
    std::vector<std::string> words;
    std::size_t i = 0;
    for (;;) {
        while (i < s.size() && space(s[i])) ++i;
        if (i >= s.size()) return words;
        if (s[i] == '#') return std::nullopt;
        std::string w;
        if (s[i] == '"') {
            for (++i; i < s.size() && s[i] != '"'; ++i) {
                if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '"') ++i;
                w += s[i];
            }
            if (i >= s.size()) return std::nullopt;
            ++i;
        } else if (s[i] == '`') {
            auto const end = s.find('`', i + 1);
            if (end == std::string_view::npos) return std::nullopt;
            w = s.substr(i + 1, end - i - 1);
            i = end + 1;
        } else {
            while (i < s.size() && !space(s[i])) w += s[i++];
        }
        words.push_back(std::move(w));
    }
}

// One pass of Caddy's replacer as the header handler runs it: \{ and \} lose the backslash; an
// unescaped '{' would start a placeholder (never expected). No '{' at all: unchanged.
std::optional<std::string> caddy_replace(std::string const& in) {
    if (in.find('{') == std::string::npos) return in;
    std::string out;
    std::size_t cursor = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (i > 0 && in[i - 1] == '\\' && (in[i] == '{' || in[i] == '}')) {
            out += in.substr(cursor, i - 1 - cursor);
            cursor = i;
            continue;
        }
        if (in[i] == '{' && in.find('}', i) != std::string::npos) return std::nullopt;
    }
    return out + in.substr(cursor);
}

std::vector<std::string> lines_of(std::string const& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

bool iequal(std::string a, std::string b) { return http::iequals(a, b); }

// The headers each format's file sets, as its server reads them; nullopt when a line misparses.
std::optional<std::vector<std::pair<std::string, std::string>>> read_back(htaccess::Format f, std::string const& text) {
    std::vector<std::pair<std::string, std::string>> out;
    bool in_header_block = false;
    for (auto const& line : lines_of(text)) {
        std::string_view s = line;
        if (f == htaccess::Format::apache && s.starts_with("    Header always set ")) {
            s.remove_prefix(4);
            std::vector<std::string> w;
            while (auto word = apache_word(s)) w.push_back(*word);
            if (w.size() != 5) return std::nullopt;
            auto v = mod_headers_value(w[4]);
            if (!v) return std::nullopt;
            out.emplace_back(w[3], *v);
        } else if (f == htaccess::Format::nginx && s.starts_with("    add_header ")) {
            auto w = nginx_words(s);
            if (!w || w->size() != 4 || (*w)[0] != "add_header" || (*w)[3] != "always") return std::nullopt;
            if ((*w)[2].find('$') != std::string::npos || (*w)[2].empty()) return std::nullopt;
            out.emplace_back((*w)[1], (*w)[2]);
        } else if (f == htaccess::Format::caddy) {
            if (s == "header {") { in_header_block = true; continue; }
            if (s == "}") { in_header_block = false; continue; }
            if (!in_header_block) continue;
            auto w = caddy_words(s);
            if (!w || w->size() != 2 || w->front() == "defer") return std::nullopt;
            auto const& name = w->front();
            if (name.starts_with('-') || name.starts_with('+') || name.starts_with('?') || name.starts_with('>'))
                return std::nullopt;
            auto once = caddy_replace((*w)[1]);
            auto twice = once ? caddy_replace(*once) : std::nullopt;
            if (!twice) return std::nullopt;
            out.emplace_back(name, *twice);
        }
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const in(reinterpret_cast<char const*>(data), size);
    auto const header = http::parse_header_arg(in);
    if (!header) return 0;
    for (auto f : {htaccess::Format::apache, htaccess::Format::nginx, htaccess::Format::caddy}) {
        htaccess::RenderOptions o;
        o.format = f;
        o.policy.extra_headers = {*header};
        if (auto why = htaccess::unrenderable(o)) {
            check(why->find('\n') == std::string::npos && !why->empty(), "a refusal is one line", in);
            continue;
        }
        auto const text = htaccess::render(o);
        if (f == htaccess::Format::caddy) check(text.find("{$") == std::string::npos, "no {$ in a Caddyfile", in);
        if (f == htaccess::Format::apache) check(text.find("${") == std::string::npos, "no ${ in a .htaccess", in);
        auto const got = read_back(f, text);
        check(got.has_value(), "every header line reads back", in);
        auto const want = http::policy_headers(o.policy);
        check(got->size() == want.size(), "one line per policy header, no more", in);
        for (std::size_t i = 0; i < want.size() && i < got->size(); ++i) {
            check(iequal((*got)[i].first, std::string(want[i].first)), "the server reads the name given", in);
            check((*got)[i].second == want[i].second, "the server reads the value given", in);
        }
    }
    return 0;
}
