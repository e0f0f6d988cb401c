#include "server/deploy/render.hpp"

#include <fmt/format.h>

#include "server/deploy/common.hpp"

namespace wasmdev::deploy {

std::string render(RenderOptions const& o) {
    auto const* f = find_format(o.format);
    return f ? f->render(o) : std::string{};
}

Verdict verdict(RenderOptions const& o) {
    auto const* f = find_format(o.format);
    if (!f) return {fmt::format("no format is named \"{}\"", o.format), {}};
    return f->check(o);
}

std::optional<std::string> unrenderable(RenderOptions const& o) { return verdict(o).refusal; }

std::string_view hashed_asset_regex() { return detail::hashed_regex; }

}  // namespace wasmdev::deploy
