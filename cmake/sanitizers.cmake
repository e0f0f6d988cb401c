# The test suites again under sanitizers, as ctest tests of the main build (docs/design.md#sanitizers): the
# unit and integration tests under ASan+UBSan, and the concurrency tests (compression cache,
# open-file cache, every integration test) under TSan. Each set is a sibling build of this
# source tree under the main build dir (build/build-asan, build/build-tsan: a clean clone
# stays clean), built by tests/sanitizers/build.sh; its binaries run directly, and any report
# fails the test (halt_on_error, -fno-sanitize-recover=all). WASMDEV_SANITIZERS=OFF skips it.
option(WASMDEV_SANITIZERS "Build and run the tests under ASan+UBSan and TSan as ctest tests" ON)
if(NOT WASMDEV_SANITIZERS)
  return()
endif()

set(_san_build ${CMAKE_CURRENT_LIST_DIR}/../tests/sanitizers/build.sh)
set(_san_env
    "ASAN_OPTIONS=halt_on_error=1:abort_on_error=0:exitcode=86:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1"
    "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=86"
    "TSAN_OPTIONS=halt_on_error=1:exitcode=86:second_deadlock_stack=1"
    "LSAN_OPTIONS=exitcode=86"
    "WASMDEV_TEST_TIME_SCALE=10")  # tests/integration/support.cpp: client deadlines bound hangs

# wasmdev_sanitizer(NAME name FLAGS flags RUN "label|binary|doctest args" ...)
function(wasmdev_sanitizer)
  cmake_parse_arguments(S "" "NAME;FLAGS" "RUN" ${ARGN})
  set(dir ${CMAKE_BINARY_DIR}/build-${S_NAME})
  set(build "sanitizers: ${S_NAME} build")
  add_test(NAME "${build}" COMMAND bash ${_san_build} ${CMAKE_COMMAND} ${CMAKE_SOURCE_DIR} ${dir} "${S_FLAGS}")
  # The build runs -j2 (two of CI's two cores): ctest gives it both slots, so it never
  # competes with a timing-sensitive test; a cold build takes minutes, a ccache-warm one seconds.
  set_tests_properties("${build}" PROPERTIES TIMEOUT 2700 PROCESSORS 2 FIXTURES_SETUP san_${S_NAME})
  foreach(run IN LISTS S_RUN)
    string(REPLACE "|" ";" run "${run}")
    list(POP_FRONT run label binary)
    set(name "sanitizers: ${S_NAME} ${label}")
    add_test(NAME "${name}"
             COMMAND ${CMAKE_COMMAND} -E env ${_san_env} ${dir}/tests/${binary} --no-version --duration=false ${run})
    # Sanitized runs are 2-15x slower and spawn server threads: one at a time, both cores.
    set_tests_properties("${name}" PROPERTIES TIMEOUT 900 PROCESSORS 2 FIXTURES_REQUIRED san_${S_NAME}
                         FAIL_REGULAR_EXPRESSION "ERROR: [A-Za-z]*Sanitizer|WARNING: ThreadSanitizer|runtime error:")
  endforeach()
endfunction()

wasmdev_sanitizer(NAME asan FLAGS "-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
                  RUN "unit tests|unit_tests" "integration tests|integration_tests")
wasmdev_sanitizer(NAME tsan FLAGS "-fsanitize=thread"
                  RUN "compression and open-file caches|unit_tests|--source-file=*test_compress_cache.cpp,*test_open_cache.cpp"
                      "integration tests|integration_tests")
