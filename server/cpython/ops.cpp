// Lookups and help text over op_table: every list of ops derives from that one table.
#include "server/cpython/ops.hpp"

#include <fmt/format.h>

namespace wasmdev::cpython {

OpInfo const& op_info(Op op) {
    for (auto const& row : op_table)
        if (row.op == op) return row;
    return op_table[0];  // unreachable: every enumerator has a row (checked by the unit test)
}

std::string_view op_name(Op op) { return op_info(op).name; }

std::optional<Op> parse_op(std::string_view word) {
    for (auto const& row : op_table)
        if (row.name == word) return row.op;
    return std::nullopt;
}

bool is_op(std::string_view word) { return parse_op(word).has_value(); }

std::optional<std::vector<Op>> parse_ops(std::vector<std::string> const& words) {
    std::vector<Op> ops;
    for (auto const& w : words) {
        auto op = parse_op(w);
        if (!op) return std::nullopt;
        ops.push_back(*op);
    }
    return ops;
}

std::vector<std::string> op_names(std::vector<Op> const& ops) {
    std::vector<std::string> names;
    for (auto op : ops) names.emplace_back(op_name(op));
    return names;
}

std::string ops_help() {
    std::string out;
    for (auto const& row : op_table) out += fmt::format("  {:<15} {}\n", row.name, row.help);
    return out;
}

}  // namespace wasmdev::cpython
