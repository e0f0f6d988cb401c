// Content negotiation of Accept-Encoding (RFC 9110 §12.5.3) for compressible bodies.
// Chooses among the codings a resource can be offered in; does not compress anything and
// does not decide whether a resource is compressible (mime/ and the handler do).
#pragma once
#include <optional>
#include <span>
#include <string_view>

#include "server/codings/coding.hpp"

namespace wasmdev::http {

// The codings and their tokens come from the one table, server/codings/coding.hpp.
using ContentCoding = codings::Coding;
using codings::to_string;

// The coding a content-coding token names, case-insensitively, with "x-gzip" as gzip
// (RFC 9110 §8.4.1.3); nullopt for codings we don't know ("compress", "*", garbage).
std::optional<ContentCoding> parse_content_coding(std::string_view token);

// The coding to send, or nullopt when the client accepts none of `available` and refuses
// identity too (identity;q=0, or *;q=0 without identity listed): the caller answers 406.
// `available` need not list identity: it is always on offer and acceptable unless refused,
// but it is chosen over a named coding only when its own q-value is higher.
// No header (nullopt) and an empty header both mean identity. Malformed elements are
// ignored; q-values are 0 to 1 with up to three decimals (RFC 9110 §12.4.2).
//
// Ties in q-value go to the table's rank: zstd, br, gzip, deflate, identity. A local dev
// server compresses each file version once, on the first (cold) request, and then serves it
// from memory, so the one-off compression time matters less than what every later request
// costs the browser: zstd and br decode fast and beat gzip's ratio on wasm and JS; gzip and
// deflate stay for clients without them; identity is last because it is the largest.
std::optional<ContentCoding> negotiate_encoding(std::optional<std::string_view> accept_encoding,
                                                std::span<ContentCoding const> available);

}  // namespace wasmdev::http
