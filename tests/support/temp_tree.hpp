// A temporary directory tree for one test: a fresh directory (mkdtemp under the system's temp
// directory, canonical so it compares equal to what the server resolves), the files of a
// {path, bytes} list, and removal of everything in it on destruction. Symlinks, modes, FIFOs
// and times a test needs it makes itself under `path`.
#pragma once
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace wasmdev::test {

struct TempFile {
    std::string path{};  // relative to the tree, '/'-separated: "sub/app.wasm"
    std::string bytes{};
};

class TempTree {
public:
    explicit TempTree(std::initializer_list<TempFile> files = {}, std::string_view name = "test") {
        auto tmpl = (std::filesystem::temp_directory_path() / ("wasmdev-" + std::string(name) + "-XXXXXX")).string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + tmpl);
        path = std::filesystem::canonical(tmpl);
        for (auto const& f : files) write(f.path, f.bytes);
    }
    ~TempTree() {
        std::error_code ec;
        std::filesystem::permissions(path, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
        std::filesystem::remove_all(path, ec);  // best effort: a leftover temp dir must not fail a test
    }
    TempTree(TempTree const&) = delete;
    TempTree& operator=(TempTree const&) = delete;

    // Writes bytes to path/rel, creating its parent directories; an existing file is
    // truncated in place (same inode), as an editor saving over it would.
    std::filesystem::path write(std::filesystem::path const& rel, std::string_view bytes) const {
        auto p = path / rel;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream out(p, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), std::streamsize(bytes.size()));
        if (!out.flush()) throw std::runtime_error("cannot write " + p.string());
        return p;
    }

    std::filesystem::path operator/(std::filesystem::path const& rel) const { return path / rel; }

    std::filesystem::path path{};
};

}  // namespace wasmdev::test
