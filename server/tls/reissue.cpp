#include "server/tls/reissue.hpp"

#include <algorithm>

namespace wasmdev::tls {

std::string reissue_reason(LeafFacts const& leaf, std::vector<std::string> const& wanted_names, std::time_t now) {
    if (!leaf.readable) return "no usable certificate yet";
    if (!leaf.signed_by_ca) return "the certificate was not issued by the current local CA";
    auto have = leaf.names, want = wanted_names;
    std::sort(have.begin(), have.end());
    std::sort(want.begin(), want.end());
    have.erase(std::unique(have.begin(), have.end()), have.end());
    want.erase(std::unique(want.begin(), want.end()), want.end());
    if (have != want) return "the names it covers changed";
    if (leaf.not_after - now < renew_before) return "it expires soon";
    return {};
}

}  // namespace wasmdev::tls
