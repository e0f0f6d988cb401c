// Which representation of a resource answers a GET or HEAD (RFC 9110 §3.2, §12.5.3): its
// content coding and where its bytes come from, chosen before anything is read or compressed.
// Pure: the handler says what exists (sidecars, compressibility); validators, conditionals,
// ranges and starting a compression come after, in handler.cpp, in that order.
#pragma once
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "server/http/negotiate.hpp"

namespace wasmdev::http {

enum class Source {
    original,  // the resource's own bytes: the file, or the embedded asset
    sidecar,   // a precompressed file beside it (X.zst, X.br, X.gz), not older than X
    made,      // compressed on demand: the compression cache, or an embedded asset compressed once
};

// What a resource can be sent as, besides its own bytes.
struct Offer {
    std::span<ContentCoding const> sidecars{};  // codings with a usable sidecar
    bool compressible = false;                  // every coding can be made on demand
    // Vary: Accept-Encoding belongs on every response of a resource offered in more than one
    // coding, whichever this response has (304s and 406s too).
    bool varies() const { return compressible || !sidecars.empty(); }
};

struct Representation {
    ContentCoding coding = ContentCoding::identity;
    Source source = Source::original;
};

// The representation for a request: identity for a request that asks for byte ranges (ranges
// address the identity bytes: an on-the-fly stream cannot be seeked), else the negotiated
// coding, from a sidecar when one has it. nullopt when the client refuses every coding on
// offer, identity included: the caller answers 406.
std::optional<Representation> choose_representation(std::optional<std::string_view> accept_encoding, bool ranged,
                                                    Offer const& offer);

}  // namespace wasmdev::http
