// The URLs a page and its scripts name literally, found the way a reader skims source: the
// <script>/<link rel=modulepreload> tags of an HTML page, and in JavaScript the static and
// dynamic imports, new Worker/SharedWorker(...), importScripts(...), string literals naming a
// .wasm/.data/.worker.js file, and `//# sourceMappingURL=`. No URL is resolved here (url.hpp).
// Both scanners read outside input: linear in it, reading at most max_scan_bytes and
// returning at most max_references; they never throw.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "server/check/resource.hpp"

namespace wasmdev::check {

inline constexpr std::size_t max_scan_bytes = std::size_t(16) << 20;
inline constexpr std::size_t max_references = 1000;
inline constexpr std::size_t max_reference_length = 2048;  // longer literals are not URLs we follow

struct Reference {
    std::string url{};  // as written (relative or absolute)
    Kind kind = Kind::other;
};

// <script src> (type=module: a module), inline scripts' references, <link rel=modulepreload>.
std::vector<Reference> scan_html(std::string_view html);

// A script's references; `module` also reads static `import ... from "x"` and `export ... from`.
std::vector<Reference> scan_script(std::string_view js, bool module);

// The kind a literal names by its file name: .wasm, .data, .worker.js/.worker.mjs, .map;
// Kind::other for anything else.
Kind kind_by_name(std::string_view url);

}  // namespace wasmdev::check
