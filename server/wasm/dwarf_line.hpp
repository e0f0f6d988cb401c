// The header of one DWARF line table (.debug_line, DWARF 2-5): its directories and file
// names, and the full path of each file as LLVM (and so LLDB, and so the C/C++ DevTools
// extension) computes it from the compilation directory. The line program is not run:
// DW_LNE_define_file (DWARF 2-4, unused by clang) is not seen.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/wasm/dwarf_sections.hpp"

namespace wasmdev::dwarf {

// Names are views into the DWARF sections (cut to max_string), never copies: a table of a
// million 4-byte references to one 4 KiB string costs 16 MB here, not 4 GB. The sections
// must outlive the header.
struct LineFile {
    std::string_view name{};
    std::uint64_t dir_index = 0;
};

struct LineHeader {
    std::uint16_t version = 0;
    std::vector<std::string_view> include_dirs{};  // as stored: v5 entry 0 is the compilation directory;
                                                   // v2-4 entry 0 here is the format's directory 1
    std::vector<LineFile> files{};                 // as stored: v5 file 0 is the primary source; v2-4
                                                   // files[0] is the format's file 1 (indices are 1-based)
    std::size_t header_bytes = 0;                  // the header's length field: what reading it walked
    std::string error{};                           // empty when the header was read whole
};

// Reads the header at offset in .debug_line. Strings in strx forms use str_offsets_base. A
// header longer than max_header_bytes is not read (the caller's budget: tables may overlap).
LineHeader read_line_header(DwarfSections const& s, std::uint64_t offset, std::uint64_t str_offsets_base,
                            std::size_t max_header_bytes = SIZE_MAX);

// What one path costs beyond its characters (the string object and its allocation), so a
// budget in bytes also bounds how many paths there are.
inline constexpr std::size_t path_overhead = 48;

// Every file's path, in table order, as llvm::DWARFDebugLine::Prologue::getFileNameByIndex
// gives it with FileLineInfoKind::AbsoluteFilePath (LLVM 14+), which LLDB uses for a unit's
// support files: an absolute name as is; else the directory (v2-4: index 0 means none, i >= 1
// means include_dirs[i-1]; v5: index i means include_dirs[i]), prefixed with comp_dir unless
// that directory is absolute or (v5) the index is 0; then normalize_path().
// Stops once the paths hold more than max_bytes, counting path_overhead for each (a crafted
// table can name one long directory a million times).
std::vector<std::string> line_table_paths(LineHeader const& h, std::string_view comp_dir,
                                          std::size_t max_bytes = std::size_t(64) << 20);

// What lldb_private::FileSpec does to a path (llvm::sys::path::remove_dots with "..", POSIX
// or Windows style guessed): backslashes stay, "." segments and repeated separators go, "x/.."
// pairs collapse, a leading ".." of a relative path stays, "/.." is "/".
std::string normalize_path(std::string_view path);

// True for "/x" and for Windows drive ("C:\", "C:/") and UNC ("\\host") paths.
bool is_absolute_path(std::string_view path);

}  // namespace wasmdev::dwarf
