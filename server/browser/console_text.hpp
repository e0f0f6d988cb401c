// A console call's arguments as the one line DevTools would show: printf-style substitutions
// (%s %d %i %f %o %O %c %%) when the first argument is a string, then the rest joined by spaces.
// Pure; the arguments are already text (devtools_message.hpp's RemoteValue).
#pragma once
#include <string>
#include <vector>

#include "server/browser/devtools_message.hpp"

namespace wasmdev::browser {

std::string console_text(std::vector<RemoteValue> const& args);

}  // namespace wasmdev::browser
