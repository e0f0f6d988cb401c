// What the static hosts' formats share (render_netlify*.cpp, render_cloudflare.cpp,
// render_vercel.cpp, render_firebase.cpp): the policy as path rules, the build types whose
// Content-Type is declared rather than left to the host's own table, and the checks every host
// makes (docs/deploy.md). Each host's syntax and limits stay in its own render_<format>.cpp.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/deploy/formats.hpp"
#include "server/http/header_policy.hpp"

namespace wasmdev::deploy::detail {

// A header rule as hosts have them: a path pattern in the host's syntax and what it sets.
struct HostRule {
    std::string pattern{};
    http::HeaderList headers{};
};

// The build's types (the MIME table's wasm-relevant rows but HTML, which every host gets
// right): extension and exact Content-Type. No host documents its own table, and a .wasm
// without application/wasm cannot be compiled while it streams (docs/deploy.md#types).
std::vector<std::pair<std::string_view, std::string_view>> declared_types();

// The policy headers on `all_paths`, then one Content-Type rule per declared type, its pattern
// made by `type_pattern` from the extension. No two rules set the same header on one path:
// hosts that join overlapping rules' values would send "same-origin, same-origin".
std::vector<HostRule> host_rules(RenderOptions const& o, std::string const& all_paths,
                                 std::string (*type_pattern)(std::string_view extension));

// Checks every host shares: a value that is not well-formed UTF-8 (refused: the hosts' files
// are Unicode text), a --header naming one the host sets itself (refused; `warned`
// ones are a warning), --precompressed (the hosts compress by themselves: a warning) and
// --cache (refused where `cache_pattern` is false: the host has no pattern for hashed names).
Verdict host_verdict(RenderOptions const& o, std::string_view host, std::span<std::string_view const> refused,
                     std::span<std::string_view const> warned, bool cache_pattern);

// The header names Netlify's servers set themselves (custom values are ignored).
std::span<std::string_view const> netlify_refused_names();

// A _headers file (Netlify, Cloudflare Pages): `# ` comment lines, then per rule its
// pattern and "  Name: value" lines.
std::string headers_file(std::string_view comment, std::vector<HostRule> const& rules);

}  // namespace wasmdev::deploy::detail
