// The config renderers (server/deploy/) for any --header name and value, and the merge for any
// existing host file. The input is "Name: value", a newline, then the user's existing file.
// Apache, nginx, Caddy: each rendered header line, read back by a model of the server's own
// parser (Apache's ap_getword_conf and mod_headers, nginx's lexer, Caddy's lexer and
// placeholder replacer as it runs twice), gives exactly the policy's names and values, one
// line each, and nothing else; or the renderer refuses in one line. The models match what
// tests/integration/htaccess_*.sh sees the real servers do. The static hosts: a _headers file
// sets each policy header once with its exact value, vercel.json/firebase.json parse back to
// the same values; merging into the user's file never crashes, is bounded, keeps it whole
// (TOML) and a second merge changes nothing.
#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "server/deploy/merge.hpp"
#include "server/deploy/render.hpp"
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
            if (i + 1 < v.size() && v[i + 1] == '%') {
                out += '%';
                ++i;
                continue;
            }
            return std::nullopt;
        }
        if (v[i] == '\\' && i + 1 < v.size()) {
            char const n = v[i + 1];
            if (n == '\\') {
                out += '\\';
                ++i;
                continue;
            }
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
std::optional<std::vector<std::pair<std::string, std::string>>> read_back(std::string_view f, std::string const& text) {
    std::vector<std::pair<std::string, std::string>> out;
    bool in_header_block = false;
    for (auto const& line : lines_of(text)) {
        std::string_view s = line;
        if (f == "apache" && s.starts_with("    Header always set ")) {
            s.remove_prefix(4);
            std::vector<std::string> w;
            while (auto word = apache_word(s)) w.push_back(*word);
            if (w.size() != 5) return std::nullopt;
            auto v = mod_headers_value(w[4]);
            if (!v) return std::nullopt;
            out.emplace_back(w[3], *v);
        } else if (f == "nginx" && s.starts_with("    add_header ")) {
            auto w = nginx_words(s);
            if (!w || w->size() != 4 || (*w)[0] != "add_header" || (*w)[3] != "always") return std::nullopt;
            if ((*w)[2].find('$') != std::string::npos || (*w)[2].empty()) return std::nullopt;
            out.emplace_back((*w)[1], (*w)[2]);
        } else if (f == "caddy") {
            if (s == "header {") {
                in_header_block = true;
                continue;
            }
            if (s == "}") {
                in_header_block = false;
                continue;
            }
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

// A _headers file's header lines under its first rule (the policy's "/*").
std::vector<std::pair<std::string, std::string>> first_rule(std::string const& text) {
    std::vector<std::pair<std::string, std::string>> out;
    bool in_first = false;
    for (auto const& line : lines_of(text)) {
        if (line.empty() || line.front() == '#') continue;
        if (line.front() != ' ') {
            if (in_first) break;
            in_first = true;
            continue;
        }
        auto const colon = line.find(':');
        if (colon == std::string::npos) return {};
        out.emplace_back(line.substr(2, colon - 2), line.substr(colon + 2));
    }
    return out;
}

void check_host_formats(http::HeaderPolicy const& policy, std::string_view user, std::string_view in) {
    auto const want = http::policy_headers(policy);
    for (std::string_view f : {"netlify", "netlify-toml", "cloudflare", "vercel", "firebase", "github-pages"}) {
        deploy::RenderOptions o;
        o.format = f;
        o.command = "deploy";
        o.policy = policy;
        auto const v = deploy::verdict(o);
        if (v.refusal) {
            check(v.refusal->find('\n') == std::string::npos && !v.refusal->empty(), "a refusal is one line", in);
            continue;
        }
        auto const text = deploy::render(o);
        if (f == "netlify" || f == "cloudflare") {
            auto const got = first_rule(text);
            check(got.size() == want.size(), "the /* rule has one line per policy header", in);
            for (std::size_t i = 0; i < want.size() && i < got.size(); ++i)
                check(got[i].first == want[i].first && got[i].second == want[i].second,
                      "the host reads the header given", in);
        }
        if (f == "vercel" || f == "firebase") {
            std::string_view const rules_at = f == "vercel" ? "headers" : "hosting.headers";
            boost::system::error_code ec;
            auto const doc = boost::json::parse(text, ec);
            check(!ec, "our JSON parses", in);
            auto const& rules = f == "vercel" ? doc.at("headers") : doc.at("hosting").at("headers");
            auto const& headers = rules.at(0).at("headers").as_array();
            check(headers.size() == want.size(), "the first rule has every policy header", in);
            for (std::size_t i = 0; i < want.size() && i < headers.size(); ++i)
                check(headers[i].at("value").as_string() == want[i].second, "the JSON value is the one given", in);
            auto const merged = deploy::merge_json(user, text, rules_at);
            if (merged.error) check(merged.error->find('\n') == std::string::npos, "a merge error is one line", in);
            if (!merged.error && merged.conflicts.empty()) {
                auto const again = deploy::merge_json(merged.text, text, rules_at);
                check(!again.error && again.conflicts.empty(), "a merged file merges again", in);
                check(again.text == merged.text, "a second merge changes nothing", in);
            }
        }
        if (f == "netlify-toml") {
            auto const merged = deploy::merge_toml(user, text);
            check(merged.error || merged.text.starts_with(user), "a netlify.toml merge keeps the user's bytes first",
                  in);
            if (merged.conflicts.empty() && !merged.error) {
                auto const again = deploy::merge_toml(merged.text, text);
                check(again.conflicts.empty() && again.text == merged.text, "a second TOML merge changes nothing", in);
            }
        }
        if (f == "github-pages") {
            // The template's marker became the line `const POLICY = <JSON>;` holding the headers
            // given. (A --header value may hold the marker's text itself: in the comment and in
            // the JSON it is only text.) No value holds a newline, so the line is found by its start.
            std::string_view const line = "\n  const POLICY = ";
            auto const at = text.find(line);
            check(at != std::string::npos, "the policy replaced the marker", in);
            if (at != std::string::npos) {
                auto const start = at + line.size();
                auto const end = text.find(";\n", start);
                boost::system::error_code ec;
                auto const doc = boost::json::parse(std::string_view(text).substr(start, end - start), ec);
                check(!ec, "the worker's policy is JSON", in);
                if (!ec) {
                    auto const& headers = doc.at("headers").as_array();
                    check(headers.size() == want.size(), "the worker sets every policy header", in);
                    for (std::size_t i = 0; i < want.size() && i < headers.size(); ++i)
                        check(headers[i].at(0).as_string() == want[i].first &&
                                  headers[i].at(1).as_string() == want[i].second,
                              "the worker sets the header given", in);
                }
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const whole(reinterpret_cast<char const*>(data), size);
    auto const newline = whole.find('\n');
    std::string_view const in = whole.substr(0, newline);
    std::string_view const user = newline == std::string_view::npos ? std::string_view{} : whole.substr(newline + 1);
    http::HeaderPolicy policy;
    auto const header = http::parse_header_arg(in);
    if (!header) {
        check_host_formats(policy, user, in);  // the user's file is outside input on its own
        return 0;
    }
    for (std::string_view f : {"apache", "nginx", "caddy"}) {
        deploy::RenderOptions o;
        o.format = f;
        o.policy.extra_headers = {*header};
        if (auto why = deploy::unrenderable(o)) {
            check(why->find('\n') == std::string::npos && !why->empty(), "a refusal is one line", in);
            continue;
        }
        auto const text = deploy::render(o);
        if (f == "caddy") check(text.find("{$") == std::string::npos, "no {$ in a Caddyfile", in);
        if (f == "apache") check(text.find("${") == std::string::npos, "no ${ in a .htaccess", in);
        auto const got = read_back(f, text);
        check(got.has_value(), "every header line reads back", in);
        auto const want = http::policy_headers(o.policy);
        check(got->size() == want.size(), "one line per policy header, no more", in);
        for (std::size_t i = 0; i < want.size() && i < got->size(); ++i) {
            check(iequal((*got)[i].first, std::string(want[i].first)), "the server reads the name given", in);
            check((*got)[i].second == want[i].second, "the server reads the value given", in);
        }
    }
    policy.extra_headers = {*header};
    check_host_formats(policy, user, in);
    return 0;
}
