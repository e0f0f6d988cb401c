// The one table of content codings (RFC 9110 §8.4.1), as mime/ is for types: token, ETag
// suffix, sidecar extension, rank and whether a codec makes it. Every list of codings in the
// server (negotiation, validators, sidecars, the compression cache, the codecs, the config
// renderers) derives from it: adding a coding is one row here plus its codec in compress/codec.cpp.
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>

namespace wasmdev::codings {

enum class Coding : unsigned char { identity, gzip, deflate, br, zstd };

struct CodingRow {
    Coding coding = Coding::identity;
    std::string_view token{};              // Content-Encoding / Accept-Encoding token
    std::string_view alias{};              // another token that names it ("x-gzip", RFC 9110 §8.4.1.3)
    std::string_view etag_suffix{};        // appended to a version's ETag (RFC 9110 §8.8.3.3)
    std::string_view sidecar_extension{};  // a precompressed X.ext beside X; empty: none
    bool made = false;                     // compress/ has a codec that makes it on demand
};

// In rank order: ties in q-value go to the earlier row (why: http/negotiate.hpp). zstd and
// br decode fast and beat gzip's ratio; identity is last because it is the largest.
inline constexpr CodingRow table[] = {
    {Coding::zstd, "zstd", "", "-zs", ".zst", true},      {Coding::br, "br", "", "-br", ".br", true},
    {Coding::gzip, "gzip", "x-gzip", "-gz", ".gz", true}, {Coding::deflate, "deflate", "", "-df", "", true},
    {Coding::identity, "identity", "", "", "", false},
};
inline constexpr std::size_t count = std::size(table);

constexpr CodingRow const& row(Coding c) {
    for (auto const& r : table)
        if (r.coding == c) return r;
    return table[count - 1];  // unreachable: every enumerator has a row (checked below)
}

// Its position in the table: lower is preferred on a q-value tie.
constexpr std::size_t rank(Coding c) {
    for (std::size_t i = 0; i < count; ++i)
        if (table[i].coding == c) return i;
    return count;
}

constexpr std::string_view to_string(Coding c) { return row(c).token; }

// The coding a token names, case-insensitively (token or alias); nullopt for codings we
// don't know ("compress", "*", garbage).
std::optional<Coding> parse(std::string_view token);

// Every coding a codec makes on demand, in rank order.
struct MadeCodings {
    Coding items[count]{};
    std::size_t size = 0;
    Coding const* begin() const { return items; }
    Coding const* end() const { return items + size; }
};
constexpr MadeCodings made_codings() {
    MadeCodings m;
    for (auto const& r : table)
        if (r.made) m.items[m.size++] = r.coding;
    return m;
}

static_assert(rank(Coding::identity) < count && rank(Coding::gzip) < count && rank(Coding::deflate) < count &&
                  rank(Coding::br) < count && rank(Coding::zstd) < count,
              "every coding has a row");

}  // namespace wasmdev::codings
