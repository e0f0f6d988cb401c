#include <brotli/decode.h>
#include <doctest/doctest.h>
#include <zlib.h>
#include <zstd.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>

#include "server/compress/codec.hpp"

using namespace wasmdev::compress;

namespace {

auto const all_codings = wasmdev::codings::made_codings();  // every coding a codec makes

std::string sample(std::size_t n, bool compressible) {
    std::mt19937 gen(1234);
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = compressible ? "wasm module text "[gen() % 17] : char(gen() & 0xff);
    return s;
}

// What a streaming decoder yields from the start of a stream that has not ended yet: what a
// browser can use before the rest arrives. Independent of decompress_all, which refuses
// unfinished input.
std::string decode_prefix(Coding c, std::string_view in) {
    std::string out;
    std::array<char, 64 * 1024> buf;
    switch (c) {
        case Coding::gzip:
        case Coding::deflate: {
            z_stream z{};
            if (inflateInit2(&z, c == Coding::gzip ? 15 + 16 : 15) != Z_OK) return out;
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
            z.avail_in = uInt(in.size());
            int rc = Z_OK;
            do {
                z.next_out = reinterpret_cast<Bytef*>(buf.data());
                z.avail_out = uInt(buf.size());
                rc = inflate(&z, Z_SYNC_FLUSH);
                out.append(buf.data(), buf.size() - z.avail_out);
            } while (rc == Z_OK && (z.avail_in > 0 || z.avail_out == 0));
            inflateEnd(&z);
            return out;
        }
        case Coding::br: {
            auto* s = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
            std::size_t avail_in = in.size();
            auto const* next_in = reinterpret_cast<std::uint8_t const*>(in.data());
            BrotliDecoderResult rc;
            do {
                std::size_t avail_out = buf.size();
                auto* next_out = reinterpret_cast<std::uint8_t*>(buf.data());
                rc = BrotliDecoderDecompressStream(s, &avail_in, &next_in, &avail_out, &next_out, nullptr);
                out.append(buf.data(), buf.size() - avail_out);
            } while (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT);
            BrotliDecoderDestroyInstance(s);
            return out;
        }
        case Coding::zstd: {
            auto* d = ZSTD_createDCtx();
            ZSTD_inBuffer input{in.data(), in.size(), 0};
            for (;;) {
                ZSTD_outBuffer output{buf.data(), buf.size(), 0};
                auto rc = ZSTD_decompressStream(d, &output, &input);
                if (ZSTD_isError(rc)) break;
                out.append(buf.data(), output.pos);
                if (input.pos == input.size && output.pos < output.size) break;
            }
            ZSTD_freeDCtx(d);
            return out;
        }
        case Coding::identity: return std::string(in);
    }
    return out;
}

}  // namespace

TEST_CASE("codecs: every coding round-trips byte-exact - whole and streamed with flushes") {
    struct Input {
        char const* name;
        std::string bytes;
    };
    Input const inputs[] = {{"empty", ""},
                            {"one byte", "x"},
                            {"1 MiB random", sample(1 << 20, false)},
                            {"5 MiB compressible", sample(5 << 20, true)}};
    for (auto coding : all_codings) {
        for (auto const& in : inputs) {
            CAPTURE(to_string(coding));
            CAPTURE(in.name);
            auto z = compress_all(coding, in.bytes, default_level(coding));
            REQUIRE(z);
            // Parenthesised here and below so that a failure does not print megabytes.
            CHECK((decompress_all(coding, *z) == in.bytes));

            // The cache's pattern: blocks, the first one flushed.
            Compressor streamed(coding, default_level(coding));
            std::string out;
            for (std::size_t off = 0; off < in.bytes.size(); off += 300000)
                REQUIRE(streamed.feed(std::string_view(in.bytes).substr(off, 300000), out, off == 0));
            REQUIRE(streamed.finish(out));
            CHECK((decompress_all(coding, out) == in.bytes));
        }
    }
}

TEST_CASE("codecs: the lowest - default and highest usual levels all round-trip") {
    struct Row {
        Coding coding;
        int level;
    };
    Row const rows[] = {{Coding::gzip, 1},    {Coding::gzip, 4}, {Coding::gzip, 9},  {Coding::deflate, 0},
                        {Coding::deflate, 9}, {Coding::br, 0},   {Coding::br, 2},    {Coding::br, 11},
                        {Coding::zstd, 1},    {Coding::zstd, 3}, {Coding::zstd, 19}, {Coding::zstd, -5}};
    auto const text = sample(100000, true);
    for (auto const& row : rows) {
        CAPTURE(to_string(row.coding));
        CAPTURE(row.level);
        auto z = compress_all(row.coding, text, row.level);
        REQUIRE(z);
        CHECK((decompress_all(row.coding, *z) == text));
    }
}

