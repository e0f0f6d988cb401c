#include "server/http/unsent.hpp"

#include "server/http/handler.hpp"

namespace wasmdev::http {

std::optional<ResponsePlan> answer_unsent(unsigned decisions, Config const& cfg) {
    if (decisions < max_unsent_decisions) return std::nullopt;
    auto plan = error_response(503, "The file changes faster than it can be sent; try again in a moment.", cfg);
    plan.headers.emplace_back("Retry-After", "1");
    return plan;
}

}  // namespace wasmdev::http
