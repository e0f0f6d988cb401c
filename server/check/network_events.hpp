// The DevTools messages `check --browser` reads that `run` does not: a request sent (its URL
// by requestId), a request that failed (Network.loadingFailed: blockedReason, corsErrorStatus,
// errorText), the page's load event, and a Runtime.evaluate answer's boolean value. Pure;
// every message comes from the browser (in part from the page): anything malformed decodes to
// Ignored. Responses to commands and attached targets are browser/devtools_message.hpp's.
#pragma once
#include <string>
#include <string_view>
#include <variant>

namespace wasmdev::check {

struct RequestSent {
    std::string request_id{};
    std::string url{};
};
struct LoadingFailed {
    std::string request_id{};
    std::string reason{};  // blockedReason (coep-frame-resource-needs-coep-header, corp-not-same-origin...),
                           // else the CORS error, else errorText
    bool blocked = false;  // blockedReason or a CORS error: the browser refused it, not the network
};
struct LoadEvent {};
struct EvaluatedBool {
    long long id = 0;
    bool value = false;
};
struct NetworkIgnored {};

struct NetworkEvent {
    std::string session_id{};
    std::variant<NetworkIgnored, RequestSent, LoadingFailed, LoadEvent, EvaluatedBool> body{};
};

NetworkEvent decode_network_event(std::string_view json);

}  // namespace wasmdev::check
