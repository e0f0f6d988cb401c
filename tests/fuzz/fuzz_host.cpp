// The Host check (server/http/host_check.cpp) on any Host header and bind address: a refused
// host stays refused whatever its port, "*" allows exactly the well-formed ones, only a
// real loopback address (an IP literal) counts as a loopback bind, this machine's names count
// beyond loopback only, and on any bind a name passes only as one of those or by --allow-host.
#include <boost/url/ipv4_address.hpp>
#include <boost/url/ipv6_address.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "server/http/host_check.hpp"
#include "tests/fuzz/check.hpp"

using namespace wasmdev;
using fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const in(reinterpret_cast<char const*>(data), size);
    auto const [host, bind] = fuzz::split_once(in);
    auto const bare = http::host_without_port(host);
    for (char c : bare) check(!(c >= 'A' && c <= 'Z') && c != ' ' && c != '@' && c != '/', "a bare host is clean", in);
    bool const star = http::is_allowed_host(host, "127.0.0.1", {}, {"*"});
    check(star == !bare.empty(), "--allow-host * allows exactly the well-formed hosts", in);
    bool const allowed = http::is_allowed_host(host, bind, {}, {});
    if (allowed) check(!bare.empty(), "an allowed host is well-formed", in);
    if (!bare.empty() && host.find(':') == std::string_view::npos) {
        auto const with_port = std::string(host) + ":8000";
        check(http::is_allowed_host(with_port, bind, {}, {}) == allowed, "the port never changes the answer", in);
    }
    // This machine's names count beyond loopback only, whatever the port.
    if (!bare.empty()) {
        bool const named = http::is_allowed_host(host, bind, {std::string(host)}, {});
        check(named == (allowed || !http::is_loopback_address(bind)), "a machine name counts beyond loopback only", in);
    }
    bool const ip = bool(boost::urls::parse_ipv4_address(bind)) || bool(boost::urls::parse_ipv6_address(bind));
    if (http::is_loopback_address(bind)) check(ip, "a loopback bind is an IP literal", in);
    // --bind is always an address (the CLI checks it), so only then is a name never the bind.
    if (ip && allowed && bare != "localhost" && bare != "127.0.0.1" && bare != "[::1]" &&
        !bare.ends_with(".localhost")) {
        // Only IP literals are left (the bound one; any, beyond loopback): a name can be allowed
        // only by --allow-host or, beyond loopback, as one of this machine's names.
        check(bare.front() == '[' || (bare.front() >= '0' && bare.front() <= '9'), "a name needs --allow-host", in);
    }
    return 0;
}
