// server/wasm/problem_log: problem lines from hostile input are capped per kind, with a count,
// and the number of kinds is capped too.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "server/wasm/problem_log.hpp"

using wasmdev::wasm::ProblemLog;

TEST_CASE("problem_kind: numbers and hex offsets are blanked, words stay") {
    struct Row {
        std::string_view line, kind;
    };
    Row const rows[] = {
        {"unit at .debug_info+0x1c: abbreviation 5 not found", "unit at .debug_info+#: abbreviation # not found"},
        {"unit at .debug_info+0xABC: unsupported DWARF version 7",
         "unit at .debug_info+#: unsupported DWARF version #"},
        {"no numbers", "no numbers"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.line);
        CHECK(wasmdev::wasm::problem_kind(row.line) == row.kind);
    }
}

TEST_CASE("ProblemLog: one line per kind, the first one, with a count of the others") {
    ProblemLog log;
    for (int i = 0; i < 1000; ++i) log.add(fmt::format("unit at .debug_info+0x{:x}: truncated header", i * 16));
    log.add("unit at .debug_info+0x10: address size 2");
    log.add("section \"a\" again", "dup");
    log.add("section \"b\" again", "dup");
    auto lines = log.lines();
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "unit at .debug_info+0x0: truncated header (and 999 more like it)");
    CHECK(lines[1] == "unit at .debug_info+0x10: address size 2");
    CHECK(lines[2] == "section \"a\" again (and 1 more like it)");
    CHECK(log.total() == 1003);
}

TEST_CASE("ProblemLog: kinds past max_kinds are counted in one last line") {
    ProblemLog log;
    for (std::size_t i = 0; i < ProblemLog::max_kinds + 10; ++i) log.add("kind " + std::string(i + 1, 'k'));
    auto lines = log.lines();
    REQUIRE(lines.size() == ProblemLog::max_kinds + 1);
    CHECK(lines.back() == "... and 10 other problems");
}
