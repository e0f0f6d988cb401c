// Chunked transfer coding (RFC 9112 §7.1) for bodies whose length is unknown when their head
// is sent: the framing around each chunk's bytes. Pure: server/net/writer.cpp puts the pieces
// on the wire around bytes it does not copy.
#pragma once
#include <array>
#include <cstddef>
#include <string_view>

namespace wasmdev::http {

// Room for the longest chunk-size line: 16 hex digits and CRLF.
using ChunkSizeBuffer = std::array<char, 24>;

// "1f40\r\n": the line before a chunk of n bytes (n > 0), written into buf.
std::string_view chunk_size_line(std::size_t n, ChunkSizeBuffer& buf);

inline constexpr std::string_view chunk_end = "\r\n";                    // after a chunk's bytes
inline constexpr std::string_view last_chunk = "0\r\n\r\n";              // ends the body (no trailers)
inline constexpr std::string_view chunk_end_and_last = "\r\n0\r\n\r\n";  // both, after the final chunk

}  // namespace wasmdev::http
