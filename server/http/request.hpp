// The request and response shapes the pure pipeline works on, free of Beast and Asio.
// The session fills a RequestHead from the parsed message; server/net/writer.cpp turns a
// ResponsePlan into bytes on the wire; everything in between is handle()'s business.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "server/fs/open_file.hpp"
#include "server/http/config.hpp"

namespace wasmdev::compress {
class Entry;
}

namespace wasmdev::http {

// Files are server/fs/'s; the plan holds them.
using fs::OpenFile;

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

// One piece of a body: literal bytes, or a byte range of the plan's file.
struct BodyPart {
    std::string literal{};
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    bool from_file = false;
};

// The body of a response: exactly one of these, written by server/net/writer.cpp alone.
struct NoBody {};  // HEAD, 204, 304: the head may still announce a length (what the GET would send)
struct TextBody {  // generated: error pages, listings, redirects, stats.json
    std::string bytes{};
};
struct StaticBody {  // embedded bytes that outlive the response
    std::string_view bytes{};
};
struct SharedBody {  // cached bytes: compressed embedded assets, a whole compression without a cache
    std::shared_ptr<std::string const> bytes{};
};
struct FileBody {  // byte ranges of an open file, with literals between them (multipart/byteranges)
    std::shared_ptr<OpenFile const> file{};
    std::vector<BodyPart> parts{};
};
struct StreamBody {  // a compressed body being produced; its length may be unknown (then chunked)
    std::shared_ptr<compress::Entry> entry{};
};
struct EventStreamBody {};  // live reload's events (text/event-stream): the session streams them after the head
using Body = std::variant<NoBody, TextBody, StaticBody, SharedBody, FileBody, StreamBody, EventStreamBody>;

struct ResponsePlan {
    unsigned status = 200;
    ResponseHeaders headers{};  // everything but Content-Length / Transfer-Encoding
    Body body{};
    std::optional<std::uint64_t> content_length{};  // nullopt: chunked (a stream, or its HEAD)
    bool close = false;                             // Connection: close after this response
    std::string_view coding = "identity";           // of the representation, for the access log
    std::string log_note{};                         // a warning worth a log line ("missing .wasm")

    bool has_body() const { return !std::holds_alternative<NoBody>(body); }
};

}  // namespace wasmdev::http
