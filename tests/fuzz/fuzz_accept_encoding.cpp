// negotiate_encoding (server/http/negotiate.hpp, its public function only) on any
// Accept-Encoding value and offer: the answer is on offer (or identity), and only a header
// that refuses identity ("identity;q=0" or "*;q=0") can leave nothing acceptable (406).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "server/http/negotiate.hpp"
#include "tests/fuzz/check.hpp"

using namespace wasmdev;
using fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view const in(reinterpret_cast<char const*>(data + 1), size - 1);
    // The first byte picks what the resource is offered in.
    std::vector<http::ContentCoding> offer;
    for (auto c : {http::ContentCoding::zstd, http::ContentCoding::br, http::ContentCoding::gzip,
                   http::ContentCoding::deflate, http::ContentCoding::identity})
        if (data[0] & (1u << int(c))) offer.push_back(c);
    auto const chosen = http::negotiate_encoding(in, offer);
    if (chosen)
        check(*chosen == http::ContentCoding::identity || std::find(offer.begin(), offer.end(), *chosen) != offer.end(),
              "the chosen coding is on offer", in);
    std::string lower(in);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (lower.find("identity") == std::string::npos && lower.find('*') == std::string::npos)
        check(chosen.has_value(), "without identity or * in the header, identity stays acceptable", in);
    check(http::negotiate_encoding(in, offer) == chosen, "the answer is deterministic", in);
    check(http::negotiate_encoding(std::nullopt, offer) == http::ContentCoding::identity, "no header is identity", in);
    if (auto c = http::parse_content_coding(in))
        check(http::parse_content_coding(http::to_string(*c)) == c, "a coding's token names it again", in);
    return 0;
}
