// Which names under ROOT the reload watcher skips (docs/design.md#live-reload): dot files and directories
// (never served anyway), caches and dependency trees nobody's page loads from, and the
// temporary files editors write beside the file they save. Pure: watcher.cpp asks.
#pragma once
#include <string_view>

namespace wasmdev::watch {

// A directory not watched (nor anything below it).
bool is_ignored_directory(std::string_view name);
// A file whose changes are noise, not a reason to reload.
bool is_ignored_file(std::string_view name);
// A wasmdev build's log (wasmdev-build.log, wasmdev-PROFILE.log): written while a build runs.
bool is_build_log(std::string_view name);

}  // namespace wasmdev::watch
