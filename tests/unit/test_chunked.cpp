#include <doctest/doctest.h>
#include <string>

#include "server/http/chunked.hpp"

using namespace wasmdev::http;

TEST_CASE("chunk_size_line: the size in hex then CRLF, up to 64-bit sizes") {
    struct Row {
        std::size_t n;
        std::string_view line;
    };
    Row const rows[] = {{1, "1\r\n"}, {15, "f\r\n"}, {8000, "1f40\r\n"}, {std::size_t(-1), "ffffffffffffffff\r\n"}};
    for (auto const& row : rows) {
        CAPTURE(row.n);
        ChunkSizeBuffer buf;
        CHECK(chunk_size_line(row.n, buf) == row.line);
    }
    CHECK(chunk_end_and_last == std::string(chunk_end) + std::string(last_chunk));
}
