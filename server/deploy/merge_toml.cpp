#include <fmt/format.h>

#include <algorithm>

#include "server/deploy/merge.hpp"
#include "server/text/ascii.hpp"

namespace wasmdev::deploy {
namespace {

// One [[headers]] table as netlify.toml writes it: `for` and its [headers.values].
struct HeaderTable {
    std::string path{};
    std::vector<std::pair<std::string, std::string>> values{};
    bool unreadable = false;  // a form this reader does not follow (inline table, multi-line string)
};

// A basic "..." (\" \\ \t \n \uXXXX kept as written but for the two quote escapes) or literal
// '...' TOML string at the start of s; the rest of the line must be blank or a comment.
std::optional<std::string> read_string(std::string_view s, std::string_view& rest) {
    if (s.starts_with("\"\"\"") || s.starts_with("'''")) return std::nullopt;
    if (s.starts_with('\'')) {
        auto const end = s.find('\'', 1);
        if (end == std::string_view::npos) return std::nullopt;
        rest = s.substr(end + 1);
        return std::string(s.substr(1, end - 1));
    }
    if (!s.starts_with('"')) return std::nullopt;
    std::string out;
    for (std::size_t i = 1; i < s.size(); ++i) {
        if (s[i] == '"') {
            rest = s.substr(i + 1);
            return out;
        }
        if (s[i] == '\\' && i + 1 < s.size()) {
            char const n = s[++i];
            if (n == '"' || n == '\\')
                out += n;
            else if (n == 't')
                out += '\t';
            else
                return std::nullopt;  // other escapes never appear in a header value worth comparing
            continue;
        }
        out += s[i];
    }
    return std::nullopt;
}

bool blank_or_comment(std::string_view s) {
    s = text::trim(s);
    return s.empty() || s.front() == '#';
}

bool is_bare_key_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// `key = "value"` with a bare or quoted key; nullopt for anything else.
std::optional<std::pair<std::string, std::string>> read_pair(std::string_view line) {
    line = text::trim(line);
    std::string key;
    std::string_view rest;
    if (line.starts_with('"') || line.starts_with('\'')) {
        auto k = read_string(line, rest);
        if (!k) return std::nullopt;
        key = *k;
    } else {
        std::size_t n = 0;
        while (n < line.size() && is_bare_key_char(line[n])) ++n;
        if (n == 0) return std::nullopt;
        key = std::string(line.substr(0, n));
        rest = line.substr(n);
    }
    rest = text::trim(rest);
    if (!rest.starts_with('=')) return std::nullopt;
    rest = text::trim(rest.substr(1));
    std::string_view after;
    auto value = read_string(rest, after);
    if (!value || !blank_or_comment(after)) return std::nullopt;
    return std::pair{key, *value};
}

// Every [[headers]] table of a netlify.toml, line by line: linear in the text.
std::vector<HeaderTable> header_tables(std::string_view text) {
    std::vector<HeaderTable> out;
    enum class In { other, table, values } in = In::other;
    for (std::size_t start = 0; start < text.size();) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        auto const line = text::trim(text.substr(start, end - start));
        start = end + 1;
        if (line.empty() || line.front() == '#') continue;
        if (line.front() == '[') {
            if (line.starts_with("[[headers]]")) {
                out.emplace_back();
                in = In::table;
            } else if (line.starts_with("[headers.values]") && in != In::other) {
                in = In::values;
            } else {
                in = In::other;
            }
            continue;
        }
        if (in == In::other) continue;
        auto pair = read_pair(line);
        if (in == In::table) {
            if (pair && pair->first == "for")
                out.back().path = pair->second;
            else if (!pair)
                out.back().unreadable = true;  // `values = { ... }` and other forms
        } else if (pair) {
            out.back().values.push_back(*pair);
        } else {
            out.back().unreadable = true;
        }
    }
    return out;
}

std::string toml_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string toml_key(std::string_view k) {
    bool const bare = !k.empty() && std::all_of(k.begin(), k.end(), is_bare_key_char);
    return bare ? std::string(k) : toml_string(k);
}

// A `headers` key defined otherwise than as [[headers]] tables (`headers = [...]` at the top,
// or a [headers] table): appending [[headers]] would then redefine it, which TOML forbids.
bool defines_headers_otherwise(std::string_view text) {
    bool at_top = true;
    for (std::size_t start = 0; start < text.size();) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        auto const line = text::trim(text.substr(start, end - start));
        start = end + 1;
        if (line.starts_with("[[")) {
            at_top = false;
            continue;
        }
        if (line.starts_with('[')) {
            at_top = false;
            auto const name = text::trim(line.substr(1, line.find(']') - 1));
            if (name == "headers" || name == "\"headers\"") return true;
            continue;
        }
        if (!at_top || !line.starts_with("headers")) continue;
        auto const rest = text::trim(line.substr(7));
        if (rest.starts_with('=')) return true;
    }
    return false;
}

}  // namespace

std::string netlify_toml_table(std::string_view path, std::vector<std::pair<std::string, std::string>> const& values) {
    std::string out = fmt::format("[[headers]]\n  for = {}\n  [headers.values]\n", toml_string(path));
    for (auto const& [k, v] : values) out += fmt::format("    {} = {}\n", toml_key(k), toml_string(v));
    return out;
}

MergeResult merge_toml(std::string_view user, std::string_view ours) {
    MergeResult r;
    if (user.size() > max_user_config_bytes) {
        r.error =
            fmt::format("it is larger than {} bytes, which no hand-written host config is", max_user_config_bytes);
        return r;
    }
    if (defines_headers_otherwise(user)) {
        r.error = "it defines \"headers\" otherwise than as [[headers]] tables; add the rules there by hand";
        return r;
    }
    auto const theirs = header_tables(user);
    std::string appended;
    for (auto const& mine : header_tables(ours)) {
        std::vector<HeaderTable const*> same;
        for (auto const& t : theirs)
            if (t.path == mine.path) same.push_back(&t);
        if (same.empty()) {
            appended += "\n" + netlify_toml_table(mine.path, mine.values);
            continue;
        }
        for (auto const* t : same) {
            if (t->unreadable) {
                r.conflicts.push_back(
                    fmt::format("your [[headers]] for \"{}\" uses a form wasmdev does not read "
                                "(an inline table or a multi-line string); compare it by hand",
                                mine.path));
                continue;
            }
            for (auto const& [k, v] : mine.values) {
                auto it = std::find_if(t->values.begin(), t->values.end(),
                                       [&k = k](auto const& p) { return text::iequals(p.first, k); });
                if (it == t->values.end())
                    r.conflicts.push_back(
                        fmt::format("your [[headers]] for \"{}\" lacks {} = {}; add it to that table "
                                    "(wasmdev does not edit your tables)",
                                    mine.path, toml_key(k), toml_string(v)));
                else if (it->second != v)
                    r.conflicts.push_back(
                        fmt::format("your [[headers]] for \"{}\" sets {} to {}; wasmdev's policy "
                                    "says {} (yours is kept: change or remove it, then run this "
                                    "again)",
                                    mine.path, k, toml_string(it->second), toml_string(v)));
            }
        }
    }
    r.text = std::string(user);
    if (!appended.empty()) {
        if (!r.text.empty() && !r.text.ends_with('\n')) r.text += '\n';
        r.text += "\n# wasmdev deploy --format netlify-toml: the serve policy's headers (docs: wasmdev deploy --help)" +
                  appended;
    }
    return r;
}

}  // namespace wasmdev::deploy
