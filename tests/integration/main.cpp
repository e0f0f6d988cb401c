#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

// Access lines would drown doctest's report; WASMDEV_TEST_LOG=info brings them back.
int main(int argc, char** argv) {
    auto const* level = std::getenv("WASMDEV_TEST_LOG");
    spdlog::set_level(spdlog::level::from_str(level ? level : "warn"));
    return doctest::Context(argc, argv).run();
}
