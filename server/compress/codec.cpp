#include "server/compress/codec.hpp"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace wasmdev::compress {

namespace {
// zlib counts in uInt (32 bits): larger inputs are fed in pieces of this size.
constexpr std::size_t zlib_piece = std::size_t(1) << 30;
}  // namespace

// Measured through this Compressor in 256 KiB blocks, the first one flushed, as the cache
// feeds it; best of 4 runs on a 2-core machine shared with other builds, so single figures
// move by up to ~40% between runs while their order and the ratios stay put:
//
//   input                 coding  level    MB/s  ratio
//   pyodide.asm.wasm      gzip      1        91   2.40
//   (a real CPython       gzip      4        60   2.61   <- default
//    wasm, 9.6 MB)        gzip      6        22   2.71      (zlib's default)
//                         gzip      9        11   2.72
//                         br        1       253   2.41
//                         br        2       137   2.67   <- default
//                         br        3       112   2.68
//                         br        5        30   2.94
//                         zstd      1       391   2.44
//                         zstd      3       219   2.68   <- default
//                         zstd      6        88   2.84
//                         zstd      9        51   2.96
//   20 MB of x86-64 .so   gzip      1       131   3.43
//   files, concatenated   gzip      4        82   3.68
//                         gzip      6        35   3.76
//                         br        2       202   4.10
//                         br        5        51   4.61
//                         zstd      3       139   4.10
//                         zstd      6        83   4.47
//   pyodide.asm.mjs       gzip      4       101   4.66
//   (1.25 MB JS)          gzip      6        43   4.80
//                         br        2       190   4.71
//                         zstd      3       317   4.69
//
// gzip/deflate 4 is zlib's first lazy-matching level: 9-15% smaller than level 1 for 1.5x
// the time, where level 6 costs 2.5x more time again for 1-4% (a cold 20 MB wasm: ~0.3 s at
// 4, ~0.9 s at 6). Brotli 2 has quality 3's ratio at ~20% more speed; from 4 on brotli
// slows sharply. zstd 3 (its own default) beats gzip 6's ratio at 5-10x its speed.
int default_level(Coding c) {
    switch (c) {
        case Coding::gzip:
        case Coding::deflate: return 4;
        case Coding::br: return 2;
        case Coding::zstd: return 3;
        case Coding::identity: return 0;
    }
    return 0;
}

struct Compressor::Impl {
    Coding coding;
    bool ok = true;
    bool finished = false;
    bool zlib_live = false;
    z_stream z{};
    BrotliEncoderState* br = nullptr;
    ZSTD_CCtx* zs = nullptr;

    Impl(Coding c, int level) : coding(c) {
        switch (c) {
            case Coding::gzip:
            case Coding::deflate:
                // windowBits 15 + 16 selects the gzip wrapper; plain 15 the zlib wrapper.
                zlib_live = deflateInit2(&z, level, Z_DEFLATED, c == Coding::gzip ? 15 + 16 : 15, 8,
                                         Z_DEFAULT_STRATEGY) == Z_OK;
                ok = zlib_live;
                break;
            case Coding::br:
                br = BrotliEncoderCreateInstance(nullptr, nullptr, nullptr);
                ok = br && level >= BROTLI_MIN_QUALITY && level <= BROTLI_MAX_QUALITY &&
                     BrotliEncoderSetParameter(br, BROTLI_PARAM_QUALITY, std::uint32_t(level));
                break;
            case Coding::zstd:
                zs = ZSTD_createCCtx();
                ok = zs && !ZSTD_isError(ZSTD_CCtx_setParameter(zs, ZSTD_c_compressionLevel, level));
                break;
            case Coding::identity: ok = false; break;  // no codec: nothing to make
        }
    }
    ~Impl() {
        if (zlib_live) deflateEnd(&z);
        if (br) BrotliEncoderDestroyInstance(br);
        if (zs) ZSTD_freeCCtx(zs);
    }
    Impl(Impl const&) = delete;
    Impl& operator=(Impl const&) = delete;

