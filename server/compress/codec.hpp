// Streaming compressors and one-shot decompressors for the wire codings: gzip (RFC 1952),
// deflate (the zlib format, RFC 1950, as RFC 9110 §8.4.1.2 requires), br and zstd.
// Knows nothing of files, caches or HTTP headers.
#pragma once
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace wasmdev::compress {

enum class Coding { gzip, deflate, br, zstd };

std::string_view to_string(Coding c);  // the Content-Encoding token

// Levels for a dev server: a 20 MB wasm is compressed once per build, then served from the
// cache, so the level buys ratio at a cost paid once — but the first reload waits for it.
// Measured on this machine (2 cores, a 20 MB mixed binary/text wasm-like input, MB/s of
// input, ratio in/out): see bench/RESULTS.md; chosen to keep each coding above ~40 MB/s.
int default_level(Coding c);

class Compressor {
public:
    Compressor(Coding coding, int level);
    ~Compressor();
    Compressor(Compressor&&) noexcept;
    Compressor& operator=(Compressor&&) noexcept;

    // Appends the compressed form of `in` to out; `flush` makes everything so far decodable
    // (used after the first block so the first bytes reach the client at once).
    bool feed(std::string_view in, std::string& out, bool flush = false);
    // Ends the stream (trailer, checksum). The compressor is unusable afterwards.
    bool finish(std::string& out);
    bool ok() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Whole-buffer helpers (tests, embedded assets).
std::optional<std::string> compress_all(Coding c, std::string_view in, int level);
std::optional<std::string> decompress_all(Coding c, std::string_view in);

}  // namespace wasmdev::compress
