// fs::read_directory (docs/design.md#symlinks): the visible entries of a directory resolve()
// opened, read through its descriptor; symlinks listed with what resolve() opens for them and
// left out when it refuses them. And open_beneath's walk, the route without openat2.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "server/fs/directory.hpp"
#include "server/fs/resolve.hpp"
#include "server/sys/open_beneath.hpp"

using namespace wasmdev::fs;
namespace stdfs = std::filesystem;

namespace {

struct TempRoot {
    stdfs::path top, root;
    int root_fd = -1;
    TempRoot() {
        static int counter = 0;
        top = stdfs::temp_directory_path() /
              ("wasmdev-dir-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        stdfs::remove_all(top);
        stdfs::create_directories(top / "root");
        root = stdfs::canonical(top / "root");
        root_fd = open_root(root);
        REQUIRE(root_fd >= 0);
    }
    ~TempRoot() {
        ::close(root_fd);
        stdfs::remove_all(top);
    }
    TempRoot(TempRoot const&) = delete;
    TempRoot& operator=(TempRoot const&) = delete;
    std::vector<DirectoryEntry> list(std::vector<std::string> const& segments, bool follow = false) const {
        auto const dir = resolve(root, segments, follow, root_fd);
        REQUIRE(dir.kind == ResolveKind::directory);
        auto entries = read_directory(dir.file->fd, root, segments, follow, root_fd);
        std::sort(entries.begin(), entries.end(), [](auto const& a, auto const& b) { return a.name < b.name; });
        return entries;
    }
};

std::vector<std::string> names(std::vector<DirectoryEntry> const& entries) {
    std::vector<std::string> out;
    for (auto const& e : entries) out.push_back(e.name);
    return out;
}

}  // namespace

TEST_CASE("read_directory: visible entries with kind - size and mtime  hidden and dangling left out") {
    TempRoot t;
    auto const& d = t.root;
    std::ofstream(d / "a b & <c> #%.txt") << "12345";
    std::ofstream(d / "\xC3\xA9.txt") << "x";
    std::ofstream(d / ".env") << "TOKEN=1";
    stdfs::create_directories(d / ".git");
    stdfs::create_directories(d / "lib");
    stdfs::create_symlink("nowhere", d / "dangling");
    stdfs::create_symlink("lib", d / "lib-link");
    stdfs::last_write_time(d / "\xC3\xA9.txt", stdfs::file_time_type::clock::now() - std::chrono::hours(48));

    auto entries = t.list({});
    REQUIRE(entries.size() == 4);
    CHECK(entries[0].name == "a b & <c> #%.txt");
    CHECK_FALSE(entries[0].is_directory);
    CHECK(entries[0].size == 5);
    CHECK(entries[1].name == "lib");
    CHECK(entries[1].is_directory);
    CHECK(entries[2].name == "lib-link");  // a link to a directory lists as one
    CHECK(entries[2].is_directory);
    CHECK(entries[2].is_symlink);
    CHECK(entries[3].name == "\xC3\xA9.txt");
    CHECK(entries[3].size == 1);
    auto const now = std::int64_t(::time(nullptr));
    CHECK(entries[3].mtime_s < now - 47 * 3600);
    CHECK(entries[3].mtime_s > now - 49 * 3600);
    CHECK(entries[0].mtime_s >= now - 60);
    CHECK(t.list({"lib"}).empty());
}

TEST_CASE("read_directory: an open directory is read by its descriptor - twice - from the start") {
    TempRoot t;
    stdfs::create_directories(t.root / "d");
    std::ofstream(t.root / "d/one.txt") << "1";
    std::ofstream(t.root / "d/two.txt") << "22";
    auto const dir = resolve(t.root, {"d"}, false, t.root_fd);
    REQUIRE(dir.kind == ResolveKind::directory);
    // Renaming the directory away does not change what the descriptor lists.
    stdfs::rename(t.root / "d", t.root / "moved");
    stdfs::create_directories(t.root / "d");
    CHECK(read_directory(dir.file->fd, t.root, {"d"}, false, t.root_fd).size() == 2);
    CHECK(read_directory(dir.file->fd, t.root, {"d"}, false, t.root_fd).size() == 2);
    CHECK(t.list({"d"}).empty());
}

TEST_CASE("read_directory: a link is listed with what resolve() opens - or not at all") {
    TempRoot t;
    stdfs::create_directories(t.top / "outside");
    stdfs::create_directories(t.root / ".git");
    std::ofstream(t.top / "outside/secret.txt") << "OUTSIDE";
    std::ofstream(t.root / ".git/config") << "[core]";
    std::ofstream(t.root / "real.txt") << "123";
    stdfs::create_symlink("real.txt", t.root / "alias.txt");
    stdfs::create_symlink(t.root / "real.txt", t.root / "absolute-alias.txt");
    stdfs::create_symlink(t.top / "outside/secret.txt", t.root / "escape.txt");
    stdfs::create_symlink(t.top / "outside", t.root / "escape-dir");
    stdfs::create_symlink(".git/config", t.root / "to-git");
    auto const plain = t.list({});
    CHECK(names(plain) == std::vector<std::string>{"absolute-alias.txt", "alias.txt", "real.txt"});
    CHECK(plain[1].size == 3);  // the target's size, not the link's
    auto const followed = t.list({}, true);
    CHECK(names(followed) ==
          std::vector<std::string>{"absolute-alias.txt", "alias.txt", "escape-dir", "escape.txt", "real.txt"});
    CHECK(followed[3].size == 7);
}

TEST_CASE("open_beneath: the walk without openat2 refuses symlinks anywhere on the way as openat2 does") {
    TempRoot t;
    stdfs::create_directories(t.root / "a/b");
    std::ofstream(t.root / "a/b/f.txt") << "f";
    stdfs::create_symlink("a", t.root / "link-dir");
    stdfs::create_symlink("a/b/f.txt", t.root / "link-file");
    struct Row {
        std::string relative;
        int error;
    };
    Row const rows[] = {
        {"a/b/f.txt", 0},
        {"a/b", 0},
        {"", 0},
        {"a/b/f.txt/x", -ENOTDIR},
        {"a/nope", -ENOENT},
        {"link-dir/b/f.txt", -ELOOP},
        {"link-file", -ELOOP},
        {"a/b/../../link-file", -EXDEV},
    };
    for (auto const& row : rows) {
        CAPTURE(row.relative);
        for (bool walk : {true, false}) {
            CAPTURE(walk);
            int const fd = walk ? wasmdev::sys::open_beneath_walk(t.root_fd, row.relative, O_RDONLY)
                                : wasmdev::sys::open_beneath(t.root_fd, row.relative, O_RDONLY);
            if (row.error == 0) {
                CHECK(fd >= 0);
            } else if (row.error == -EXDEV) {
                CHECK(fd < 0);  // ".." never comes from resolve(); either route refuses climbing out
            } else {
                CHECK(fd == row.error);
            }
            if (fd >= 0) ::close(fd);
        }
    }
}
