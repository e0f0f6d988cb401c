// What `wasmdev check` knows about one fetched resource: its kind (why the page loads it),
// the response's status and header fields as received, and what the fetcher observed about
// its body. Plain data shared by the fetcher (fetch.hpp), the judges (judge.hpp) and the
// renderers (render.hpp); nothing here does I/O.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::check {

// Why the page loads a URL: it decides which MIME types a browser accepts, whether the
// response must carry COEP itself, and whether its body is scanned for more URLs.
enum class Kind { page, script, module, worker, wasm, data, source_map, other };
std::string_view to_string(Kind k);

struct Header {
    std::string name{};
    std::string value{};
};

struct Observed {
    std::string url{};  // absolute, without fragment
    Kind kind = Kind::other;
    bool cross_origin = false;  // another origin than the page's: fetched with HEAD only
    std::string error{};        // a transport failure (DNS, refused, TLS, timeout); then status is 0
    int status = 0;
    std::vector<Header> headers{};
    std::uint64_t body_bytes = 0;                  // bytes of body received on the wire (as encoded)
    bool body_cut = false;                         // the body was longer than the per-body cap and was not read whole
    std::string redirected_from{};                 // the URL first asked for, when redirects led here
    std::optional<int> range_status{};             // the status of a `Range: bytes=0-0` probe, when one was sent
    std::optional<std::uint64_t> identity_size{};  // the uncompressed size the probe learnt (Content-Range's /N)
};

// Every value of a header field (case-insensitive name), in the order received.
std::vector<std::string_view> header_values(std::vector<Header> const& headers, std::string_view name);
// The field's values joined with ", " as RFC 9110 §5.3 combines repeated fields; nullopt when absent.
std::optional<std::string> combined_header(std::vector<Header> const& headers, std::string_view name);
// The body's size: Content-Length when present and a number, else the bytes received.
std::uint64_t body_size(Observed const& o);

}  // namespace wasmdev::check
