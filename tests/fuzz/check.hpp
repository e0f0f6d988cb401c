// The fuzz targets' one assertion: print which invariant broke, then abort so libFuzzer
// keeps the input. Header-only; each fuzz_NAME.cpp includes it.
#pragma once
#include <cstdio>
#include <string_view>

namespace wasmdev::fuzz {

inline void check(bool ok, char const* invariant, std::string_view input = {}) {
    if (ok) return;
    std::fprintf(stderr, "invariant broken: %s\ninput (%zu bytes): %.*s\n", invariant, input.size(),
                 int(input.size() > 400 ? 400 : input.size()), input.data());
    __builtin_trap();
}

// Splits the fuzz input at the first '\n' (or NUL): the head and the rest.
inline std::pair<std::string_view, std::string_view> split_once(std::string_view s, char sep = '\n') {
    auto const at = s.find(sep);
    if (at == std::string_view::npos) return {s, {}};
    return {s.substr(0, at), s.substr(at + 1)};
}

}  // namespace wasmdev::fuzz
