// Writes a rendered config into the build's directory (htaccess -o) without ever losing the
// user's own file: an identical file is left alone, a different one is replaced only with
// force, after a backup (X.bak, X.bak.1, ...), by an atomic rename. Rendering is render.cpp's.
#pragma once
#include <filesystem>
#include <string>

#include "server/htaccess/render.hpp"

namespace wasmdev::htaccess {

// .htaccess, wasmdev-nginx.conf or wasmdev.caddy.
std::string file_name_for(Format format);

// Prints what it did (or the one-line error) and returns the exit code: 0, or 1 on refusal
// or failure.
int write_config(std::filesystem::path const& dir, Format format, std::string const& text, bool force);

}  // namespace wasmdev::htaccess
