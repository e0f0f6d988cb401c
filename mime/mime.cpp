#include "mime/mime.hpp"

#include <algorithm>
#include <array>

#include "server/text/ascii.hpp"

namespace wasmdev::mime {
namespace {

constexpr std::string_view text_plain = "text/plain; charset=utf-8";

// Ordered by what a WASM build serves first, then sources for DevTools, then the web.
constexpr auto entries = std::to_array<MimeEntry>({
    // The build itself. `.wasm` must carry no parameters or streaming compilation fails.
    {"wasm", "application/wasm", true, true},
    {"js", "text/javascript", true, true},
    {"mjs", "text/javascript", true, true},
    {"cjs", "text/javascript", true, true},
    {"html", "text/html; charset=utf-8", true, true},
    {"htm", "text/html; charset=utf-8", true, true},
    {"data", "application/octet-stream", true, true},
    {"json", "application/json", true, true},
    {"map", "application/json", true, true},
    {"pyc", "application/octet-stream", false, true},
    {"whl", "application/zip", false, true},
    // Split DWARF for DevTools' C/C++ extension. No media type is registered for DWARF
    // objects and the loaders read them as bytes, so octet-stream. Not compressed: the
    // extension loads .dwo files with Emscripten's lazy file, which asks HEAD for an exact
    // identity Content-Length and then reads 1 MiB ranges (a compressed answer makes it
    // download the whole file), and a .dwp can be hundreds of MB, too big for the body cache.
    // `.debug.wasm` is a .wasm and `.wasm.map` a .map: both are covered above.
    {"dwo", "application/octet-stream", false, false},
    {"dwp", "application/octet-stream", false, false},
    // Sources, shown as text so DevTools' DWARF support and the browser can display them.
    {"c", text_plain, true, false},
    {"h", text_plain, true, false},
    {"cc", text_plain, true, false},
    {"cpp", text_plain, true, false},
    {"hpp", text_plain, true, false},
    {"py", text_plain, true, false},
    {"pyi", text_plain, true, false},
    {"wat", text_plain, true, false},
    {"txt", text_plain, true, false},
    {"md", text_plain, true, false},
    {"rst", text_plain, true, false},
    {"toml", text_plain, true, false},
    // The usual web types.
    {"css", "text/css; charset=utf-8", true, false},
    {"svg", "image/svg+xml", true, false},
    {"xml", "application/xml", true, false},
    {"csv", "text/csv; charset=utf-8", true, false},
    {"png", "image/png", false, false},
    {"jpg", "image/jpeg", false, false},
    {"jpeg", "image/jpeg", false, false},
    {"gif", "image/gif", false, false},
    {"webp", "image/webp", false, false},
    {"avif", "image/avif", false, false},
    {"ico", "image/x-icon", false, false},
    {"woff", "font/woff", false, false},
    {"woff2", "font/woff2", false, false},
    {"ttf", "font/ttf", false, false},
    {"pdf", "application/pdf", false, false},
    {"zip", "application/zip", false, false},
    {"tar", "application/x-tar", true, false},
    {"gz", "application/gzip", false, false},
    {"zst", "application/zstd", false, false},
});

}  // namespace

std::span<MimeEntry const> table() { return entries; }

MimeEntry const* lookup(std::string_view file_name) {
    if (auto slash = file_name.find_last_of('/'); slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
    auto dot = file_name.find_last_of('.');
    // No dot, or only a leading one (".bashrc"): no extension.
    if (dot == std::string_view::npos || dot == 0) return nullptr;
    auto ext = file_name.substr(dot + 1);
    for (auto const& e : entries)
        if (text::iequals(e.extension, ext)) return &e;
    return nullptr;
}

std::string_view type_for(std::string_view file_name) {
    auto const* e = lookup(file_name);
    return e ? e->type : default_type;
}

bool is_compressible(std::string_view file_name) {
    auto const* e = lookup(file_name);
    return e && e->compressible;
}

}  // namespace wasmdev::mime
