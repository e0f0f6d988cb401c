#include "server/http/representation.hpp"

#include <algorithm>
#include <array>

namespace wasmdev::http {

std::optional<Representation> choose_representation(std::optional<std::string_view> accept_encoding, bool ranged,
                                                    Offer const& offer) {
    if (ranged) return Representation{};
    std::array<ContentCoding, 8> available{};
    std::size_t n = 0;
    auto add = [&](ContentCoding c) {
        if (n < available.size() && std::find(available.begin(), available.begin() + n, c) == available.begin() + n)
            available[n++] = c;
    };
    for (auto c : offer.sidecars) add(c);
    if (offer.compressible)
        for (auto c : codings::made_codings()) add(c);
    auto const coding = negotiate_encoding(accept_encoding, std::span(available.data(), n));
    if (!coding) return std::nullopt;
    if (*coding == ContentCoding::identity) return Representation{};
    bool const has_sidecar = std::find(offer.sidecars.begin(), offer.sidecars.end(), *coding) != offer.sidecars.end();
    return Representation{*coding, has_sidecar ? Source::sidecar : Source::made};
}

}  // namespace wasmdev::http
