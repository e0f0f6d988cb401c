# The test suites again with the POSIX implementation of server/sys/ (docs/design.md#platforms),
# as ctest tests of the main build: on Linux, WASMDEV_PLATFORM=posix compiles the files macOS and
# the BSDs use (less their kqueue and sendfile branches), so the component walk, the polling
# watcher and the rest are tested on every run. A sibling build under the main build dir
# (build/build-posix), built by tests/platform/build.sh; its unit and integration tests and
# its live-reload scripts run against its own binary. WASMDEV_POSIX_VARIANT=OFF skips it.
option(WASMDEV_POSIX_VARIANT "Build and run the tests with WASMDEV_PLATFORM=posix as ctest tests" ON)
if(NOT WASMDEV_POSIX_VARIANT OR NOT WASMDEV_PLATFORM STREQUAL "linux")
  return()
endif()

set(_posix_dir ${CMAKE_BINARY_DIR}/build-posix)
add_test(NAME "posix: build"
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/platform/build.sh ${CMAKE_COMMAND} ${CMAKE_SOURCE_DIR} ${_posix_dir})
# -j2 on CI's two cores: ctest gives it both slots, so it never competes with a timed test.
set_tests_properties("posix: build" PROPERTIES TIMEOUT 2700 PROCESSORS 2 FIXTURES_SETUP posix_variant)
add_test(NAME "posix: unit tests" COMMAND ${_posix_dir}/tests/unit_tests --no-version --duration=false)
add_test(NAME "posix: integration tests" COMMAND ${_posix_dir}/tests/integration_tests --no-version --duration=false)
set_tests_properties("posix: unit tests" "posix: integration tests" PROPERTIES
                     TIMEOUT 900 PROCESSORS 2 FIXTURES_REQUIRED posix_variant)
# The live-reload scripts drive the variant's own binary (its polling watcher).
foreach(script reload_build reload_streams)
  add_test(NAME "posix: script ${script}"
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/integration/${script}.sh ${_posix_dir}/wasmdev ${CMAKE_SOURCE_DIR})
  set_tests_properties("posix: script ${script}" PROPERTIES
                       TIMEOUT 300 SKIP_RETURN_CODE 77 FIXTURES_REQUIRED posix_variant)
endforeach()
