#include "server/codings/coding.hpp"

#include "server/text/ascii.hpp"

namespace wasmdev::codings {
std::optional<Coding> parse(std::string_view token) {
    for (auto const& r : table)
        if (text::iequals(token, r.token) || (!r.alias.empty() && text::iequals(token, r.alias))) return r.coding;
    return std::nullopt;
}

}  // namespace wasmdev::codings
