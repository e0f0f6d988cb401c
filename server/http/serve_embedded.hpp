// /__wasmdev/ (docs/design.md#self-check): the embedded self-check site and stats.json (the compression
// cache's counters). Assets go through the same representation stages as files
// (resource.hpp), from bytes in the binary: no ranges, no Last-Modified.
#pragma once
#include "server/http/config.hpp"
#include "server/http/request.hpp"
#include "server/http/services.hpp"
#include "server/http/target.hpp"

namespace wasmdev::http {

// t's first segment is "__wasmdev".
ResponsePlan serve_embedded(RequestHead const& req, Target const& t, Config const& cfg, Services const& services);

}  // namespace wasmdev::http
