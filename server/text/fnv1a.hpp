// FNV-1a, 64 bits: the one non-cryptographic hash of bytes (a strong ETag for the embedded
// pages, a name for the reload token that does not show it). Not for anything an attacker
// may choose to collide; nothing here relies on that.
#pragma once
#include <cstdint>
#include <string_view>

namespace wasmdev::text {

constexpr std::uint64_t fnv1a(std::string_view bytes) {
    std::uint64_t hash = 14695981039346656037ull;  // the offset basis, 0xcbf29ce484222325
    for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;
    return hash;
}

}  // namespace wasmdev::text
