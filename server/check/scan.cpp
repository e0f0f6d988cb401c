// HTML and JavaScript reference scanners (scan.hpp). One pass each, no backtracking: every
// loop advances its index, so the time is linear in the bytes read.
#include "server/check/scan.hpp"

#include <algorithm>
#include <unordered_set>

#include "server/text/ascii.hpp"

namespace wasmdev::check {
namespace {

bool is_ident(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool ends_with_ci(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && text::iequals(s.substr(s.size() - suffix.size()), suffix);
}

// The path part of a literal: before any ?query or #fragment.
std::string_view path_part(std::string_view url) { return url.substr(0, url.find_first_of("?#")); }

// The references found so far, each (url, kind) once; a set keeps a page repeating one
// literal a million times linear.
class Collector {
public:
    void add(std::string_view url, Kind kind) {
        url = text::trim(url);
        if (url.empty() || url.size() > max_reference_length || full()) return;
        // Inline and object URLs carry their bytes with them: nothing to fetch.
        if (text::istarts_with(url, "data:") || text::istarts_with(url, "blob:") ||
            text::istarts_with(url, "javascript:"))
            return;
        std::string key(url);
        key += char('0' + int(kind));
        if (!seen_.insert(std::move(key)).second) return;
        out_.push_back({std::string(url), kind});
    }
    bool full() const { return out_.size() >= max_references; }
    std::vector<Reference> take() { return std::move(out_); }

private:
    std::vector<Reference> out_{};
    std::unordered_set<std::string> seen_{};
};

// ---- JavaScript ----

// A token the import/worker patterns look back at: an identifier or one punctuation char.
struct Token {
    std::string_view text{};
    bool string = false;
};

class ScriptScanner {
public:
    ScriptScanner(std::string_view js, bool module, Collector& out) : s_(js), module_(module), out_(out) {}

    void run() {
        std::size_t i = 0;
        while (i < s_.size() && !out_.full()) {
            char c = s_[i];
            if (is_space(c)) {
                ++i;
                continue;
            }
            if (c == '/' && i + 1 < s_.size() && s_[i + 1] == '/') {
                i = line_comment(i + 2);
                continue;
            }
            if (c == '/' && i + 1 < s_.size() && s_[i + 1] == '*') {
                auto end = s_.find("*/", i + 2);
                block_comment(s_.substr(i + 2, end == std::string_view::npos ? std::string_view::npos : end - i - 2));
                i = end == std::string_view::npos ? s_.size() : end + 2;
                continue;
            }
            if (c == '"' || c == '\'' || c == '`') {
                i = string_literal(i);
                continue;
            }
            if (c == '/' && regex_may_start()) {
                i = regex_literal(i + 1);
                continue;
            }
            if (is_ident(c)) {
                std::size_t j = i;
                while (j < s_.size() && is_ident(s_[j])) ++j;
                push({s_.substr(i, j - i), false});
                i = j;
                continue;
            }
            push({s_.substr(i, 1), false});
            ++i;
        }
    }

private:
    std::size_t line_comment(std::size_t i) {
        auto end = s_.find_first_of("\n\r", i);
        auto body = s_.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
        source_map_comment(body);
        return end == std::string_view::npos ? s_.size() : end;
    }
    void block_comment(std::string_view body) { source_map_comment(body); }
    void source_map_comment(std::string_view body) {
        // "//# sourceMappingURL=x" (and the older "//@"), as DevTools reads it.
        body = text::trim(body);
        if (body.size() < 2 || (body[0] != '#' && body[0] != '@') || !is_space(body[1])) return;
        body = text::trim(body.substr(2));
        constexpr std::string_view key = "sourceMappingURL=";
        if (!body.starts_with(key)) return;
        auto url = body.substr(key.size());
        url = url.substr(0, std::min(url.size(), url.find_first_of(" \t\r\n*")));
        out_.add(url, Kind::source_map);
    }

    std::size_t string_literal(std::size_t i) {
        char const q = s_[i];
        std::string value;
        bool plain = true;  // no escapes we cannot read back, no ${} substitution
        std::size_t j = i + 1;
        for (; j < s_.size(); ++j) {
            char c = s_[j];
            if (c == q) break;
            if (c == '\\') {
                if (++j >= s_.size()) break;
                plain = false;
                continue;
            }
            if (q == '`' && c == '$' && j + 1 < s_.size() && s_[j + 1] == '{') {
                // A template with substitutions: skip to the closing backtick, braces nested.
                plain = false;
                j = skip_template_rest(j);
                break;
            }
            if (q != '`' && (c == '\n' || c == '\r')) break;  // an unterminated string ends at the line
            if (value.size() <= max_reference_length) value += c;
        }
        std::size_t next = j < s_.size() ? j + 1 : s_.size();
        if (plain) on_string(value);
        push({{}, true});
        return next;
    }
    std::size_t skip_template_rest(std::size_t j) {
        int depth = 0;
        for (; j < s_.size(); ++j) {
            char c = s_[j];
            if (c == '\\') {
                ++j;
                continue;
            }
            if (c == '{')
                ++depth;
            else if (c == '}') {
                if (depth > 0) --depth;
            } else if (c == '`' && depth == 0)
                return j;
        }
        return j;
    }

    bool regex_may_start() const {
        if (n_ == 0) return true;
        auto const& t = last(0);
        if (t.string) return false;
        if (is_ident(t.text[0]))
            return t.text == "return" || t.text == "typeof" || t.text == "case" || t.text == "in" || t.text == "of" ||
                   t.text == "void" || t.text == "delete";
        return t.text != ")" && t.text != "]" && t.text != "}";
    }
    std::size_t regex_literal(std::size_t j) {
        bool in_class = false;
        for (; j < s_.size(); ++j) {
            char c = s_[j];
            if (c == '\\') {
                ++j;
                continue;
            }
            if (c == '\n' || c == '\r') return j;
            if (c == '[')
                in_class = true;
            else if (c == ']')
                in_class = false;
            else if (c == '/' && !in_class) {
                ++j;
                break;
            }
        }
        while (j < s_.size() && is_ident(s_[j])) ++j;  // flags
        push({")", false});                            // the literal is a value: a '/' after it divides, as after ')'

        return j;
    }

    // A literal, looked at with the tokens before it.
    void on_string(std::string_view value) {
        // import "x" / import x from "x" / export {..} from "x": static imports (modules only).
        if (module_ && n_ >= 1 && !last(0).string && (last(0).text == "from" || last(0).text == "import") &&
            !(n_ >= 2 && last(1).text == ".")) {
            out_.add(value, Kind::module);
            return;
        }
        // import("x"): a module whatever the importing script's type.
        if (n_ >= 2 && last(0).text == "(" && last(1).text == "import" && !(n_ >= 3 && last(2).text == ".")) {
            out_.add(value, Kind::module);
            return;
        }
        // new Worker("x"), new SharedWorker("x"), and new Worker(new URL("x", import.meta.url)).
        if (n_ >= 3 && last(0).text == "(" && (last(1).text == "Worker" || last(1).text == "SharedWorker") &&
            last(2).text == "new") {
            out_.add(value, Kind::worker);
            return;
        }
        if (n_ >= 6 && last(0).text == "(" && last(1).text == "URL" && last(2).text == "new" && last(3).text == "(" &&
            (last(4).text == "Worker" || last(4).text == "SharedWorker") && last(5).text == "new") {
            out_.add(value, Kind::worker);
            return;
        }
        // importScripts("a", "b"): classic scripts run by the worker.
        if (n_ >= 2 && (last(0).text == "(" || last(0).text == ",") && in_import_scripts()) {
            out_.add(value, Kind::script);
            return;
        }
        Kind k = kind_by_name(value);
        if (k != Kind::other && value.find_first_of(" \t\r\n<>\"'") == std::string_view::npos) out_.add(value, k);
    }
    bool in_import_scripts() const {
        // Back over "lit ," pairs to "importScripts (".
        std::size_t k = 0;
        while (k + 1 < n_ && last(k).text == "," && last(k + 1).string) k += 2;
        return k + 1 < n_ && last(k).text == "(" && last(k + 1).text == "importScripts";
    }

    // The last few tokens, in a ring: the patterns above look back at most six.
    static constexpr std::size_t ring = 8;
    void push(Token t) {
        ring_[pos_] = t;
        pos_ = (pos_ + 1) % ring;
        if (n_ < ring) ++n_;
    }
    Token const& last(std::size_t k) const { return ring_[(pos_ + ring - 1 - k) % ring]; }

    std::string_view s_;
    bool module_;
    Collector& out_;
    Token ring_[ring]{};
    std::size_t pos_ = 0;
    std::size_t n_ = 0;
};

// ---- HTML ----

struct Tag {
    std::string_view name{};
    std::vector<std::pair<std::string_view, std::string_view>> attrs{};
    std::size_t end = 0;  // index after '>'
};

// Reads a start tag at s[i] == '<'; attribute values unquoted or in quotes. A tag without '>'
// ends the input.
Tag read_tag(std::string_view s, std::size_t i) {
    Tag t;
    std::size_t j = i + 1;
    std::size_t start = j;
    while (j < s.size() && !is_space(s[j]) && s[j] != '>' && s[j] != '/') ++j;
    t.name = s.substr(start, j - start);
    while (j < s.size() && s[j] != '>') {
        if (is_space(s[j]) || s[j] == '/') {
            ++j;
            continue;
        }
        std::size_t ns = j;
        while (j < s.size() && !is_space(s[j]) && s[j] != '>' && s[j] != '=' && s[j] != '/') ++j;
        if (j == ns) {
            ++j;
            continue;
        }  // a stray '=': skip it
        auto name = s.substr(ns, j - ns);
        std::string_view value;
        std::size_t k = j;
        while (k < s.size() && is_space(s[k])) ++k;
        if (k < s.size() && s[k] == '=') {
            ++k;
            while (k < s.size() && is_space(s[k])) ++k;
            if (k < s.size() && (s[k] == '"' || s[k] == '\'')) {
                char q = s[k];
                auto close = s.find(q, k + 1);
                if (close == std::string_view::npos) close = s.size();
                value = s.substr(k + 1, close - k - 1);
                k = close < s.size() ? close + 1 : close;
            } else {
                std::size_t vs = k;
                while (k < s.size() && !is_space(s[k]) && s[k] != '>') ++k;
                value = s.substr(vs, k - vs);
            }
            j = k;
        }
        if (t.attrs.size() < 64) t.attrs.emplace_back(name, value);
    }
    t.end = j < s.size() ? j + 1 : s.size();
    return t;
}

std::string_view attr(Tag const& t, std::string_view name) {
    for (auto const& [n, v] : t.attrs)
        if (text::iequals(n, name)) return v;
    return {};
}
bool has_attr(Tag const& t, std::string_view name) {
    for (auto const& [n, v] : t.attrs)
        if (text::iequals(n, name)) return true;
    return false;
}

// Index of "</name" (case-insensitive) at or after i; s.size() when absent.
std::size_t find_close(std::string_view s, std::size_t i, std::string_view name) {
    while (i < s.size()) {
        auto lt = s.find("</", i);
        if (lt == std::string_view::npos) return s.size();
        if (text::istarts_with(s.substr(lt + 2), name)) return lt;
        i = lt + 2;
    }
    return s.size();
}

bool has_word(std::string_view list, std::string_view word) {
    std::size_t i = 0;
    while (i < list.size()) {
        while (i < list.size() && is_space(list[i])) ++i;
        std::size_t j = i;
        while (j < list.size() && !is_space(list[j])) ++j;
        if (j > i && text::iequals(list.substr(i, j - i), word)) return true;
        i = j;
    }
    return false;
}

}  // namespace

Kind kind_by_name(std::string_view url) {
    auto p = path_part(url);
    if (ends_with_ci(p, ".wasm")) return Kind::wasm;
    if (ends_with_ci(p, ".data")) return Kind::data;
    if (ends_with_ci(p, ".worker.js") || ends_with_ci(p, ".worker.mjs")) return Kind::worker;
    if (ends_with_ci(p, ".map")) return Kind::source_map;
    return Kind::other;
}

std::vector<Reference> scan_script(std::string_view js, bool module) {
    Collector out;
    ScriptScanner(js.substr(0, std::min(js.size(), max_scan_bytes)), module, out).run();
    return out.take();
}

std::vector<Reference> scan_html(std::string_view html) {
    Collector out;
    auto s = html.substr(0, std::min(html.size(), max_scan_bytes));
    std::size_t i = 0;
    while (i < s.size() && !out.full()) {
        auto lt = s.find('<', i);
        if (lt == std::string_view::npos) break;
        if (s.substr(lt).starts_with("<!--")) {
            auto end = s.find("-->", lt + 4);
            i = end == std::string_view::npos ? s.size() : end + 3;
            continue;
        }
        if (lt + 1 >= s.size() || !((s[lt + 1] >= 'a' && s[lt + 1] <= 'z') || (s[lt + 1] >= 'A' && s[lt + 1] <= 'Z'))) {
            i = lt + 1;
            continue;
        }
        Tag tag = read_tag(s, lt);
        i = std::max(tag.end, lt + 1);
        if (text::iequals(tag.name, "script")) {
            auto type = text::trim(attr(tag, "type"));
            bool const module = text::iequals(type, "module");
            bool const classic =
                type.empty() || text::iequals(type, "text/javascript") || text::iequals(type, "application/javascript");
            auto close = find_close(s, i, "script");
            if (module || classic) {
                if (has_attr(tag, "src")) {
                    out.add(attr(tag, "src"), module ? Kind::module : Kind::script);
                } else {
                    ScriptScanner(s.substr(i, close - i), module, out).run();
                }
            }
            i = std::max(i, close);  // a script's text is not markup
        } else if (text::iequals(tag.name, "link")) {
            auto rel = attr(tag, "rel");
            if (has_word(rel, "modulepreload"))
                out.add(attr(tag, "href"), Kind::module);
            else if (has_word(rel, "preload") || has_word(rel, "prefetch")) {
                Kind k = kind_by_name(attr(tag, "href"));
                if (text::iequals(attr(tag, "as"), "script")) k = Kind::script;
                if (k != Kind::other) out.add(attr(tag, "href"), k);
            }
        } else if (text::iequals(tag.name, "style") || text::iequals(tag.name, "textarea") ||
                   text::iequals(tag.name, "title")) {
            i = std::max(i, find_close(s, i, tag.name));  // raw text: no tags inside
        }
    }
    return out.take();
}

}  // namespace wasmdev::check
