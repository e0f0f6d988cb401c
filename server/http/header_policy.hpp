// The part of the serve config that decides the headers every response carries: COEP, CORP,
// the --header values and the compression threshold. The config writers (server/deploy/) take
// this alone; http::Config derives from it. Rendering the list is policy.hpp's job.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace wasmdev::http {

enum class CoepMode { require_corp, credentialless, off };
enum class CorpMode { same_origin, same_site, cross_origin, off };

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HeaderPolicy {
    CoepMode coep = CoepMode::require_corp;
    CorpMode corp = CorpMode::same_site;
    HeaderList extra_headers{};               // --header, in order; override the policy
    std::uint64_t min_compress_bytes = 1024;  // smaller bodies gain nothing from a coding
};

}  // namespace wasmdev::http
