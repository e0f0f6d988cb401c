// The one extension → media type table (docs/design.md#mime), shared by the server and by every
// config generator (server/deploy/: every deploy format). There is no other MIME list in the project.
// Lookup only: choosing an encoding or writing headers is left to server/http/.
#pragma once
#include <span>
#include <string_view>

namespace wasmdev::mime {

struct MimeEntry {
    std::string_view extension{};  // lower case, without the dot: "wasm"
    std::string_view type{};       // the exact Content-Type value
    bool compressible = false;     // worth DEFLATE/gzip on the wire
    bool wasm_relevant = false;    // deploy configs must declare it (AddType, types {})
};

inline constexpr std::string_view default_type = "application/octet-stream";

// Every entry, in a stable order (used by generators, so their output is reproducible).
std::span<MimeEntry const> table();

// The entry for a file name or path by its last extension, case-insensitive; nullptr when
// unknown. "python.WASM" → wasm; "archive.tar.gz" → gz; ".bashrc" and "README" → nullptr.
MimeEntry const* lookup(std::string_view file_name);

// The Content-Type for a file name: the table's type, or default_type when unknown.
std::string_view type_for(std::string_view file_name);

// Whether a file of this name is worth compressing on the wire (text, JavaScript, JSON,
// wasm, svg, .data); already-compressed formats and unknown extensions are not.
bool is_compressible(std::string_view file_name);

}  // namespace wasmdev::mime