TEST_CASE("codecs: the default levels are the measured fast ones") {
    CHECK(default_level(Coding::gzip) == 4);
    CHECK(default_level(Coding::deflate) == 4);
    CHECK(default_level(Coding::br) == 2);
    CHECK(default_level(Coding::zstd) == 3);
}

TEST_CASE("codecs: wire formats are the standard ones (gzip magic - zlib header for deflate)") {
    auto gz = compress_all(Coding::gzip, "hello hello hello", 6);
    REQUIRE(gz);
    CHECK(static_cast<unsigned char>((*gz)[0]) == 0x1f);
    CHECK(static_cast<unsigned char>((*gz)[1]) == 0x8b);
    CHECK(static_cast<unsigned char>((*gz)[2]) == 8);  // CM = deflate
    auto df = compress_all(Coding::deflate, "hello hello hello", 6);
    REQUIRE(df);
    // RFC 1950: CMF 0x78 for deflate with a 32 KiB window; (CMF*256 + FLG) % 31 == 0.
    CHECK(static_cast<unsigned char>((*df)[0]) == 0x78);
    CHECK(((static_cast<unsigned char>((*df)[0]) << 8) | static_cast<unsigned char>((*df)[1])) % 31 == 0);
    auto zs = compress_all(Coding::zstd, "hello hello hello", 3);
    REQUIRE(zs);
    CHECK(zs->substr(0, 4) == std::string("\x28\xb5\x2f\xfd", 4));  // RFC 8878 frame magic
}

TEST_CASE("codecs: a flush makes everything fed so far decodable before the stream ends") {
    auto const text = sample(200000, true);
    auto const head = std::string_view(text).substr(0, 65536);
    for (auto coding : all_codings) {
        CAPTURE(to_string(coding));
        Compressor z(coding, default_level(coding));
        std::string out;
        REQUIRE(z.feed(head, out, true));
        auto const decoded = decode_prefix(coding, out);
        CAPTURE(decoded.size());
        CHECK(decoded.size() == head.size());
        CHECK((decoded == head));
        REQUIRE(z.feed(std::string_view(text).substr(head.size()), out));
        REQUIRE(z.finish(out));
        CHECK((decompress_all(coding, out) == text));
    }
}

TEST_CASE("decompress_all: corrupt - truncated or trailing-garbage input is refused - not half-decoded") {
    auto text = sample(100000, true);
    for (auto coding : all_codings) {
        CAPTURE(to_string(coding));
        auto z = compress_all(coding, text, default_level(coding));
        REQUIRE(z);
        CHECK_FALSE(decompress_all(coding, z->substr(0, z->size() / 2)));
        CHECK_FALSE(decompress_all(coding, z->substr(0, z->size() - 1)));
        CHECK_FALSE(decompress_all(coding, "not compressed at all"));
        CHECK_FALSE(decompress_all(coding, ""));
        CHECK_FALSE(decompress_all(coding, *z + "garbage"));
    }
}

TEST_CASE("Compressor: misuse returns false instead of throwing or spinning") {
    for (auto coding : all_codings) {
        CAPTURE(to_string(coding));
        std::string out;
        Compressor z(coding, default_level(coding));
        REQUIRE(z.feed("abc", out));
        REQUIRE(z.finish(out));
        auto const finished = out;
        CHECK_FALSE(z.feed("more after the end", out));  // would start a second, unexpected stream
        CHECK_FALSE(z.finish(out));
        CHECK(out == finished);
        CHECK(decompress_all(coding, finished) == "abc");

        Compressor moved(coding, default_level(coding));
        Compressor into = std::move(moved);
        CHECK(into.ok());
        CHECK_FALSE(moved.ok());  // NOLINT(bugprone-use-after-move): checking the moved-from state on purpose
        CHECK_FALSE(moved.feed("x", out));
    }
    struct Row {
        Coding coding;
        int level;
    };
    Row const bad_levels[] = {{Coding::gzip, 10}, {Coding::deflate, -2}, {Coding::br, 12}, {Coding::br, -1}};
    for (auto const& row : bad_levels) {
        CAPTURE(to_string(row.coding));
        CAPTURE(row.level);
        Compressor z(row.coding, row.level);
        std::string out;
        CHECK_FALSE(z.ok());
        CHECK_FALSE(z.feed("x", out));
        CHECK_FALSE(compress_all(row.coding, "x", row.level));
    }
}
