#include "server/compress/codec.hpp"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <zlib.h>
#include <zstd.h>

#include <array>

namespace wasmdev::compress {

std::string_view to_string(Coding c) {
    switch (c) {
        case Coding::gzip: return "gzip";
        case Coding::deflate: return "deflate";
        case Coding::br: return "br";
        case Coding::zstd: return "zstd";
    }
    return "gzip";
}

int default_level(Coding c) {
    switch (c) {
        case Coding::gzip:
        case Coding::deflate: return 6;
        case Coding::br: return 5;
        case Coding::zstd: return 6;
    }
    return 6;
}

struct Compressor::Impl {
    Coding coding;
    bool ok = true;
    z_stream z{};
    BrotliEncoderState* br = nullptr;
    ZSTD_CCtx* zs = nullptr;

    Impl(Coding c, int level) : coding(c) {
        switch (c) {
            case Coding::gzip:
            case Coding::deflate:
                // windowBits 15 + 16 selects the gzip wrapper; plain 15 the zlib wrapper.
                ok = deflateInit2(&z, level, Z_DEFLATED, c == Coding::gzip ? 15 + 16 : 15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
                break;
            case Coding::br:
                br = BrotliEncoderCreateInstance(nullptr, nullptr, nullptr);
                ok = br && BrotliEncoderSetParameter(br, BROTLI_PARAM_QUALITY, std::uint32_t(level));
                break;
            case Coding::zstd:
                zs = ZSTD_createCCtx();
                ok = zs && !ZSTD_isError(ZSTD_CCtx_setParameter(zs, ZSTD_c_compressionLevel, level));
                break;
        }
    }
    ~Impl() {
        if (coding == Coding::gzip || coding == Coding::deflate) deflateEnd(&z);
        if (br) BrotliEncoderDestroyInstance(br);
        if (zs) ZSTD_freeCCtx(zs);
    }

    bool run_zlib(std::string_view in, std::string& out, int mode) {
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
        z.avail_in = uInt(in.size());
        std::array<char, 64 * 1024> buf;
        do {
            z.next_out = reinterpret_cast<Bytef*>(buf.data());
            z.avail_out = uInt(buf.size());
            int rc = deflate(&z, mode);
            if (rc == Z_STREAM_ERROR) return false;
            out.append(buf.data(), buf.size() - z.avail_out);
            if (rc == Z_STREAM_END) return true;
        } while (z.avail_out == 0 || z.avail_in > 0 || (mode == Z_FINISH));
        return true;
    }

    bool run_brotli(std::string_view in, std::string& out, BrotliEncoderOperation op) {
        std::size_t avail_in = in.size();
        auto const* next_in = reinterpret_cast<std::uint8_t const*>(in.data());
        do {
            std::size_t avail_out = 0;
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
        while (true) {
            ZSTD_outBuffer output{buf.data(), buf.size(), 0};
            std::size_t remaining = ZSTD_compressStream2(zs, &output, &input, mode);
            if (ZSTD_isError(remaining)) return false;
            out.append(buf.data(), output.pos);
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
    if (!ok()) return false;
    switch (impl_->coding) {
        case Coding::gzip:
        case Coding::deflate: impl_->ok = impl_->run_zlib(in, out, flush ? Z_SYNC_FLUSH : Z_NO_FLUSH); break;
        case Coding::br: impl_->ok = impl_->run_brotli(in, out, flush ? BROTLI_OPERATION_FLUSH : BROTLI_OPERATION_PROCESS); break;
        case Coding::zstd: impl_->ok = impl_->run_zstd(in, out, flush ? ZSTD_e_flush : ZSTD_e_continue); break;
    }
    return impl_->ok;
}

bool Compressor::finish(std::string& out) {
    if (!ok()) return false;
    switch (impl_->coding) {
        case Coding::gzip:
        case Coding::deflate: impl_->ok = impl_->run_zlib({}, out, Z_FINISH); break;
        case Coding::br: impl_->ok = impl_->run_brotli({}, out, BROTLI_OPERATION_FINISH); break;
        case Coding::zstd: impl_->ok = impl_->run_zstd({}, out, ZSTD_e_end); break;
    }
    return impl_->ok;
}

std::optional<std::string> compress_all(Coding c, std::string_view in, int level) {
    Compressor z(c, level);
    std::string out;
    if (!z.feed(in, out) || !z.finish(out)) return std::nullopt;
    return out;
}

std::optional<std::string> decompress_all(Coding c, std::string_view in) {
    std::string out;
    std::array<char, 64 * 1024> buf;
    switch (c) {
        case Coding::gzip:
        case Coding::deflate: {
            z_stream z{};
            if (inflateInit2(&z, c == Coding::gzip ? 15 + 16 : 15) != Z_OK) return std::nullopt;
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
            z.avail_in = uInt(in.size());
            int rc = Z_OK;
            while (rc != Z_STREAM_END) {
                z.next_out = reinterpret_cast<Bytef*>(buf.data());
                z.avail_out = uInt(buf.size());
                rc = inflate(&z, Z_NO_FLUSH);
                if (rc != Z_OK && rc != Z_STREAM_END) break;
                out.append(buf.data(), buf.size() - z.avail_out);
                if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) break;  // truncated input
            }
            inflateEnd(&z);
            if (rc != Z_STREAM_END || z.avail_in != 0) return std::nullopt;
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
            if (rc != BROTLI_DECODER_RESULT_SUCCESS || avail_in != 0) return std::nullopt;
            return out;
        }
        case Coding::zstd: {
            auto* d = ZSTD_createDCtx();
            ZSTD_inBuffer input{in.data(), in.size(), 0};
            std::size_t rc = 1;
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
    }
    return std::nullopt;
}

}  // namespace wasmdev::compress
