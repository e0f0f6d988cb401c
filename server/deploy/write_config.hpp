// Writes a rendered config where the host reads it (deploy/htaccess -o) without ever losing
// the user's own file: an identical file is left alone, a different one is replaced only with
// force, after a backup (X.bak, X.bak.1, ...), by an atomic rename; a JSON or TOML host config
// that exists gets our rules merged in (merge.hpp), its backup kept. Rendering is render.cpp's.
#pragma once
#include <filesystem>
#include <string>

#include "server/deploy/formats.hpp"

namespace wasmdev::deploy {

// Prints what it did (or one line per error or conflict) and returns the exit code: 0, or 1 on
// refusal, conflict or failure.
int write_config(std::filesystem::path const& dir, FormatSpec const& format, std::string const& text, bool force);

}  // namespace wasmdev::deploy
