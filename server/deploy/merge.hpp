// Merges our header rules into a host config the user already has (vercel.json, firebase.json,
// netlify.toml), keeping everything else of theirs; a rule of theirs that sets one of our
// headers on the same path to another value is a conflict, named, never overwritten
// (docs/deploy.md#merging). The user's file is outside input: bounded in size and depth, fuzzed.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wasmdev::deploy {

struct MergeResult {
    std::optional<std::string> error{};    // one line: the user's file cannot be read as its format
    std::vector<std::string> conflicts{};  // one line each; when any, `text` is not to be written
    std::string text{};                    // the merged file
};

// A larger config is no hand-written host file; reading it whole is then refused.
inline constexpr std::size_t max_user_config_bytes = 1024 * 1024;
// Nesting a JSON parser accepts in the user's file (Boost.JSON's own default is 32).
inline constexpr std::size_t max_user_json_depth = 64;
// Rules arrays a merge fills (one per Firebase site), so the output stays within a small
// multiple of the input.
inline constexpr std::size_t max_rule_arrays = 100;

// `user` and `ours` are whole JSON texts; `rules_at` is the dotted path of the rules array
// ("headers", "hosting.headers"; an array of objects on the way, Firebase's multi-site
// "hosting": [...], gets the rules in each). A rule is {"source"|"regex": P, "headers":
// [{"key", "value"}]} and is the same rule when P is.
// `refused_beside` names a top-level key the host refuses together with the rules (Vercel's
// legacy "routes"); its presence is an error.
MergeResult merge_json(std::string_view user, std::string_view ours, std::string_view rules_at,
                       std::string_view refused_beside = {});

// netlify.toml: our `ours` text (a series of [[headers]] tables) appended to the user's file,
// after checking each [[headers]] of theirs whose `for` is one of our paths: a header of ours it
// already sets to the same value is not repeated, a different value is a conflict, and a
// missing one cannot be added to their table textually, so it is named too.
MergeResult merge_toml(std::string_view user, std::string_view ours);

// One netlify.toml [[headers]] table for `path`, keys and values quoted for TOML.
std::string netlify_toml_table(std::string_view path, std::vector<std::pair<std::string, std::string>> const& values);

// Pretty JSON, two-space indent, keys in their order (Boost.JSON's objects keep it).
std::string pretty_json(std::string_view json_text);

}  // namespace wasmdev::deploy
