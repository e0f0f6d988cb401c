#include "server/http/plans.hpp"

#include "server/http/error_page.hpp"
#include "server/http/policy.hpp"

namespace wasmdev::http {

ResponsePlan base_plan(unsigned status, Config const& cfg) {
    ResponsePlan p;
    p.status = status;
    p.headers = builtin_policy_headers(cfg);  // --header comes last, in handle()
    return p;
}

ResponsePlan html_plan(unsigned status, std::string body, Config const& cfg) {
    auto p = base_plan(status, cfg);
    p.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
    p.content_length = body.size();
    p.body = TextBody{std::move(body)};
    return p;
}

ResponsePlan error_plan(unsigned status, std::string_view cause, Config const& cfg, bool close) {
    auto p = html_plan(status, render_error_page(status, cause), cfg);
    p.close = close;
    return p;
}

ResponsePlan redirect_plan(std::string location, Config const& cfg) {
    auto p = html_plan(301, render_error_page(301, "This directory lives at " + location), cfg);
    p.headers.emplace_back("Location", std::move(location));
    return p;
}

}  // namespace wasmdev::http
