// server/doctor/toolchain: which source paths are Emscripten's or clang's, never the project's.
#include <doctest/doctest.h>

#include "server/doctor/toolchain.hpp"

using namespace wasmdev::doctor;

TEST_CASE("match_toolchain: emsdk, Debian's emscripten, clang headers and source-map relatives") {
    struct Row { std::string_view path; bool toolchain; };
    Row const rows[] = {
        {"/emsdk/emscripten/system/lib/libc/musl/src/stdio/printf.c", true},
        {"/build/emscripten-Q5Hj9W/emscripten-3.1.6~dfsg/system/lib/libc/musl/src/stdio/printf.c", true},
        {"/usr/share/emscripten/cache/sysroot/include/stdio.h", true},
        {"/usr/lib/llvm-14/lib/clang/14.0.6/include/stdarg.h", true},
        {"/home/u/emsdk/upstream/emscripten/cache/sysroot/include/stdio.h", true},
        {"/home/u/emsdk/upstream/lib/clang/17/include/stddef.h", true},
        {"system/lib/libc/musl/src/stdio/printf.c", true},
        {"debian/em_cache/sysroot/include/math.h", true},
        {"/build/myproject/src/main.c", false},
        {"/home/u/cpython/Python/ceval.c", false},
        {"hello.c", false},
        {"src/system/lib/x.c", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.path);
        CHECK((match_toolchain(row.path) != nullptr) == row.toolchain);
    }
}
