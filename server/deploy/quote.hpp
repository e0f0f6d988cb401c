// How a --header name or value is written in each config syntax so that the real server
// sends exactly those bytes (docs/design.md#config-formats), and why a value cannot be when no quoting reaches it.
// Each rule below was checked against the server's own parser (Apache 2.4, nginx 1.22,
// Caddy 2.6; tests/integration/htaccess_*.sh). Laying out the files is render.cpp's job.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wasmdev::deploy {

// Apache: a config word, bare when it is plain, else double-quoted (ap_getword_conf).
std::string apache_word(std::string_view s);
// Apache: a mod_headers value, quoted for the config parser and for mod_headers' own
// '%' format specifiers and backslash escapes.
std::string apache_value(std::string_view value);
// Why NAME: VALUE cannot be a mod_headers line, or nullopt. Line length is render()'s check.
std::optional<std::string> apache_refusal(std::string_view name, std::string_view value);
// Apache answers 500 for a directory whose .htaccess has a longer line ("Line too long").
inline constexpr std::size_t apache_max_line = 8000;

// nginx: a double-quoted string (the lexer unescapes \" and \\).
std::string nginx_string(std::string_view s);
// nginx: a header name, bare when it is plain, else double-quoted.
std::string nginx_name(std::string_view name);
std::optional<std::string> nginx_refusal(std::string_view name, std::string_view value);
// nginx reads one parameter into a 4 KiB buffer ("too long parameter").
inline constexpr std::size_t nginx_max_token = 4000;

// Caddy: a header field name for a `header` block ("defer" is a keyword there, "Defer" is not).
std::string caddy_name(std::string_view name);
// Caddy: a value token whose placeholders are escaped, so `{http.request.uri}` stays text.
std::string caddy_value(std::string_view value);
std::optional<std::string> caddy_refusal(std::string_view name, std::string_view value);

}  // namespace wasmdev::deploy
