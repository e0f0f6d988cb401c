// Process environments as values: the variables a step runs with, and the changes a
// profile makes to the user's environment (set, unset, prepend to a PATH-like list).
// Kept apart from spawning so dry-run can print exactly what a real run applies.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::cpython {

using Environment = std::map<std::string, std::string>;

struct EnvChange {
    enum class Op { set, unset, prepend_path, set_default };  // set_default: only when unset
    Op op = Op::set;
    std::string name{};
    std::string value{};
};
using EnvChanges = std::vector<EnvChange>;

Environment current_environment();
// Value of name, or "" when unset.
std::string env_get(Environment const& env, std::string_view name);
Environment apply_env(Environment env, EnvChanges const& changes);
// "NAME=value" strings for execve.
std::vector<std::string> to_envp(Environment const& env);
// Searches a PATH value for an executable file; "" when not found. Names with a '/' are
// returned as they are when executable.
std::string find_executable(std::string_view name, std::string_view path_value);

}  // namespace wasmdev::cpython
