// Environment values and PATH search.
#include "server/cpython/env.hpp"

#include <unistd.h>

#include <filesystem>

extern char** environ;

namespace wasmdev::cpython {

Environment current_environment() {
    Environment env;
    for (char** e = environ; e && *e; ++e) {
        std::string_view kv{*e};
        auto eq = kv.find('=');
        if (eq == std::string_view::npos) continue;
        env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
    }
    return env;
}

std::string env_get(Environment const& env, std::string_view name) {
    auto it = env.find(std::string(name));
    return it == env.end() ? std::string{} : it->second;
}

Environment apply_env(Environment env, EnvChanges const& changes) {
    for (auto const& c : changes) {
        switch (c.op) {
            case EnvChange::Op::set: env[c.name] = c.value; break;
            case EnvChange::Op::unset: env.erase(c.name); break;
            case EnvChange::Op::set_default:
                if (env_get(env, c.name).empty()) env[c.name] = c.value;
                break;
            case EnvChange::Op::prepend_path: {
                auto it = env.find(c.name);
                env[c.name] = (it == env.end() || it->second.empty()) ? c.value : c.value + ":" + it->second;
                break;
            }
        }
    }
    return env;
}

std::vector<std::string> to_envp(Environment const& env) {
    std::vector<std::string> out;
    out.reserve(env.size());
    for (auto const& [k, v] : env) out.push_back(k + "=" + v);
    return out;
}

std::string find_executable(std::string_view name, std::string_view path_value) {
    if (name.empty()) return {};
    if (name.find('/') != std::string_view::npos) {
        std::string n(name);
        return ::access(n.c_str(), X_OK) == 0 ? n : std::string{};
    }
    std::size_t pos = 0;
    while (pos <= path_value.size()) {
        auto end = path_value.find(':', pos);
        if (end == std::string_view::npos) end = path_value.size();
        std::string dir(path_value.substr(pos, end - pos));
        if (dir.empty()) dir = ".";
        auto candidate = dir + "/" + std::string(name);
        std::error_code ec;
        if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate, ec)) return candidate;
        pos = end + 1;
    }
    return {};
}

}  // namespace wasmdev::cpython
