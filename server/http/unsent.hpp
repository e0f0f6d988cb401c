// What answers a request whose response could not begin: the file it described changed
// between the decision and the first byte (a compressed body failed before its first bytes,
// a small file shrank before it was read, a large one changed before its head went out).
// Nothing was promised, so the request is decided again, a bounded number of times; a file
// that never holds still gets a 503 with Retry-After, never a connection closed with no reply
// (docs/hardening.md, "Files that change while they are served"). Pure; the session loops.
#pragma once
#include <optional>

#include "server/http/config.hpp"
#include "server/http/request.hpp"

namespace wasmdev::http {

// Decisions a request may take before it is answered 503: each is an open, an fstat and a
// look into the caches, so the bound costs microseconds, and a file rewritten without pause
// is caught between two writes well within it (docs/hardening.md has the figures).
inline constexpr unsigned max_unsent_decisions = 8;

// After `decisions` decisions whose responses could not begin: nullopt to decide again, or
// the 503 (Retry-After: 1) to send instead.
std::optional<ResponsePlan> answer_unsent(unsigned decisions, Config const& cfg);

}  // namespace wasmdev::http
