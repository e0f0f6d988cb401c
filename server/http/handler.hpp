// The request → response decision for `serve` (docs/design.md#handler-spine), shared by every transport.
// handle() is the spine: it calls one pure stage after another and returns a plan; it
// never touches a socket. Writing the plan to the wire is server/net/writer.cpp's job.
#pragma once
#include <string_view>

#include "server/http/config.hpp"
#include "server/http/request.hpp"
#include "server/http/services.hpp"

namespace wasmdev::http {

ResponsePlan handle(RequestHead const& req, Config const& cfg, Services const& services = {});

// An error response with the policy headers, the HTML page and a one-line cause.
// Used by handle() and by the session for requests that never parsed.
ResponsePlan error_response(unsigned status, std::string_view cause, Config const& cfg, bool close = false);

}  // namespace wasmdev::http
