// Quoting one word for a POSIX shell (sh, bash, dash): the text a user pastes into a terminal
// or a script. Knows nothing about what the word means; callers decide which words to quote.
#pragma once

#include <string>
#include <string_view>

namespace wasmdev::text {

// The word as the shell reads it back byte for byte: unchanged when it is only letters, digits
// and @%+=:,./_- (and not empty), else in single quotes with each ' written as '\''.
std::string shell_quote(std::string_view word);

}  // namespace wasmdev::text
