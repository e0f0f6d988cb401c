// What one wasm module's bytes say about debugging it: the custom sections that point at debug
// files (external_debug_info, sourceMappingURL), its DWARF units and file names, its memory.
// Reading only: what DevTools makes of these facts is diagnose.hpp's job.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "server/wasm/dwarf_units.hpp"
#include "server/wasm/memory.hpp"

namespace wasmdev::doctor {

struct ModuleFacts {
    bool is_wasm = false;
    std::string read_error{};             // where reading the module stopped, if it did
    std::vector<std::string> warnings{};  // duplicate sections and the like
    std::uint64_t size = 0;
    std::optional<std::string> external_debug_info{};  // the URL in the section, as written
    std::optional<std::string> source_mapping_url{};
    bool has_dwarf = false;  // a .debug_info section is present
    dwarf::DwarfInfo dwarf{};
    wasm::MemoryInfo memory{};
};

ModuleFacts read_module_facts(std::span<std::uint8_t const> bytes);

}  // namespace wasmdev::doctor
