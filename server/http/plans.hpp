// The plan builders every stage shares: a bare plan with the policy headers, an HTML page,
// an error page (error_page.cpp renders it), a redirect. Pure; the --header values are added
// once, by handle().
#pragma once
#include <string>
#include <string_view>

#include "server/http/config.hpp"
#include "server/http/request.hpp"

namespace wasmdev::http {

ResponsePlan base_plan(unsigned status, Config const& cfg);
ResponsePlan html_plan(unsigned status, std::string body, Config const& cfg);
// An error page without the --header values (handle() applies them once, at the end).
ResponsePlan error_plan(unsigned status, std::string_view cause, Config const& cfg, bool close = false);
ResponsePlan redirect_plan(std::string location, Config const& cfg);

}  // namespace wasmdev::http
