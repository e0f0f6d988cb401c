// The doctor's verdict on one module (docs/design.md#doctor): what kind of debug info it carries,
// which debug files DevTools will ask for and whether the server has them, every source file
// its debug info names resolved as DevTools resolves it, the path substitutions and compiler
// flag that fix absolute paths, and other reasons a page will not load or isolate.
// Pure: the file system is reached only through FileAccess; rendering is render.hpp's job.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/doctor/facts.hpp"
#include "server/doctor/url.hpp"

namespace wasmdev::doctor {

enum class DebugKind { embedded_dwarf, external_dwarf, split_dwarf, source_map };
enum class SourceClass { reachable, via_substitution, outside_root, toolchain, missing };
inline constexpr std::size_t source_class_count = 5;
enum class Severity { info, warning, error };

std::string_view name_of(DebugKind k);
std::string_view name_of(SourceClass c);
std::string_view name_of(Severity s);

struct DebugFile {
    std::string role{};       // "external_debug_info", "dwp", "dwo", "source map"
    std::string reference{};  // as the module (or the DWARF) writes it
    std::string url{};        // as DevTools resolves it
    std::string root_path{};  // relative to ROOT when the URL is on the server
    bool exists = false;
    bool optional = false;  // a .dwp that is absent is normal
    std::string note{};
};

struct Source {
    std::string path{};  // as the debug info names it (DWARF: joined and normalised as LLDB does)
    std::string url{};   // where DevTools looks for it (without substitutions)
    SourceClass cls = SourceClass::missing;
    std::string root_path{};  // relative to ROOT when it is (or would be) under it
    std::string note{};
};

struct Finding {
    Severity severity = Severity::info;
    std::string message{};
    std::string fix{};
};

struct Report {
    std::string module{};  // path relative to ROOT
    std::string module_url{};
    std::uint64_t size = 0;
    std::string mime_type{};
    std::vector<DebugKind> kinds{};  // empty: no debug info
    std::string symbols_url{};       // the file whose DWARF DevTools reads (module or .debug.wasm)
    std::vector<DebugFile> debug_files{};
    std::vector<Source> sources{};
    std::array<std::size_t, source_class_count> counts{};
    std::vector<PathSubstitution> substitutions{};  // paste into the extension's options
    std::string compiler_flag{};                    // or rebuild with this and need none
    std::size_t dwarf_units = 0;
    bool shared_memory = false;
    std::vector<Finding> findings{};
    int exit_code() const;  // 1 when any finding is an error, else 0
};

// ROOT as the server sees it and how DevTools reaches it.
struct Context {
    std::vector<std::string> root_dirs{};  // absolute spellings of ROOT without a trailing '/'
                                           // (as given and canonical): DWARF may hold either
    Url root_url{};                        // where ROOT is served, path ending in '/'
};

// The file system under ROOT, with the server's rules (nothing outside ROOT, no dot segments,
// no hidden names). Paths are relative to ROOT, '/'-separated, decoded.
struct FileAccess {
    std::function<bool(std::string const&)> exists{};
    std::function<std::optional<std::vector<std::uint8_t>>(std::string const&)> read{};
};

inline constexpr std::uint64_t huge_module_bytes = 16u << 20;

Report diagnose(std::string_view module_relative, ModuleFacts const& facts, Context const& ctx,
                FileAccess const& files);

}  // namespace wasmdev::doctor
