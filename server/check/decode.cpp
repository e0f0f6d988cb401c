// Bounded gzip/deflate/br decoding for check (decode.hpp).
#include "server/check/decode.hpp"

#include <brotli/decode.h>
#include <zlib.h>

#include <memory>

#include "server/text/ascii.hpp"

namespace wasmdev::check {
namespace {

std::optional<std::string> inflate_bounded(std::string_view in, int window_bits, std::size_t max_out) {
    z_stream z{};
    if (inflateInit2(&z, window_bits) != Z_OK) return std::nullopt;
    std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&z, inflateEnd);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    std::string out;
    char buf[16384];
    for (;;) {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        int rc = inflate(&z, Z_NO_FLUSH);
        std::size_t got = sizeof buf - z.avail_out;
        out.append(buf, std::min(got, max_out - out.size()));
        if (out.size() >= max_out) return out;
        if (rc == Z_STREAM_END) return out;
        if (rc != Z_OK) return std::nullopt;
        if (z.avail_in == 0 && got == 0) return out;  // truncated input: what it decoded so far
    }
}

std::optional<std::string> unbrotli_bounded(std::string_view in, std::size_t max_out) {
    std::unique_ptr<BrotliDecoderState, void (*)(BrotliDecoderState*)> st(
        BrotliDecoderCreateInstance(nullptr, nullptr, nullptr), BrotliDecoderDestroyInstance);
    if (!st) return std::nullopt;
    auto const* next_in = reinterpret_cast<uint8_t const*>(in.data());
    std::size_t avail_in = in.size();
    std::string out;
    uint8_t buf[16384];
    for (;;) {
        uint8_t* next_out = buf;
        std::size_t avail_out = sizeof buf;
        auto rc = BrotliDecoderDecompressStream(st.get(), &avail_in, &next_in, &avail_out, &next_out, nullptr);
        std::size_t got = sizeof buf - avail_out;
        out.append(reinterpret_cast<char*>(buf), std::min(got, max_out - out.size()));
        if (out.size() >= max_out || rc == BROTLI_DECODER_RESULT_SUCCESS) return out;
        if (rc == BROTLI_DECODER_RESULT_ERROR) return std::nullopt;
        if (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) return out;  // truncated: what it decoded so far
    }
}

}  // namespace

std::optional<std::string> decode_body(std::string_view coding, std::string_view body, std::size_t max_out) {
    auto c = text::lowercase(text::trim(coding));
    if (c.empty() || c == "identity") return std::string(body.substr(0, std::min(body.size(), max_out)));
    if (c == "gzip" || c == "x-gzip") return inflate_bounded(body, 16 + MAX_WBITS, max_out);
    if (c == "deflate") return inflate_bounded(body, MAX_WBITS, max_out);
    if (c == "br") return unbrotli_bounded(body, max_out);
    return std::nullopt;
}

}  // namespace wasmdev::check
