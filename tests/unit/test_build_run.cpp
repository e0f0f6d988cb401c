#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "server/cpython/run_build.hpp"

using namespace wasmdev::cpython;

TEST_CASE("parse_build_words: the first word is the profile when it names one, cleanall alone means every profile") {
    struct Row {
        std::vector<std::string> words;
        std::string_view profile;
        std::vector<std::string> ops;
        bool every_profile;
    };
    Row const rows[] = {
        {{}, "emscripten-browser", {"build"}, false},
        {{"wasi"}, "wasi", {"build"}, false},
        {{"wasi", "configure", "compile"}, "wasi", {"configure", "compile"}, false},
        {{"repl"}, "emscripten-browser", {"repl"}, false},
        {{"cleanall"}, "emscripten-browser", {"cleanall"}, true},
        {{"wasi", "cleanall"}, "wasi", {"cleanall"}, false},
        {{"clean", "cleanall"}, "emscripten-browser", {"clean", "cleanall"}, false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.words.size());
        CAPTURE(row.profile);
        auto w = parse_build_words(row.words);
        REQUIRE(w.profile != nullptr);
        CHECK(w.profile->name == row.profile);
        CHECK(op_names(w.ops) == row.ops);
        CHECK(w.every_profile == row.every_profile);
    }
}

TEST_CASE("needs_preflight: only a plan that builds something checks the toolchain") {
    Plan with_steps;
    with_steps.steps.push_back(Step{});
    Plan const no_steps;  // repl on a finished browser build
    struct Row {
        std::vector<std::string> words;
        bool has_steps;
        bool preflight;
    };
    Row const rows[] = {
        {{}, true, true},
        {{"wasi", "repl"}, true, true},
        {{"repl"}, false, false},
        {{"clean"}, true, false},
        {{"wasi", "clean", "cleanall"}, true, false},
        {{"cleanall"}, true, false},
        {{"clean", "build"}, true, true},
    };
    for (auto const& row : rows) {
        CAPTURE(row.words.size());
        CAPTURE(row.has_steps);
        auto w = parse_build_words(row.words);
        CHECK(needs_preflight(row.has_steps ? with_steps : no_steps, w) == row.preflight);
    }
}
