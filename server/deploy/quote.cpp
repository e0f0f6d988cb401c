#include "server/deploy/quote.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "server/text/ascii.hpp"

namespace wasmdev::deploy {
namespace {

// Letters, digits, '-', '_' and '.' mean nothing to any of the three syntaxes.
bool is_plain(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.';
    });
}

// RFC 9110 §5.5: a field value is visible characters, obs-text, space and tab.
bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        auto const u = static_cast<unsigned char>(c);
        return (u < 0x20 && u != '\t') || u == 0x7f;
    });
}

// Well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
bool is_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto const b = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        char32_t cp = 0;
        if (b < 0x80) {
            ++i;
            continue;
        }
        if (b >= 0xc2 && b <= 0xdf) {
            n = 1;
            cp = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
            n = 2;
            cp = b & 0x0f;
        } else if (b >= 0xf0 && b <= 0xf4) {
            n = 3;
            cp = b & 0x07;
        } else
            return false;
        if (i + n >= s.size()) return false;
        for (std::size_t k = 1; k <= n; ++k) {
            auto const c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (c & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n + 1;
    }
    return true;
}

std::optional<std::string> field_refusal(std::string_view name, std::string_view value) {
    if (has_control(value))
        return fmt::format(
            "the value of \"{}\" holds a control character, which no HTTP field value may (RFC 9110 "
            "§5.5)",
            name);
    return std::nullopt;
}

std::string double_quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace

std::string apache_word(std::string_view s) { return is_plain(s) ? std::string(s) : double_quoted(s); }

// The config parser unescapes \" and \\ inside quotes; mod_headers then reads '%' as a format
// specifier ("%t", "%{VAR}e": "%%" is one '%') and unescapes \n, \t and \\ again, so one
// backslash takes four.
std::string apache_value(std::string_view v) {
    std::string out = "\"";
    for (char c : v) {
        if (c == '%')
            out += "%%";
        else if (c == '\\')
            out += R"(\\\\)";
        else if (c == '"')
            out += R"(\")";
        else
            out += c;
    }
    return out + "\"";
}

std::optional<std::string> apache_refusal(std::string_view name, std::string_view value) {
    if (auto why = field_refusal(name, value)) return why;
    // ap_resolve_env replaces ${NAME} on a whole line before it is split into words.
    if (value.find("${") != std::string_view::npos)
        return fmt::format(
            "Apache would replace the \"${{...}}\" in the value of \"{}\" with a variable of its own "
            "and has no escape for it",
            name);
    if (text::istarts_with(value, "expr="))
        return fmt::format(
            "Apache's mod_headers would read the value of \"{}\" as an expression: it starts with "
            "\"expr=\"",
            name);
    return std::nullopt;
}

std::string nginx_string(std::string_view s) { return double_quoted(s); }

std::string nginx_name(std::string_view name) { return is_plain(name) ? std::string(name) : double_quoted(name); }

std::optional<std::string> nginx_refusal(std::string_view name, std::string_view value) {
    if (auto why = field_refusal(name, value)) return why;
    // add_header takes its name literally but compiles its value: "$x" is a variable.
    if (value.find('$') != std::string_view::npos)
        return fmt::format("nginx would read the '$' in the value of \"{}\" as a variable and has no escape for it",
                           name);
    if (value.empty()) return fmt::format("nginx leaves out a header whose value is empty, such as \"{}\"", name);
    if (nginx_string(name).size() > nginx_max_token || nginx_string(value).size() > nginx_max_token)
        return fmt::format("nginx reads at most {} bytes per parameter; the header \"{:.40}\" is longer",
                           nginx_max_token, name);
    return std::nullopt;
}

std::string caddy_name(std::string_view name) {
    // "defer" alone is a subdirective of `header`; HTTP names are case-insensitive.
    if (name == "defer") return "Defer";
    return is_plain(name) ? std::string(name) : double_quoted(name);
}

// The `header` handler runs its value through Caddy's placeholder replacer twice (when it is
// provisioned and per request); each pass turns "\{" into "{" and "\}" into "}" (and leaves a
// value without any '{' alone), so a brace takes two backslashes before it. The token then
// is double-quoted, where the lexer unescapes only \" (a backslash before anything else stays),
// or, for a backslash before a quote or at the end, a raw `backtick` token.
std::string caddy_value(std::string_view v) {
    bool const braces = v.find('{') != std::string_view::npos;
    std::string body;
    for (char c : v) {
        if (braces && (c == '{' || c == '}')) body += R"(\\)";
        body += c;
    }
    bool const quotable = !body.ends_with('\\') && body.find("\\\"") == std::string::npos;
    if (!quotable) return "`" + body + "`";
    std::string out = "\"";
    for (char c : body) {
        if (c == '"') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::optional<std::string> caddy_refusal(std::string_view name, std::string_view value) {
    if (auto why = field_refusal(name, value)) return why;
    if (name.find_first_of("-+") == 0)
        return fmt::format("Caddy would read the leading '{}' of the header name \"{}\" as an operator", name.front(),
                           name);
    // Caddy replaces {$NAME} in the whole file when it reads it, comments included.
    if (value.find("{$") != std::string_view::npos)
        return fmt::format(
            "Caddy would replace the \"{{$...}}\" in the value of \"{}\" with an environment variable "
            "and has no escape for it",
            name);
    if (!is_utf8(value))
        return fmt::format("Caddy would turn the invalid UTF-8 in the value of \"{}\" into U+FFFD (its config is JSON)",
                           name);
    if (caddy_value(value).front() == '`' && value.find('`') != std::string_view::npos)
        return fmt::format(
            "no Caddyfile token keeps the value of \"{}\" literal: it holds a backtick and a backslash "
            "before a quote or at its end",
            name);
    return std::nullopt;
}

}  // namespace wasmdev::deploy
