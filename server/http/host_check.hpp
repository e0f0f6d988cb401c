// DNS-rebinding defence (SPEC §2.6): which bind addresses are loopback (and so keep the
// check), and which Host header values a loopback server answers. Pure; the handler turns a
// refusal into a 403 with a sentence about --allow-host, the CLI parses --bind.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::http {

// The host part of a Host header value, lower-cased, IPv6 brackets kept ("[::1]"), port
// dropped. Empty when the value is malformed (bad port, unbalanced brackets, spaces).
std::string host_without_port(std::string_view host_header);

// An IP address (no brackets) that only this machine can reach: 127.0.0.0/8, ::1, and their
// IPv4-mapped form ::ffff:127.x.y.z, which an IPv6 socket hands to 127.x.y.z (#12).
bool is_loopback_address(std::string_view address);

// localhost, 127.0.0.1, [::1], *.localhost, the bound address (as an address: [::ffff:7f00:1]
// is [::ffff:127.0.0.1]), or an --allow-host entry
// ("*" allows every host). Any port.
bool is_allowed_host(std::string_view host_header, std::string_view bind_address,
                     std::vector<std::string> const& allow_hosts);

}  // namespace wasmdev::http
