// The wasm binary format's outer layer: the header and the list of sections (ids, custom
// section names, payload bounds), read from untrusted bytes without ever reading past them.
// Decoding what is inside a section is left to memory.hpp (imports, memory) and the DWARF
// reader; which sections matter to a debugger is the doctor's business.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::wasm {

inline constexpr std::uint8_t custom_section_id = 0;

struct Section {
    std::uint8_t id = 0;                      // 0 = custom, 1 type, 2 import, ... 12 data count, 13 tag
    std::string name{};                       // custom sections only
    std::size_t offset = 0;                   // of the payload in the module (after a custom section's name)
    std::span<std::uint8_t const> payload{};  // a view into the module's bytes
};

// Sections kept per module: a real one has a few dozen; 2-byte empty sections would otherwise
// cost 64 bytes each (32x the input). Past this, sections are still checked, not kept.
inline constexpr std::size_t max_sections = 1u << 16;

struct Module {
    std::vector<Section> sections{};      // in file order; the ones before a malformed one are kept
    std::string error{};                  // empty when every byte was read; else one line saying where it stopped
    std::vector<std::string> warnings{};  // duplicate custom sections (the first one counts, as in V8),
                                          // one line per kind with a count; too many sections
    std::size_t section_count = 0;        // all sections read, kept or not
    bool is_wasm = false;                 // magic and version 1 were there
};

// Reads the header and section headers. Never throws; bytes that are not a wasm module give
// is_wasm == false and an error.
Module read_sections(std::span<std::uint8_t const> bytes);

// The first custom section with this name, or nullptr.
Section const* find_custom(Module const& m, std::string_view name);

// The payload of `external_debug_info` and `sourceMappingURL`: a LEB128 length and that many
// bytes of UTF-8 (tool-conventions/Debugging.md). nullopt when the length runs past the payload.
std::optional<std::string> read_url_payload(std::span<std::uint8_t const> payload);

}  // namespace wasmdev::wasm
