#include "server/codings/coding.hpp"

namespace wasmdev::codings {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

}  // namespace

std::optional<Coding> parse(std::string_view token) {
    for (auto const& r : table)
        if (iequals(token, r.token) || (!r.alias.empty() && iequals(token, r.alias))) return r.coding;
    return std::nullopt;
}

}  // namespace wasmdev::codings
