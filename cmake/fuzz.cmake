# The libFuzzer configuration (docs/design.md#fuzzing): with -DWASMDEV_FUZZ=ON and clang, every
# library of the folder table is compiled with libFuzzer's coverage, ASan and UBSan, and
# tests/fuzz/CMakeLists.txt links each fuzz target against the one library it exercises.
# Included before the folder table, so the flags reach every library; the main (g++) build
# drives such a tree as ctest tests (cmake/fuzz_tests.cmake).
if(NOT WASMDEV_FUZZ)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "WASMDEV_FUZZ=ON needs clang (libFuzzer), e.g. -DCMAKE_CXX_COMPILER=clang++-14; "
                      "this is ${CMAKE_CXX_COMPILER_ID} (tests/fuzz/run.sh configures one)")
endif()
# fuzzer-no-link: the coverage hooks without libFuzzer's main(), which only the fuzz targets
# link (-fsanitize=fuzzer, tests/fuzz/CMakeLists.txt). Any UBSan report aborts, so libFuzzer
# keeps the input.
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)
# clang 14 cannot emit UBSan's function-type check for coroutines ("Cannot represent a difference
# across sections"): check's fetcher, a coroutine, goes without that one check.
set_source_files_properties(${CMAKE_SOURCE_DIR}/server/check/fetch.cpp PROPERTIES COMPILE_OPTIONS -fno-sanitize=function)
