#include "server/watch/ignore.hpp"

namespace wasmdev::watch {

bool is_ignored_directory(std::string_view name) {
    return name.empty() || name.starts_with('.') || name == "__pycache__" || name == "node_modules";
}

bool is_ignored_file(std::string_view name) {
    if (name.empty() || name.starts_with('.')) return true;         // .swp, .#lock, .DS_Store, .git*
    if (name.ends_with('~')) return true;                           // emacs, gedit backups
    if (name.starts_with('#') && name.ends_with('#')) return true;  // emacs autosave
    if (name == "4913") return true;                                // vim's probe that a directory is writable
    for (std::string_view ext : {".swp", ".swx", ".swo", ".tmp", ".pyc", ".o", ".d", ".a", ".lo"})
        if (name.ends_with(ext)) return true;  // editor swap files, build intermediates no page loads
    return is_build_log(name);
}

bool is_build_log(std::string_view name) { return name.starts_with("wasmdev-") && name.ends_with(".log"); }

}  // namespace wasmdev::watch
