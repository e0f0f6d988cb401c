// Content negotiation of Accept-Encoding (RFC 9110 §12.5.3) for compressible bodies.
// Chooses among the codings a resource can be offered in; does not compress anything and
// does not decide whether a resource is compressible (mime/ and the handler do).
#pragma once
#include <optional>
#include <span>
#include <string_view>

namespace wasmdev::http {

enum class ContentCoding { identity, zstd, br, gzip, deflate };

// "identity", "zstd", "br", "gzip", "deflate" (the Content-Encoding token).
std::string_view to_string(ContentCoding c);

// The coding to send, or nullopt when the client accepts none of `available` and refuses
// identity too (the caller answers 406). No header means identity. `available` need not
// list identity: it is always on offer unless the client refuses it (identity;q=0 or *;q=0).
// Ties in q-value go to the server's order: zstd, br, gzip, deflate, identity. For a local
// dev server the body is compressed once and then served from memory, so what matters is
// the wire size and the browser's decode speed: zstd and br decode fast and beat gzip's
// ratio on wasm; gzip and deflate remain for clients without them.
std::optional<ContentCoding> negotiate_encoding(std::optional<std::string_view> accept_encoding,
                                                std::span<ContentCoding const> available);

}  // namespace wasmdev::http
