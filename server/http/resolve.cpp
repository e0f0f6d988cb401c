#include "server/http/resolve.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <memory>

namespace wasmdev::http {
namespace {

bool within(std::string_view root, std::string_view path) {
    if (root == "/") return true;
    return path == root || (path.starts_with(root) && path[root.size()] == '/');
}

bool has_hidden_segment(std::string_view relative) {
    while (!relative.empty()) {
        auto slash = relative.find('/');
        auto seg = relative.substr(0, slash);
        if (is_hidden_name(seg)) return true;
        if (slash == std::string_view::npos) break;
        relative.remove_prefix(slash + 1);
    }
    return false;
}

}  // namespace

bool is_hidden_name(std::string_view name) { return !name.empty() && name.front() == '.'; }

Resolved resolve(std::filesystem::path const& root, std::vector<std::string> const& segments,
                 bool follow_symlinks) {
    std::string joined = root.native();
    for (auto const& seg : segments) {
        if (is_hidden_name(seg)) return {ResolveKind::not_found, {}, "hidden files are not served"};
        if (joined.back() != '/') joined += '/';
        joined += seg;
    }
    if (joined.size() >= PATH_MAX) return {ResolveKind::not_found, {}, "path too long"};

    std::unique_ptr<char, decltype(&std::free)> real(::realpath(joined.c_str(), nullptr), &std::free);
    if (!real) {
        if (errno == EACCES) return {ResolveKind::forbidden, {}, "permission denied"};
        return {ResolveKind::not_found, {}, "no such file"};
    }
    std::string_view canonical(real.get());
    std::string_view const root_s = root.native();
    if (!within(root_s, canonical)) {
        if (!follow_symlinks)
            return {ResolveKind::forbidden, {}, "a symlink leads outside the served root (pass --follow-symlinks to allow it)"};
    } else if (canonical.size() > root_s.size() && has_hidden_segment(canonical.substr(root_s.size() + (root_s == "/" ? 0 : 1)))) {
        // A symlink inside the root that points into .git or similar is still hidden.
        return {ResolveKind::not_found, {}, "hidden files are not served"};
    }

    struct stat st {};
    if (::stat(real.get(), &st) != 0) return {ResolveKind::not_found, {}, "no such file"};
    if (S_ISDIR(st.st_mode)) return {ResolveKind::directory, std::filesystem::path(canonical), {}};
    // FIFOs, sockets and devices would block or leak: only regular files are served.
    if (!S_ISREG(st.st_mode)) return {ResolveKind::forbidden, {}, "not a regular file"};
    return {ResolveKind::file, std::filesystem::path(canonical), {}};
}

}  // namespace wasmdev::http