    bool run_zlib(std::string_view in, std::string& out, int mode) {
        do {
            auto const piece = in.substr(0, zlib_piece);
            in.remove_prefix(piece.size());
            // The last piece carries the flush; earlier ones are plain input.
            if (!run_zlib_piece(piece, out, in.empty() ? mode : Z_NO_FLUSH)) return false;
        } while (!in.empty());
        return true;
    }

    bool run_zlib_piece(std::string_view in, std::string& out, int mode) {
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
        z.avail_in = uInt(in.size());
        std::array<char, 64 * 1024> buf;
        for (;;) {
            z.next_out = reinterpret_cast<Bytef*>(buf.data());
            z.avail_out = uInt(buf.size());
            int const rc = deflate(&z, mode);
            if (rc == Z_STREAM_ERROR) return false;
            std::size_t const produced = buf.size() - z.avail_out;
            out.append(buf.data(), produced);
            if (rc == Z_STREAM_END) return true;
            // Room left over means deflate had nothing more to give for this flush mode.
            if (mode != Z_FINISH && z.avail_in == 0 && z.avail_out != 0) return true;
            // No progress possible: a finish that cannot end, or a misuse; never spin.
            if (rc == Z_BUF_ERROR && produced == 0) return mode != Z_FINISH && z.avail_in == 0;
        }
    }

    bool run_brotli(std::string_view in, std::string& out, BrotliEncoderOperation op) {
        std::size_t avail_in = in.size();
        auto const* next_in = reinterpret_cast<std::uint8_t const*>(in.data());
        do {
            std::size_t avail_out = 0;  // brotli's own output buffer, taken below without a copy in
            if (!BrotliEncoderCompressStream(br, op, &avail_in, &next_in, &avail_out, nullptr, nullptr)) return false;
            std::size_t size = 0;
            auto const* data = BrotliEncoderTakeOutput(br, &size);
            out.append(reinterpret_cast<char const*>(data), size);
        } while (avail_in > 0 || BrotliEncoderHasMoreOutput(br) ||
                 (op == BROTLI_OPERATION_FINISH && !BrotliEncoderIsFinished(br)));
        return true;
    }

    bool run_zstd(std::string_view in, std::string& out, ZSTD_EndDirective mode) {
        ZSTD_inBuffer input{in.data(), in.size(), 0};
        std::array<char, 64 * 1024> buf;
        for (;;) {
            ZSTD_outBuffer output{buf.data(), buf.size(), 0};
            std::size_t const remaining = ZSTD_compressStream2(zs, &output, &input, mode);
            if (ZSTD_isError(remaining)) return false;
            out.append(buf.data(), output.pos);
            // continue: done once all input is taken; flush and end: once nothing is left inside.
            bool const drained = mode == ZSTD_e_continue ? input.pos == input.size : remaining == 0;
            if (drained) return true;
        }
    }
};

Compressor::Compressor(Coding coding, int level) : impl_(std::make_unique<Impl>(coding, level)) {}
Compressor::~Compressor() = default;
Compressor::Compressor(Compressor&&) noexcept = default;
Compressor& Compressor::operator=(Compressor&&) noexcept = default;

bool Compressor::ok() const { return impl_ && impl_->ok; }

bool Compressor::feed(std::string_view in, std::string& out, bool flush) {
    if (!ok() || impl_->finished) return false;
    switch (impl_->coding) {
        case Coding::gzip:
        case Coding::deflate: impl_->ok = impl_->run_zlib(in, out, flush ? Z_SYNC_FLUSH : Z_NO_FLUSH); break;
        case Coding::br:
            // A FLUSH that still has input to take only encodes it: the flush itself happens on a
            // call made with no input left (at quality 2 and 3 a 64 KiB block otherwise kept its
            // last 16 KiB back). So: take the input, then flush on its own.
            impl_->ok = impl_->run_brotli(in, out, BROTLI_OPERATION_PROCESS) &&
                        (!flush || impl_->run_brotli({}, out, BROTLI_OPERATION_FLUSH));
            break;
        case Coding::zstd: impl_->ok = impl_->run_zstd(in, out, flush ? ZSTD_e_flush : ZSTD_e_continue); break;
        case Coding::identity: impl_->ok = false; break;
    }
    return impl_->ok;
}

