#include <doctest/doctest.h>

#include <random>
#include <string>

#include "server/compress/codec.hpp"

using namespace wasmdev::compress;

namespace {
std::string sample(std::size_t n, bool compressible) {
    std::mt19937 gen(1234);
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = compressible ? "wasm module text "[gen() % 17] : char(gen() & 0xff);
    return s;
}
}  // namespace

TEST_CASE("codecs: every coding round-trips byte-exact - whole and streamed with flushes") {
    struct Input { char const* name; std::string bytes; };
    Input const inputs[] = {{"empty", ""}, {"one byte", "x"}, {"1 MiB random", sample(1 << 20, false)},
                            {"5 MiB compressible", sample(5 << 20, true)}};
    for (auto coding : {Coding::gzip, Coding::deflate, Coding::br, Coding::zstd}) {
        for (auto const& in : inputs) {
            CAPTURE(to_string(coding));
            CAPTURE(in.name);
            auto z = compress_all(coding, in.bytes, default_level(coding));
            REQUIRE(z);
            CHECK(decompress_all(coding, *z) == in.bytes);

            Compressor streamed(coding, default_level(coding));
            std::string out;
            for (std::size_t off = 0; off < in.bytes.size(); off += 300000)
                REQUIRE(streamed.feed(std::string_view(in.bytes).substr(off, 300000), out, off == 0));
            REQUIRE(streamed.finish(out));
            CHECK(decompress_all(coding, out) == in.bytes);
        }
    }
}

TEST_CASE("codecs: wire formats are the standard ones (gzip magic - zlib header for deflate)") {
    auto gz = compress_all(Coding::gzip, "hello hello hello", 6);
    REQUIRE(gz);
    CHECK(static_cast<unsigned char>((*gz)[0]) == 0x1f);
    CHECK(static_cast<unsigned char>((*gz)[1]) == 0x8b);
    auto df = compress_all(Coding::deflate, "hello hello hello", 6);
    REQUIRE(df);
    // RFC 1950: CMF 0x78 for deflate with a 32 KiB window; (CMF*256 + FLG) % 31 == 0.
    CHECK(static_cast<unsigned char>((*df)[0]) == 0x78);
    CHECK(((static_cast<unsigned char>((*df)[0]) << 8) | static_cast<unsigned char>((*df)[1])) % 31 == 0);
}

TEST_CASE("decompress_all: corrupt or truncated input is refused - not half-decoded") {
    auto text = sample(100000, true);
    for (auto coding : {Coding::gzip, Coding::deflate, Coding::br, Coding::zstd}) {
        CAPTURE(to_string(coding));
        auto z = compress_all(coding, text, default_level(coding));
        REQUIRE(z);
        CHECK_FALSE(decompress_all(coding, z->substr(0, z->size() / 2)));
        CHECK_FALSE(decompress_all(coding, "not compressed at all"));
    }
}
