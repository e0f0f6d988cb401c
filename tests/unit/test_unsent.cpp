// What answers a request whose response could not begin (server/http/unsent.cpp), pure:
// decide again up to the bound, then a 503 with Retry-After, never nothing.
#include <doctest/doctest.h>

#include "server/http/policy.hpp"
#include "server/http/unsent.hpp"

using namespace wasmdev::http;

TEST_CASE("answer_unsent: decide again below the bound - then a 503 with Retry-After: 1") {
    Config cfg;
    cfg.extra_headers.emplace_back("X-Team", "wasm");
    for (unsigned decisions = 1; decisions < max_unsent_decisions; ++decisions) {
        CAPTURE(decisions);
        CHECK_FALSE(answer_unsent(decisions, cfg));
    }
    for (unsigned decisions : {max_unsent_decisions, max_unsent_decisions + 1}) {
        auto const p = answer_unsent(decisions, cfg);
        REQUIRE(p);
        CHECK(p->status == 503);
        auto has = [&](std::string_view name, std::string_view value) {
            for (auto const& [n, v] : p->headers)
                if (iequals(n, name) && v == value) return true;
            return false;
        };
        CHECK(has("Retry-After", "1"));
        CHECK(has("X-Team", "wasm"));                      // the --header values, as on every answer
        CHECK(std::holds_alternative<TextBody>(p->body));  // in memory: it cannot fail to begin
    }
}
