#include "server/wasm/problem_log.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace wasmdev::wasm {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

}  // namespace

std::string problem_kind(std::string_view line) {
    std::string out;
    out.reserve(line.size());
    for (std::size_t i = 0; i < line.size();) {
        if (line[i] == '0' && i + 1 < line.size() && line[i + 1] == 'x') {
            i += 2;
            while (i < line.size() && is_hex(line[i])) ++i;
            out += '#';
        } else if (is_digit(line[i])) {
            while (i < line.size() && is_digit(line[i])) ++i;
            out += '#';
        } else {
            out += line[i++];
        }
    }
    return out;
}

void ProblemLog::add(std::string line) {
    auto key = problem_kind(line);
    add(std::move(line), key);
}

void ProblemLog::add(std::string line, std::string_view key) {
    ++total_;
    auto it = std::find_if(kinds_.begin(), kinds_.end(), [&](Kind const& k) { return k.key == key; });
    if (it != kinds_.end()) {
        ++it->count;
        return;
    }
    if (kinds_.size() >= max_kinds) {
        ++overflow_;
        return;
    }
    kinds_.push_back({std::string(key), std::move(line), 1});
}

std::vector<std::string> ProblemLog::lines() const {
    std::vector<std::string> out;
    for (auto const& k : kinds_)
        out.push_back(k.count > 1 ? fmt::format("{} (and {} more like it)", k.first, k.count - 1) : k.first);
    if (overflow_ > 0) out.push_back(fmt::format("... and {} other problems", overflow_));
    return out;
}

}  // namespace wasmdev::wasm
