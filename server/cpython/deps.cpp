// Local dependency sources and the driver's markers.
#include "server/cpython/deps.hpp"

#include <fmt/format.h>

#include <boost/json/object.hpp>

#include <algorithm>

#include "server/cpython/pinned.hpp"
#include "server/json/write.hpp"

namespace wasmdev::cpython {

namespace fs = std::filesystem;

namespace {

// The newest-looking NAME-VERSION directory with a configure script; version from its name.
std::optional<std::pair<fs::path, std::string>> find_tree(fs::path const& dir, std::string const& name) {
    std::error_code ec;
    std::vector<std::pair<fs::path, std::string>> found;
    auto consider = [&](fs::path const& p) {
        auto base = p.filename().string();
        if (!base.starts_with(name + "-") && base != name) return;
        if (!fs::is_regular_file(p / "configure", ec)) return;
        auto version = base.size() > name.size() ? base.substr(name.size() + 1) : std::string{};
        found.emplace_back(p, version);
    };
    consider(dir);
    for (auto const& e : fs::directory_iterator(dir, ec))
        if (e.is_directory(ec)) consider(e.path());
    if (found.empty()) return std::nullopt;
    std::sort(found.begin(), found.end());
    return found.back();
}

}  // namespace

std::optional<DepsSources> find_deps_sources(fs::path const& given, std::string& error) {
    std::error_code ec;
    auto dir = fs::absolute(given, ec).lexically_normal();
    auto ffi = find_tree(dir, "libffi");
    auto mpd = find_tree(dir, "mpdecimal");
    if (!ffi || !mpd) {
        std::string missing = !ffi && !mpd ? "libffi-* and mpdecimal-*" : !ffi ? "libffi-*" : "mpdecimal-*";
        error = fmt::format(
            "--deps-src {}: no {} source tree with a configure script there (get them with "
            "apt-get source libffi mpdecimal, or unpack the release tarballs)",
            dir.string(), missing);
        return std::nullopt;
    }
    return DepsSources{ffi->first, mpd->first, ffi->second, mpd->second};
}

std::string dep_marker_json(PinnedDep const& d) {
    return json::write(boost::json::object{{"url", d.url}, {"version", d.version}, {"shasum", d.shasum}});
}

}  // namespace wasmdev::cpython
