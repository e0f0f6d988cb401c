// server/doctor/toolchain: which source paths are Emscripten's or clang's, never the project's.
#include <doctest/doctest.h>

#include "server/doctor/toolchain.hpp"

using namespace wasmdev::doctor;

TEST_CASE("match_toolchain: emsdk, Debian's emscripten, clang headers and source-map relatives") {
    struct Row {
        std::string_view path;
        bool toolchain;
    };
    Row const rows[] = {
        {"/emsdk/emscripten/system/lib/libc/musl/src/stdio/printf.c", true},
        {"/build/emscripten-Q5Hj9W/emscripten-3.1.6~dfsg/system/lib/libc/musl/src/stdio/printf.c", true},
        {"/usr/share/emscripten/cache/sysroot/include/stdio.h", true},
        {"/usr/lib/llvm-14/lib/clang/14.0.6/include/stdarg.h", true},
        {"/home/u/emsdk/upstream/emscripten/cache/sysroot/include/stdio.h", true},
        {"/home/u/emsdk/upstream/lib/clang/17/include/stddef.h", true},
        {"system/lib/libc/musl/src/stdio/printf.c", true},
        {"debian/em_cache/sysroot/include/math.h", true},
        // WASI: a WASI SDK's or Debian's wasi-libc sysroot, and wasi-libc's own sources as its
        // build names them (relative), as seen in a real CPython 3.13 WASI build.
        {"/opt/wasi-sdk/share/wasi-sysroot/include/wasm32-wasip1/bits/alltypes.h", true},
        {"/opt/wasi-sdk-24.0/share/wasi-sysroot/include/wasm32-wasi/stdio.h", true},
        {"/usr/include/wasm32-wasi/stdio.h", true},
        {"libc-bottom-half/crt/crt1-command.c", true},
        {"libc-top-half/musl/src/string/strsignal.c", true},
        {"sysroot/include/wasm32-wasi/wasi/api.h", true},
        {"dlmalloc/src/malloc.c", true},
        {"/opt/wasi-sdk-deb/lib/clang/19/include/stdatomic.h", true},
        {"/build/reproducible-path/llvm-toolchain-19-19.1.7/compiler-rt/lib/builtins/multi3.c", true},
        {"/home/ci/wasi-sdk/src/wasi-libc/libc-top-half/musl/src/misc/dl.c", true},
        {"/build/myproject/src/main.c", false},
        {"src/libc-top-half/x.c", false},
        {"/home/u/cpython/Python/ceval.c", false},
        {"hello.c", false},
        {"src/system/lib/x.c", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.path);
        CHECK((match_toolchain(row.path) != nullptr) == row.toolchain);
    }
}
