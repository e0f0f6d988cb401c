// What answers a request whose response could not begin because its file changed before the
// first byte: decided again a bounded number of times, then a 503 with Retry-After, never a
// connection closed with no reply (docs/hardening.md, "Files that change while they are
// served"). Pure; the session loops, the writer says when nothing went out.
#pragma once
#include <optional>

#include "server/http/config.hpp"
#include "server/http/request.hpp"

namespace wasmdev::http {

// Decisions a request may take before it is answered 503: each is an open, an fstat and a
// look into the caches, so the bound costs microseconds, and a file rewritten without pause
// is caught between two writes well within it (no 503 in docs/hardening.md's test).
inline constexpr unsigned max_unsent_decisions = 8;

// After `decisions` decisions whose responses could not begin: nullopt to decide again, or
// the 503 (Retry-After: 1) to send instead.
std::optional<ResponsePlan> answer_unsent(unsigned decisions, Config const& cfg);

}  // namespace wasmdev::http
