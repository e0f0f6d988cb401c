// parse_target (server/http/target.cpp) on any request-target bytes: segments never name a
// parent, the root or a separator (no path above ROOT), and encode_path round-trips them.
#include <cstdint>
#include <string>

#include "server/http/target.hpp"
#include "tests/fuzz/check.hpp"

using wasmdev::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const in(reinterpret_cast<char const*>(data), size);
    auto const t = wasmdev::http::parse_target(in);
    if (!t) return 0;
    if (t->asterisk) {
        check(in == "*", "only \"*\" is the asterisk form", in);
        return 0;
    }
    for (auto const& s : t->segments) {
        check(!s.empty() && s != "." && s != "..", "no empty, \".\" or \"..\" segment", in);
        check(s.find_first_of(std::string_view("/\\\0", 3)) == std::string::npos, "no '/', '\\' or NUL in a segment",
              in);
    }
    check(t->trailing_slash || !t->segments.empty(), "the root is a directory", in);
    auto const path = wasmdev::http::encode_path(t->segments, t->trailing_slash);
    check(path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\"),
          "an encoded path never starts with // or /\\", in);
    auto const again = wasmdev::http::parse_target(path);
    check(again && again->segments == t->segments && again->trailing_slash == t->trailing_slash,
          "encode_path parses back to the same segments", in);
    check(t->query.find_first_of(std::string_view("# \r\n\0", 5)) == std::string::npos, "the query is clean", in);
    return 0;
}
