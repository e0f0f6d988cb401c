// DNS-rebinding defence (SPEC §2.6): which Host header values a loopback server answers.
// Pure; the handler turns a refusal into a 403 with a sentence about --allow-host.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::http {

// The host part of a Host header value, lower-cased, IPv6 brackets kept ("[::1]"), port
// dropped. Empty when the value is malformed (bad port, unbalanced brackets, spaces).
std::string host_without_port(std::string_view host_header);

// localhost, 127.0.0.1, [::1], *.localhost, the bound address, or an --allow-host entry
// ("*" allows every host). Any port.
bool is_allowed_host(std::string_view host_header, std::string_view bind_address,
                     std::vector<std::string> const& allow_hosts);

}  // namespace wasmdev::http
