// sys::open_beneath and its component walk (docs/design.md#symlinks): what each route opens and
// which error it answers for symlinks inside and out of the root, "..", a file used as a
// directory, a dangling link and very deep or long paths. The walk differs by OS only in how it
// opens one component, so its rows are pinned per implementation: Linux's (O_PATH, the route
// where openat2 is missing) and the POSIX one (this build with WASMDEV_PLATFORM=posix).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>

#include "server/sys/open_beneath.hpp"

using namespace wasmdev::sys;
namespace stdfs = std::filesystem;

namespace {

struct Tree {
    stdfs::path top, root;
    int root_fd = -1;
    Tree() {
        static int counter = 0;
        top = stdfs::temp_directory_path() /
              ("wasmdev-beneath-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        stdfs::remove_all(top);
        stdfs::create_directories(top / "root/a/b");
        stdfs::create_directories(top / "outside");
        root = stdfs::canonical(top / "root");
        std::ofstream(top / "outside/secret.txt") << "secret";
        std::ofstream(root / "a/b/f.txt") << "f";
        std::ofstream(root / "file.txt") << "file";
        stdfs::create_symlink("a", root / "link-dir");
        stdfs::create_symlink("a/b/f.txt", root / "link-file");
        stdfs::create_symlink("../outside/secret.txt", root / "escape-file");
        stdfs::create_symlink("../outside", root / "escape-dir");
        stdfs::create_symlink(stdfs::canonical(top / "outside"), root / "absolute-escape");
        stdfs::create_symlink("nothing-here", root / "dangling");
        stdfs::create_symlink("missing-dir", root / "a/dangling-dir");
        root_fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        REQUIRE(root_fd >= 0);
    }
    ~Tree() {
        ::close(root_fd);
        stdfs::remove_all(top);
    }
    Tree(Tree const&) = delete;
    Tree& operator=(Tree const&) = delete;
};

// "d/d/.../d" with `levels` components.
std::string repeated(std::string const& component, int levels) {
    std::string out;
    for (int i = 0; i < levels; ++i) out += (i ? "/" : "") + component;
    return out;
}

// A path longer than PATH_MAX whose first component is missing: openat2 refuses its length,
// the walk stops at the first component. Equal answers mean open_beneath is the walk itself.
bool open_beneath_is_the_walk(int root_fd) {
    auto const long_path = repeated("x", 3000);
    return open_beneath(root_fd, long_path, O_RDONLY) == open_beneath_walk(root_fd, long_path, O_RDONLY);
}

// What a call answered: 0 for a descriptor (closed here), else -errno.
int outcome(int fd) {
    if (fd < 0) return fd;
    ::close(fd);
    return 0;
}

}  // namespace

TEST_CASE("open_beneath: symlinks, '..', files as directories, dangling links and long paths, per route") {
    Tree t;
    bool const posix = open_beneath_is_the_walk(t.root_fd);
    CAPTURE(posix);
    auto const deep = repeated("d", 1000);  // 2000 bytes: under PATH_MAX, far over any sane depth
    stdfs::create_directories(t.root / deep);
    std::ofstream(t.root / deep / "f.txt") << "deep";
    struct Row {
        std::string relative;
        int flags;
        int openat2;     // open_beneath on Linux
        int linux_walk;  // open_beneath_walk on Linux (openat2 missing)
        int posix_walk;  // open_beneath_walk and open_beneath with WASMDEV_PLATFORM=posix
    };
    int const rd = O_RDONLY;
    int const dir = O_RDONLY | O_DIRECTORY;
    Row const rows[] = {
        {"a/b/f.txt", rd, 0, 0, 0},
        {"a/b", rd, 0, 0, 0},
        {"a/b", dir, 0, 0, 0},
        {"", rd, 0, 0, 0},
        {"a//b/f.txt", rd, 0, 0, 0},
        {"/a/b/f.txt", rd, -EXDEV, 0, 0},
        // Symlinks inside the root: refused wherever they are, as RESOLVE_NO_SYMLINKS does.
        {"link-file", rd, -ELOOP, -ELOOP, -ELOOP},
        {"link-dir", rd, -ELOOP, -ELOOP, -ELOOP},
        {"link-dir/b/f.txt", rd, -ELOOP, -ELOOP, -ELOOP},
        // O_DIRECTORY | O_NOFOLLOW on a symlink is ENOTDIR from Linux; only the POSIX walk
        // turns it back into ELOOP.
        {"link-dir", dir, -ELOOP, -ENOTDIR, -ELOOP},
        // Symlinks that leave the root, relative and absolute.
        {"escape-file", rd, -ELOOP, -ELOOP, -ELOOP},
        {"escape-dir", rd, -ELOOP, -ELOOP, -ELOOP},
        {"escape-dir/secret.txt", rd, -ELOOP, -ELOOP, -ELOOP},
        {"absolute-escape/secret.txt", rd, -ELOOP, -ELOOP, -ELOOP},
        // "..": the walk refuses it anywhere, openat2 only where it climbs out.
        {"..", rd, -EXDEV, -EXDEV, -EXDEV},
        {"../outside/secret.txt", rd, -EXDEV, -EXDEV, -EXDEV},
        {"a/../a/b/f.txt", rd, 0, -EXDEV, -EXDEV},
        {"a/b/../../link-file", rd, -ELOOP, -EXDEV, -EXDEV},
        {"a/b/../../../outside/secret.txt", rd, -EXDEV, -EXDEV, -EXDEV},
        // A file where a directory should be.
        {"file.txt/x", rd, -ENOTDIR, -ENOTDIR, -ENOTDIR},
        {"a/b/f.txt/x/y", rd, -ENOTDIR, -ENOTDIR, -ENOTDIR},
        {"file.txt", dir, -ENOTDIR, -ENOTDIR, -ENOTDIR},
        // Dangling links, last and on the way.
        {"dangling", rd, -ELOOP, -ELOOP, -ELOOP},
        {"dangling", dir, -ELOOP, -ENOTDIR, -ELOOP},
        {"dangling/x", rd, -ELOOP, -ELOOP, -ELOOP},
        {"a/dangling-dir/x", rd, -ELOOP, -ELOOP, -ELOOP},
        // Nothing there.
        {"a/nope", rd, -ENOENT, -ENOENT, -ENOENT},
        {"nope/x", rd, -ENOENT, -ENOENT, -ENOENT},
        // Very deep and very long.
        {deep + "/f.txt", rd, 0, 0, 0},
        {deep, dir, 0, 0, 0},
        {deep + "/nope", rd, -ENOENT, -ENOENT, -ENOENT},
        {repeated("x", 3000), rd, -ENAMETOOLONG, -ENOENT, -ENOENT},
        {std::string(300, 'n'), rd, -ENAMETOOLONG, -ENAMETOOLONG, -ENAMETOOLONG},
    };
    for (auto const& row : rows) {
        CAPTURE(row.relative.substr(0, 80));
        CAPTURE(row.relative.size());
        CAPTURE(row.flags);
        int const walk_expected = posix ? row.posix_walk : row.linux_walk;
        CHECK(outcome(open_beneath_walk(t.root_fd, row.relative, row.flags)) == walk_expected);
        CHECK(outcome(open_beneath(t.root_fd, row.relative, row.flags)) == (posix ? row.posix_walk : row.openat2));
    }
}

TEST_CASE("open_beneath: the walk opens what the path names, and leaves no descriptor behind") {
    Tree t;
    int const before = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    REQUIRE(before >= 0);
    ::close(before);
    for (auto const* relative : {"a/b/f.txt", "link-dir/b/f.txt", "a/b/f.txt/x", "a/nope", "a/../a"}) {
        CAPTURE(relative);
        int const fd = open_beneath_walk(t.root_fd, relative, O_RDONLY);
        if (fd >= 0) {
            char buf[4] = {};
            CHECK(::read(fd, buf, sizeof buf) == 1);
            CHECK(buf[0] == 'f');
            ::close(fd);
        }
    }
    // Every descriptor the walks opened on the way was closed: the next open gets the same number.
    int const after = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    CHECK(after == before);
    ::close(after);
}

TEST_CASE("open_absolute: a symlink-free absolute path opens, one with a symlink on the way does not") {
    Tree t;
    int const fd = open_absolute((t.root / "a/b/f.txt").string(), O_RDONLY);
    CHECK(fd >= 0);
    if (fd >= 0) ::close(fd);
    CHECK(open_absolute((t.root / "link-dir/b/f.txt").string(), O_RDONLY) == -ELOOP);
    CHECK(open_absolute((t.root / "a/nope").string(), O_RDONLY) == -ENOENT);
}
