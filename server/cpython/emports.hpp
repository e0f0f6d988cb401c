// Offline Emscripten ports (`emports`, docs/build.md): when Emscripten cannot fetch its zlib,
// bzip2 and sqlite3 ports (no network, or a packaged Emscripten with a frozen cache and no
// sqlite3 port), build the three libraries with emcc from source trees the user names
// (Debian's `apt-get source zlib bzip2 sqlite3`) into builddir/emports/PROFILE, which
// configure then gets as ZLIB_CFLAGS/ZLIB_LIBS, BZIP2_*, LIBSQLITE3_*.
// Plans the actions only; the pipeline runs them.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "server/cpython/checkout.hpp"
#include "server/cpython/commands.hpp"
#include "server/cpython/profiles.hpp"
#include "server/cpython/step.hpp"
#include "server/cpython/toolchain.hpp"

namespace wasmdev::cpython {

struct PortsSources {
    std::filesystem::path zlib{};     // has zlib.h and adler32.c
    std::filesystem::path bzip2{};    // has bzlib.h and blocksort.c
    std::filesystem::path sqlite3{};  // an amalgamation (sqlite3.c) or a full tree (tool/mksqlite3c.tcl)
};

// Looks in dir for zlib-*, bzip2-*, sqlite3-*/sqlite-* source trees (or dir itself being
// one of them); error names what is missing.
std::optional<PortsSources> find_ports_sources(std::filesystem::path const& dir, std::string& error);
bool is_sqlite_amalgamation(std::filesystem::path const& dir);

std::filesystem::path ports_prefix(CPythonLayout const& layout, BuildProfile const& p);
// A finished prefix: its stamp file and the three libraries exist.
bool ports_prefix_complete(std::filesystem::path const& prefix);

// emcc flags for the port variant this profile links: -O2 (-O0 debug), -fPIC with dynamic
// linking, -pthread, -sMEMORY64=1 for wasm64.
std::vector<std::string> offline_port_cflags(BuildProfile const& p);

struct OfflinePorts {
    // A full sqlite3 tree's amalgamation, made natively (configure; make sqlite3.c, needs
    // tclsh); empty when the source already is one. Its own step: it runs with the native env.
    std::vector<Action> amalgamation{};
    // mkdir, compile (emcc -c per file), archive (emar rcs), copy headers, write the stamp.
    std::vector<Action> build{};
};
OfflinePorts offline_ports_actions(BuildProfile const& p, CPythonLayout const& layout, Toolchain const& tc,
                                   BuildSettings const& s, PortsSources const& src);

}  // namespace wasmdev::cpython
