// DevTools' URL rules for debug files and sources, as the C/C++ DevTools extension applies them
// (devtools-frontend extensions/cxx_debugging/src/ModuleConfiguration.ts resolveSourcePathToURL,
// DWARFSymbols.ts, MEMFSResourceLoader.ts), and the mapping of a server URL back to a path under
// ROOT with the server's own rules (no dot segments, no hidden names). Pure: strings in, strings out.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::doctor {

// An absolute URL split the way the rules need it; path keeps its percent-encoding.
struct Url {
    std::string scheme{};     // lower case: "http", "https", "file"
    std::string authority{};  // "127.0.0.1:8000"; empty for file:///x
    std::string path = "/";   // starts with '/'
    std::string href() const;
};

// Parses "scheme://authority/path" (query and fragment dropped); nullopt for anything else.
std::optional<Url> parse_url(std::string_view text);

// RFC 3986 §5.2 resolution of a reference against base, WHATWG-style for special schemes:
// '\' is '/', '?' and '#' end the path, bytes a URL cannot hold (space, non-ASCII, "<>`{}) are
// percent-encoded. A reference with its own scheme ("https://...") is parsed as is.
std::optional<Url> resolve_reference(std::string_view reference, Url const& base);

// One row of the extension's "path substitutions" (from → to, prefix match, first match wins).
struct PathSubstitution {
    std::string from{};
    std::string to{};
};

// resolveSourcePathToURL(): '\' → '/', the first matching substitution ("." matches any relative
// path), then a leading "/" becomes file:// ("//" file:), a drive letter file:/, anything else
// resolves against base (the URL of the file holding the DWARF).
std::optional<Url> resolve_source_path(std::vector<PathSubstitution> const& substitutions, std::string_view source_path,
                                       Url const& base);

// Where a server URL lands under ROOT, served at root_url: the decoded, '/'-joined path
// relative to ROOT, or why the server would not serve it.
struct RootPath {
    bool on_server = false;  // same scheme and authority, path under root_url's path
    bool servable = false;   // and the server would look it up (no dot segment, no hidden name)
    std::string relative{};  // "Python/ceval.c"; set when servable
    std::string reason{};    // why not, one phrase
};
RootPath to_root_path(Url const& url, Url const& root_url);

// The URL a server at root_url gives a file at relative (each segment percent-encoded).
Url url_for(Url const& root_url, std::string_view relative);

// The percent-encoding of one path segment as the server's listing writes it.
std::string encode_segment(std::string_view segment);

}  // namespace wasmdev::doctor
