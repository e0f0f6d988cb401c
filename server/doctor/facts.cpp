#include "server/doctor/facts.hpp"

#include "server/wasm/dwarf_sections.hpp"
#include "server/wasm/sections.hpp"

namespace wasmdev::doctor {

ModuleFacts read_module_facts(std::span<std::uint8_t const> bytes) {
    ModuleFacts f;
    f.size = bytes.size();
    auto m = wasm::read_sections(bytes);
    f.is_wasm = m.is_wasm;
    f.read_error = m.error;
    f.warnings = m.warnings;
    auto url = [&](std::string_view name) -> std::optional<std::string> {
        auto const* s = wasm::find_custom(m, name);
        if (!s) return std::nullopt;
        auto text = wasm::read_url_payload(s->payload);
        if (!text) f.warnings.push_back("the " + std::string(name) + " section is malformed (its length runs past it)");
        return text;
    };
    f.external_debug_info = url("external_debug_info");
    f.source_mapping_url = url("sourceMappingURL");
    auto sections = dwarf::dwarf_sections(m);
    f.has_dwarf = wasm::find_custom(m, ".debug_info") != nullptr;
    if (f.has_dwarf) f.dwarf = dwarf::read_units(sections);
    f.memory = wasm::read_memory(m);
    return f;
}

}  // namespace wasmdev::doctor
