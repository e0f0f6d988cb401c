// Header lookups and kind names for check's Observed records (resource.hpp).
#include "server/check/resource.hpp"

#include <charconv>

#include "server/text/ascii.hpp"

namespace wasmdev::check {

std::string_view to_string(Kind k) {
    switch (k) {
        case Kind::page: return "page";
        case Kind::script: return "script";
        case Kind::module: return "module";
        case Kind::worker: return "worker";
        case Kind::wasm: return "wasm";
        case Kind::data: return "data";
        case Kind::source_map: return "source-map";
        case Kind::other: return "other";
    }
    return "other";
}

std::vector<std::string_view> header_values(std::vector<Header> const& headers, std::string_view name) {
    std::vector<std::string_view> out;
    for (auto const& h : headers)
        if (text::iequals(h.name, name)) out.push_back(h.value);
    return out;
}

std::optional<std::string> combined_header(std::vector<Header> const& headers, std::string_view name) {
    auto values = header_values(headers, name);
    if (values.empty()) return std::nullopt;
    std::string out;
    for (auto v : values) {
        if (!out.empty()) out += ", ";
        out += text::trim(v);
    }
    return out;
}

std::uint64_t body_size(Observed const& o) {
    if (auto len = combined_header(o.headers, "Content-Length")) {
        std::uint64_t n = 0;
        auto const* end = len->data() + len->size();
        auto [p, ec] = std::from_chars(len->data(), end, n);
        if (ec == std::errc{} && p == end) return n;
    }
    return o.body_bytes;
}

}  // namespace wasmdev::check
