# The fuzz tier as ctest tests of the main build (docs/design.md#fuzzing), the way
# cmake/sanitizers.cmake drives its sanitizer trees: "fuzz: build" configures and builds a
# WASMDEV_FUZZ=ON tree under the main build dir (build/build-fuzz, clang++-14, tests/fuzz/build.sh),
# then each "fuzz: NAME" runs tests/fuzz/fuzz_NAME.cpp's target for 20 s over a copy of its seed
# corpus (tests/fuzz/run.sh). Without clang++-14 or libFuzzer they skip.
set(_fuzz_dir ${CMAKE_BINARY_DIR}/build-fuzz)
add_test(NAME "fuzz: build"
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fuzz/build.sh ${CMAKE_COMMAND} ${CMAKE_SOURCE_DIR} ${_fuzz_dir})
# -j2 on CI's two cores: ctest gives it both slots. A cold build (every library the targets link,
# instrumented) takes minutes, a ccache-warm one seconds.
set_tests_properties("fuzz: build" PROPERTIES TIMEOUT 2700 PROCESSORS 2 SKIP_RETURN_CODE 77 FIXTURES_SETUP fuzz_tree)

file(GLOB _fuzz_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_*.cpp)
foreach(source IN LISTS _fuzz_sources)
  get_filename_component(stem ${source} NAME_WE)
  string(REGEX REPLACE "^fuzz_" "" name ${stem})
  add_test(NAME "fuzz: ${name}"
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fuzz/run.sh --built ${name} 20 ${_fuzz_dir})
  # 20 s of fuzzing, plus the corpus's first pass; one core each.
  set_tests_properties("fuzz: ${name}" PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77 FIXTURES_REQUIRED fuzz_tree)
endforeach()
