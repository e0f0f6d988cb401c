#include "server/http/chunked.hpp"

#include <charconv>

namespace wasmdev::http {

std::string_view chunk_size_line(std::size_t n, ChunkSizeBuffer& buf) {
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size() - 2, n, 16);  // 16 digits always fit
    *end++ = '\r';
    *end++ = '\n';
    return {buf.data(), std::size_t(end - buf.data())};
}

}  // namespace wasmdev::http
