#include "server/http/plain_on_tls.hpp"

#include <fmt/format.h>

#include "server/http/handler.hpp"
#include "server/http/host_check.hpp"

namespace wasmdev::http {

ResponsePlan answer_plain_http_on_tls_port(RequestHead const& req, Config const& cfg) {
    auto const host = req.field("Host").value_or("");
    bool const host_ok = !host_without_port(host).empty();
    // The Host check of every request (handler.cpp), on every bind: a rebinding page gets no redirect.
    if (host_ok && !is_allowed_host(host, cfg.server.bind, cfg.machine_names, cfg.allow_hosts))
        return error_response(403, host_refusal(host, cfg.bind_is_loopback), cfg, true);
    // An origin-form target only: "//evil.example/" or an absolute URL must not become the
    // authority of the Location. Bytes that a header value cannot hold are refused the same way.
    auto const target = req.target;
    bool const target_ok = target.starts_with('/') && !target.starts_with("//") &&
                           target.find_first_of("\r\n\t \\") == std::string_view::npos &&
                           host.find_first_of("\r\n\t /\\@") == std::string_view::npos;
    if (!host_ok || !target_ok) {
        return error_response(
            400, "This port serves HTTPS only: open the same address with https:// instead of http://.", cfg, true);
    }
    auto location = fmt::format("https://{}{}", host, target);
    auto plan = error_response(307, fmt::format("This port serves HTTPS only: {}", location), cfg, true);
    plan.headers.emplace_back("Location", std::move(location));
    return plan;
}

}  // namespace wasmdev::http