bool Compressor::finish(std::string& out) {
    if (!ok() || impl_->finished) return false;
    impl_->finished = true;
    switch (impl_->coding) {
        case Coding::gzip:
        case Coding::deflate: impl_->ok = impl_->run_zlib({}, out, Z_FINISH); break;
        case Coding::br: impl_->ok = impl_->run_brotli({}, out, BROTLI_OPERATION_FINISH); break;
        case Coding::zstd: impl_->ok = impl_->run_zstd({}, out, ZSTD_e_end); break;
        case Coding::identity: impl_->ok = false; break;
    }
    return impl_->ok;
}

std::optional<std::string> compress_all(Coding c, std::string_view in, int level) {
    Compressor z(c, level);
    std::string out;
    if (!z.feed(in, out) || !z.finish(out)) return std::nullopt;
    return out;
}

namespace {

std::optional<std::string> inflate_all(Coding c, std::string_view in) {
    z_stream z{};
    if (inflateInit2(&z, c == Coding::gzip ? 15 + 16 : 15) != Z_OK) return std::nullopt;
    std::string out;
    std::array<char, 64 * 1024> buf;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        if (z.avail_in == 0 && !in.empty()) {
            auto const piece = in.substr(0, zlib_piece);
            in.remove_prefix(piece.size());
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
            z.avail_in = uInt(piece.size());
        }
        z.next_out = reinterpret_cast<Bytef*>(buf.data());
        z.avail_out = uInt(buf.size());
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) break;  // corrupt, or Z_BUF_ERROR: truncated
        out.append(buf.data(), buf.size() - z.avail_out);
        if (rc == Z_OK && z.avail_in == 0 && in.empty() && z.avail_out != 0) break;  // truncated
    }
    bool const trailing = z.avail_in != 0 || !in.empty();
    inflateEnd(&z);
    if (rc != Z_STREAM_END || trailing) return std::nullopt;
    return out;
}

std::optional<std::string> unbrotli_all(std::string_view in) {
    auto* s = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
    if (!s) return std::nullopt;
    std::string out;
    std::array<char, 64 * 1024> buf;
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
    if (rc != BROTLI_DECODER_RESULT_SUCCESS || avail_in != 0) return std::nullopt;
    return out;
}

std::optional<std::string> unzstd_all(std::string_view in) {
    auto* d = ZSTD_createDCtx();
    if (!d) return std::nullopt;
    std::string out;
    std::array<char, 64 * 1024> buf;
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    std::size_t rc = 1;  // "a frame is still open": empty input is not a zstd stream
    while (input.pos < input.size) {
        ZSTD_outBuffer output{buf.data(), buf.size(), 0};
        rc = ZSTD_decompressStream(d, &output, &input);
        if (ZSTD_isError(rc)) break;
        out.append(buf.data(), output.pos);
    }
    while (!ZSTD_isError(rc) && rc != 0) {  // flush what is still buffered
        ZSTD_outBuffer output{buf.data(), buf.size(), 0};
        rc = ZSTD_decompressStream(d, &output, &input);
        if (ZSTD_isError(rc) || output.pos == 0) break;
        out.append(buf.data(), output.pos);
    }
    ZSTD_freeDCtx(d);
    if (ZSTD_isError(rc) || rc != 0) return std::nullopt;
    return out;
}

}  // namespace

std::optional<std::string> decompress_all(Coding c, std::string_view in) {
    switch (c) {
        case Coding::gzip:
        case Coding::deflate: return inflate_all(c, in);
        case Coding::br: return unbrotli_all(in);
        case Coding::zstd: return unzstd_all(in);
        case Coding::identity: return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace wasmdev::compress
