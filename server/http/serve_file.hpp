// A file's response, as a list of stages: describe (identity, type,
// sidecars) → ranges → representation → head → conditionals → range → body. Everything but
// the last stage is decided from metadata; only the body stage starts work (a compression),
// and never for a 304, 412, 416 or HEAD (docs/design.md#decide-then-act).
#pragma once
#include "server/fs/resolve.hpp"
#include "server/http/config.hpp"
#include "server/http/request.hpp"
#include "server/http/services.hpp"
#include "server/http/target.hpp"

namespace wasmdev::http {

// found is a file resolve() opened; t its target (sidecars are looked up beside it).
ResponsePlan serve_file(RequestHead const& req, Target const& t, fs::Resolved const& found, Config const& cfg,
                        Services const& services, bool may_compress = true);

}  // namespace wasmdev::http
