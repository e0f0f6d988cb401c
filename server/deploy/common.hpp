// What the renderers share (server/deploy/render_*.cpp): the MIME table grouped by type, the
// sidecar codings, the --cache pattern and the "Written by" comment that names the command.
// Internal to server/deploy/; each format's layout is its own render_<format>.cpp.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mime/mime.hpp"
#include "server/deploy/formats.hpp"
#include "server/http/policy.hpp"

namespace wasmdev::deploy::detail {

// Hex only, and no lookahead: RE2 (Caddy, Firebase) has none.
extern std::string_view const hashed_regex;
extern std::string_view const immutable;  // the Cache-Control of --cache

// Sidecar codings as serve honours them, in the coding table's rank order.
struct Sidecar {
    std::string_view coding{};
    std::string_view suffix{};  // without the dot: "gz"
};
std::vector<Sidecar> sidecars();
std::string sidecar_names();
std::string sidecar_suffixes(std::string_view sep);
std::string sidecar_tokens();
std::string caddy_encoders();

struct TypeGroup {
    std::string base{};  // media type without parameters
    bool utf8 = false;   // the table's type carries "; charset=utf-8"
    bool compressible = false;
    std::vector<std::string_view> extensions{};
};
using EntryFilter = bool (*)(mime::MimeEntry const&);
// The MIME table's entries that pass `keep`, grouped by media type, in the table's order.
std::vector<TypeGroup> type_groups(EntryFilter keep);
std::vector<TypeGroup> all_types();
std::vector<std::string_view> compressible_types(std::vector<TypeGroup> const& groups, bool with_html);
std::vector<std::string_view> extensions_where(EntryFilter keep);
std::vector<std::string_view> compressible_by_name();
std::vector<std::string_view> sidecar_sources();
std::string join(std::vector<std::string_view> const& v, std::string_view sep, std::string_view prefix = "");

std::string command_base(RenderOptions const& o);
std::string header_arg(std::pair<std::string, std::string> const& h);
// The comment that names the command regenerating the file, each line started by `mark`.
std::string written_by(RenderOptions const& o, std::string_view mark = "#");
std::string cache_control_of(http::ResponseHeaders const& headers);
std::string policy_comment(RenderOptions const& o, std::string_view indent, std::string_view how);

}  // namespace wasmdev::deploy::detail
