// The DNS-rebinding defence: which Host header values this server answers to. A page whose
// name an attacker's DNS points at this machine still sends its own name as Host, so a name
// the server does not know is refused on every bind (docs/security.md). Pure; the handler and
// the plain-HTTP-on-TLS answer turn a refusal into a 403, the CLI collects the machine's names.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::http {

// The host part of a Host header value, lower-cased, IPv6 brackets kept ("[::1]"), port
// dropped. Empty when the value is malformed (bad port, unbalanced brackets, spaces).
std::string host_without_port(std::string_view host_header);

// An IP address (no brackets) that only this machine can reach: 127.0.0.0/8, ::1, and their
// IPv4-mapped form ::ffff:127.x.y.z, which an IPv6 socket hands to 127.x.y.z.
bool is_loopback_address(std::string_view address);

// Every bind answers to localhost, 127.0.0.1, [::1], *.localhost, the bound address (as an
// address: [::ffff:7f00:1] is [::ffff:127.0.0.1]) and --allow-host entries ("*" allows every
// well-formed host). A bind beyond loopback also answers to any IP literal (a rebinding page
// always has a name) and to machine_names, this machine's own names. Any port.
bool is_allowed_host(std::string_view host_header, std::string_view bind_address,
                     std::vector<std::string> const& machine_names, std::vector<std::string> const& allow_hosts);

// The sentence of the 403 page for a refused Host: why, and the flag that allows it
// ("start wasmdev with --allow-host NAME"). Plain text; the page escapes it for HTML.
std::string host_refusal(std::string_view host_header, bool loopback_bind);

}  // namespace wasmdev::http
