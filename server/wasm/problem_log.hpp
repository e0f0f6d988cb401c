// Problem lines from reading untrusted bytes, capped per kind: the first line of each kind is
// kept with a count of the others, so a crafted module with a million broken units yields one
// line, not a million. A kind is the line with its numbers (offsets, counts) blanked out.
// Deciding what is a problem is the readers' job; this only bounds how many are kept.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::wasm {

class ProblemLog {
public:
    // Kinds beyond this many are counted together in one last line.
    static constexpr std::size_t max_kinds = 32;

    void add(std::string line);
    // With a kind of the caller's choosing, for lines that quote the input (a section name).
    void add(std::string line, std::string_view kind);

    // One line per kind, in the order first seen: "LINE" or "LINE (and N more like it)";
    // then "... and N other problems" when kinds overflowed.
    std::vector<std::string> lines() const;

    std::size_t total() const { return total_; }

private:
    struct Kind {
        std::string key{};
        std::string first{};
        std::size_t count = 0;
    };
    std::vector<Kind> kinds_{};
    std::size_t overflow_ = 0;
    std::size_t total_ = 0;
};

// The kind of a line: every "0x..." hex number and decimal number replaced by '#'.
std::string problem_kind(std::string_view line);

}  // namespace wasmdev::wasm
