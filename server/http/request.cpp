#include "server/http/request.hpp"

#include "server/http/policy.hpp"

namespace wasmdev::http {

std::optional<std::string_view> RequestHead::field(std::string_view name) const {
    for (auto const& [n, v] : fields)
        if (iequals(n, name)) return v;
    return std::nullopt;
}

std::size_t RequestHead::count(std::string_view name) const {
    std::size_t n = 0;
    for (auto const& f : fields)
        if (iequals(f.first, name)) ++n;
    return n;
}

}  // namespace wasmdev::http
