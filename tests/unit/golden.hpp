// Golden-file comparison for the config renderers' tests (test_htaccess.cpp, test_deploy.cpp):
// a failing file shows a hunk of the difference; WASMDEV_UPDATE_GOLDEN=1 rewrites the files
// under tests/golden/ instead, for review with `git diff tests/golden`.
#pragma once
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace golden {

inline std::string golden_path(std::string const& name) {
    return std::string(WASMDEV_SOURCE_DIR) + "/tests/golden/" + name;
}

inline std::vector<std::string> lines_of(std::string const& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// A unified-style hunk around the changed lines, enough to see what moved.
inline std::string diff_hint(std::string const& expected, std::string const& actual) {
    auto const e = lines_of(expected), a = lines_of(actual);
    std::size_t first = 0;
    while (first < e.size() && first < a.size() && e[first] == a[first]) ++first;
    std::size_t tail = 0;
    while (tail < e.size() - first && tail < a.size() - first && e[e.size() - 1 - tail] == a[a.size() - 1 - tail])
        ++tail;
    std::size_t const from = first >= 3 ? first - 3 : 0;
    std::ostringstream out;
    out << "@@ -" << first + 1 << " +" << first + 1 << " @@\n";
    for (std::size_t i = from; i < first; ++i) out << "  " << e[i] << "\n";
    auto show = [&](std::vector<std::string> const& v, char mark) {
        std::size_t const end = v.size() - tail;
        for (std::size_t i = first; i < end && i < first + 15; ++i) out << mark << ' ' << v[i] << "\n";
        if (end > first + 15) out << mark << " ... " << end - first - 15 << " more\n";
    };
    show(e, '-');
    show(a, '+');
    if (expected.size() && actual.size() && (expected.back() == '\n') != (actual.back() == '\n'))
        out << "(the files differ in their final newline)\n";
    return out.str();
}

inline void check_golden(std::string const& name, std::string const& actual) {
    CAPTURE(name);
    if (std::getenv("WASMDEV_UPDATE_GOLDEN")) {
        std::ofstream(golden_path(name), std::ios::binary) << actual;
        MESSAGE("rewrote tests/golden/" << name);
        return;
    }
    std::ifstream in(golden_path(name), std::ios::binary);
    REQUIRE_MESSAGE(in, "missing tests/golden/" << name << "; create it with WASMDEV_UPDATE_GOLDEN=1");
    std::ostringstream expected;
    expected << in.rdbuf();
    if (expected.str() != actual) {
        FAIL_CHECK("output differs from tests/golden/"
                   << name << " (- golden, + now):\n"
                   << diff_hint(expected.str(), actual)
                   << "If the change is intended, rerun with WASMDEV_UPDATE_GOLDEN=1, "
                      "review `git diff tests/golden` and commit it.");
    }
}

}  // namespace golden
