// When wasmdev's generated leaf certificate must be issued again. Pure: the facts about the
// certificate on disk come in as values (local_ca.cpp reads them with OpenSSL).
#pragma once
#include <ctime>
#include <string>
#include <vector>

namespace wasmdev::tls {

// A leaf is issued for this long, and again once less than renew_before is left: 397 days
// is the longest validity Apple and Chrome accept for a server certificate.
inline constexpr std::time_t leaf_lifetime = std::time_t(397) * 24 * 3600;
inline constexpr std::time_t renew_before = std::time_t(30) * 24 * 3600;

struct LeafFacts {
    bool readable = false;             // the leaf and its key load, and the key is the leaf's
    bool signed_by_ca = false;         // by the CA on disk now (a new CA invalidates old leaves)
    std::vector<std::string> names{};  // its subjectAltNames, any order
    std::time_t not_after = 0;
};

// Why the leaf must be issued again ("names changed", ...), or empty when it is good.
std::string reissue_reason(LeafFacts const& leaf, std::vector<std::string> const& wanted_names, std::time_t now);

}  // namespace wasmdev::tls
