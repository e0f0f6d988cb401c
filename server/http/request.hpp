// The request and response shapes the pure pipeline works on, free of Beast and Asio.
// The session fills a RequestHead from the parsed message and turns a ResponsePlan into
// bytes on the wire; everything in between is handle()'s business.
#pragma once
#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/http/config.hpp"

namespace wasmdev::compress {
class Entry;
}

namespace wasmdev::http {

struct RequestHead {
    std::string_view method{};
    std::string_view target{};
    unsigned version = 11;  // 10 or 11
    bool keep_alive = true;
    std::vector<std::pair<std::string_view, std::string_view>> fields{};

    // The first field of that name (case-insensitive), or nullopt.
    std::optional<std::string_view> field(std::string_view name) const;
    std::size_t count(std::string_view name) const;
};

// An open regular file; its fstat identity is the version the response describes.
struct OpenFile {
    int fd = -1;
    std::uint64_t size = 0;
    std::uint64_t dev = 0;
    std::uint64_t ino = 0;
    std::int64_t mtime_ns = 0;
    std::int64_t ctime_ns = 0;  // only for telling a rewritten file from the cached one
    OpenFile() = default;
    OpenFile(OpenFile const&) = delete;
    OpenFile& operator=(OpenFile const&) = delete;
    ~OpenFile();
};

// Opens path read-only (never blocking on a FIFO) and checks it is a regular file.
std::shared_ptr<OpenFile const> open_file(std::string const& path);

// Copies size, device, inode, mtime and ctime from a stat result into file.
void fill_identity(OpenFile& file, struct stat const& st);

// One piece of a body: literal bytes, or a byte range of the plan's file.
struct BodyPart {
    std::string literal{};
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    bool from_file = false;
};

struct ResponsePlan {
    unsigned status = 200;
    ResponseHeaders headers{};                  // everything but Content-Length / Transfer-Encoding
    std::string body{};                         // generated bodies: errors, listings, redirects
    std::string_view static_body{};             // embedded bytes that outlive the response
    std::shared_ptr<std::string const> shared_body{};  // cached bytes (compressed embedded assets)
    std::shared_ptr<OpenFile const> file{};     // when set, the body is `parts`
    std::vector<BodyPart> parts{};
    std::shared_ptr<compress::Entry> stream{};  // a compressed body being produced; length may be unknown
    std::optional<std::uint64_t> content_length{};  // nullopt: chunked (only for `stream`)
    bool send_body = true;                      // false for HEAD, 204, 304
    bool close = false;                         // Connection: close after this response
    std::string_view coding = "identity";       // for the access log
    std::string log_note{};                     // a warning worth a log line ("missing .wasm")
};

}  // namespace wasmdev::http
