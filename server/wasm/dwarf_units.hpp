// The compilation units of .debug_info (DWARF 2-5, 32- and 64-bit): for each, the unit DIE's
// name, compilation directory, line table offset and split-DWARF object name, and the full
// path of every file its line table names. Only the first DIE of a unit is decoded; types,
// functions and variables are left to a real debugger. Bytes in, values out: never throws.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/wasm/dwarf_sections.hpp"

namespace wasmdev::dwarf {

struct Unit {
    std::uint64_t offset = 0;  // in .debug_info
    std::uint16_t version = 0;
    std::uint8_t unit_type = 0;  // DW_UT_* (v5); 1 (compile) for v2-4 units
    bool dwarf64 = false;
    std::uint64_t tag = 0;   // DW_TAG_compile_unit 0x11, partial 0x3c, skeleton 0x4a
    std::string name{};      // DW_AT_name
    std::string comp_dir{};  // DW_AT_comp_dir
    std::string dwo_name{};  // DW_AT_dwo_name (v5) or DW_AT_GNU_dwo_name (v4 GNU split DWARF)
    bool gnu_dwo = false;    // the name came from DW_AT_GNU_dwo_name
    std::optional<std::uint64_t> stmt_list{};
    std::vector<std::string> files{};  // line_table_paths() of its line table
    std::string error{};               // why this unit was read only in part
};

struct DwarfInfo {
    std::vector<Unit> units{};            // compile, partial and skeleton units; type units are skipped
    std::vector<std::string> problems{};  // one line each: what could not be read and where
};

DwarfInfo read_units(DwarfSections const& s);

}  // namespace wasmdev::dwarf
