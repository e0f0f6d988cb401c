// The header policy every response carries (docs/design.md#policy-headers): isolation, nosniff, revalidation,
// and the --header rules (which names and values a flag may set, how they merge). This is
// the one list of policy headers; serve, htaccess and the other config writers all render
// it. Whether a header also applies to a given response is not decided here.
#pragma once
#include <optional>
#include <string_view>

#include "server/http/config.hpp"
#include "server/text/ascii.hpp"

namespace wasmdev::http {

// COOP, COEP, CORP (unless turned off), nosniff and Cache-Control: no-cache, in that
// order, with --header values replacing a same-named header (case-insensitive) or added.
// The names view literals and cfg.extra_headers: cfg must outlive the list.
ResponseHeaders policy_headers(HeaderPolicy const& cfg);

// The same without --header: what a response starts with before apply_extra_headers()
// settles the --header values once, over everything the handler added.
ResponseHeaders builtin_policy_headers(HeaderPolicy const& cfg);

std::string_view to_string(CoepMode m);
std::string_view to_string(CorpMode m);
std::optional<CoepMode> parse_coep(std::string_view s);
std::optional<CorpMode> parse_corp(std::string_view s);

// Parses a --header argument "Name: value". nullopt when the name is not an HTTP token, names
// a header the connection manages (is_connection_managed) or one derived per file
// (is_derived_per_file), or the value holds a control character other than HTAB: CR, LF or
// NUL would let a flag split the response, the others and DEL would reach terminals, logs
// and config files. header_arg_error says which, for the one-line usage error.
std::optional<std::pair<std::string, std::string>> parse_header_arg(std::string_view arg);
std::optional<std::string> header_arg_error(std::string_view arg);

// Content-Type, Content-Encoding, Content-Range, ETag, Last-Modified: serve and the config
// writers set them per file from the MIME and coding tables and the file's identity; one
// value for every response would be wrong, and nginx would send its own beside it (docs/design.md#header-flag).
bool is_derived_per_file(std::string_view name);

// Header names compare case-insensitively (RFC 9110 §5.1).
using text::iequals;

// Content-Length, Transfer-Encoding, Connection, Keep-Alive, Upgrade, Trailer, TE, Date: the
// serializer writes these from the message itself; a --header for them would corrupt framing.
bool is_connection_managed(std::string_view name);

// The one merge of a --header into a list of headers, for the server's responses and the
// deployment configs alike: it replaces the first same-named header (case-insensitive) in
// place and drops every later one, so no response carries two Content-Types; a name not
// there yet is appended. Vary is the exception: its value is added to the list already
// there (once), not put in place of it. name must outlive headers (a view is kept).
void merge_header(ResponseHeaders& headers, std::string_view name, std::string_view value);

// --header wins over everything the handler set: merge_header for each, in order.
void apply_extra_headers(ResponseHeaders& headers, HeaderList const& extra);

}  // namespace wasmdev::http
