// The parts of a source map (ECMA-426, "version 3") that decide whether DevTools can show its
// sources: `sourceRoot`, `sources` and which of them carry `sourcesContent`. Mappings are not
// decoded. JSON is parsed with Boost.JSON (header-only, from Debian's libboost1.81-dev).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::doctor {

struct SourceMap {
    std::string error{};  // empty when the map was understood
    std::string source_root{};
    std::vector<std::string> sources{};  // null entries are ""
    std::vector<bool> has_content{};     // parallel to sources: sourcesContent[i] is a string
};

SourceMap parse_source_map(std::string_view json);

}  // namespace wasmdev::doctor
