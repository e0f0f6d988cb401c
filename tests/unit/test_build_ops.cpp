// The build ops table: every op parses from its name and back, and the help lists each once.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "server/cpython/ops.hpp"

using namespace wasmdev::cpython;

TEST_CASE("op_table: each op's name parses back to that op, and the help has one line per op") {
    auto const help = ops_help();
    for (auto const& row : op_table) {
        CAPTURE(row.name);
        CHECK(parse_op(row.name) == row.op);
        CHECK(op_name(row.op) == row.name);
        CHECK(help.find("  " + std::string(row.name) + " ") != std::string::npos);
    }
    CHECK(static_cast<std::size_t>(std::count(help.begin(), help.end(), '\n')) == std::size(op_table));
}

TEST_CASE("parse_ops: words that are all ops parse in order; any other word makes it fail") {
    CHECK(parse_ops({"clean", "build", "repl"}) == std::vector<Op>{Op::clean, Op::build, Op::repl});
    CHECK(parse_ops({}) == std::vector<Op>{});
    CHECK_FALSE(parse_ops({"build", "wasi"}).has_value());
    CHECK_FALSE(parse_ops({"Build"}).has_value());
}

TEST_CASE("op traits: the ops that run Python and the ops that only clean") {
    CHECK(op_info(Op::test).runs_python);
    CHECK(op_info(Op::pythoninfo).runs_python);
    CHECK(op_info(Op::hostrunnertest).runs_python);
    CHECK_FALSE(op_info(Op::repl).runs_python);
    CHECK(op_info(Op::clean).only_cleans);
    CHECK(op_info(Op::cleanall).only_cleans);
    CHECK_FALSE(op_info(Op::build).only_cleans);
}
