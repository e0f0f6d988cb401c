// Streaming compressors and one-shot decompressors for the wire codings: gzip (RFC 1952),
// deflate (the zlib format, RFC 1950, as RFC 9110 §8.4.1.2 requires), br and zstd.
// Knows nothing of files, caches or HTTP headers: cache.hpp feeds files through a Compressor,
// and http/representation.hpp decides which coding a response gets.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/codings/coding.hpp"

namespace wasmdev::compress {

// The codec id is the coding itself (server/codings/coding.hpp); identity has no codec: a
// Compressor for it is never ok().
using Coding = codings::Coding;
using codings::to_string;

// The level a dev server uses for each coding; see codec.cpp for the measurements behind them.
// Speed wins: on a local connection the cold first load of a wasm receives its bytes as fast
// as they are compressed, so a slow level delays the page more than its ratio saves.
int default_level(Coding c);

// One compressed stream. Errors never throw: feed() and finish() return false, and ok() stays
// false from then on (also for a bad level and in a moved-from Compressor). After finish(),
// feed() and finish() return false: there is no second stream.
class Compressor {
public:
    Compressor(Coding coding, int level);
    ~Compressor();
    Compressor(Compressor&&) noexcept;
    Compressor& operator=(Compressor&&) noexcept;

    // Appends the compressed form of `in` to out. `flush` makes everything fed so far decodable
    // by the receiver (a sync flush; used after the first block so the first bytes of a cold
    // file reach the client at once). Taking string_view, not span<char const>: a string
    // literal passed as a span would carry its NUL terminator into the body.
    bool feed(std::string_view in, std::string& out, bool flush = false);
    // Ends the stream (trailer, checksum). Nothing may be fed afterwards.
    bool finish(std::string& out);
    bool ok() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Whole-buffer helpers (tests, embedded assets). decompress_all refuses truncated, corrupt
// or trailing-garbage input instead of returning what it decoded so far.
std::optional<std::string> compress_all(Coding c, std::string_view in, int level);
std::optional<std::string> decompress_all(Coding c, std::string_view in);

}  // namespace wasmdev::compress
