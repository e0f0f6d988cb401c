// The URL run loads for PAGE: http://localhost:PORT/ plus PAGE's path below ROOT, each segment
// percent-encoded. "localhost" rather than 127.0.0.1: it is a secure context either way (so
// cross-origin isolation holds), and emrun's script only posts when the URL says localhost.
// Pure but for resolving the two paths (symlinks, "..") on disk.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace wasmdev::run {

// Empty and `error` when PAGE is not inside ROOT.
std::string page_url(std::filesystem::path const& root, std::filesystem::path const& page, std::uint16_t port,
                     std::string& error);

// The path part alone ("/dir/a%20b.html") for a page relative to its root ("dir/a b.html").
std::string url_path(std::filesystem::path const& relative);

}  // namespace wasmdev::run
