// OpenFileCache through resolve() (a rebuilt file is never answered stale: docs/design.md#never-stale): a
// repeat request reuses the descriptor only while the path names the very same file.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "server/fs/open_cache.hpp"
#include "server/fs/resolve.hpp"
#include "tests/support/temp_tree.hpp"
#include "tests/unit/files.hpp"

using namespace wasmdev::fs;
using wasmdev::test::read_all;
using wasmdev::test::write_file;
namespace fs = std::filesystem;

namespace {

struct Tree {
    wasmdev::test::TempTree tmp{{}, "open-cache"};
    fs::path root = tmp.path;
    int root_fd = -1;
    OpenFileCache cache{4};
    Tree() {
        fs::create_directories(root / "sub");
        write_file(root / "sub/app.wasm", "version one");
        write_file(root / "outside.txt", "not this");
        root_fd = open_root(root);
    }
    ~Tree() { ::close(root_fd); }
    Resolved get(std::vector<std::string> segments, bool follow = false) {
        return resolve(root, segments, follow, root_fd, &cache);
    }
};

}  // namespace

TEST_CASE("open cache: a repeat request reuses the same open file") {
    Tree t;
    auto first = t.get({"sub", "app.wasm"});
    REQUIRE(first.kind == ResolveKind::file);
    CHECK(t.cache.size() == 1);
    auto second = t.get({"sub", "app.wasm"});
    REQUIRE(second.kind == ResolveKind::file);
    CHECK(second.file == first.file);  // the same descriptor, not a new open
    CHECK(second.path == first.path);
    CHECK(read_all(*second.file) == "version one");
}

TEST_CASE("open cache: a file rewritten in place is opened afresh - even with its mtime restored") {
    Tree t;
    auto const p = t.root / "sub/app.wasm";
    auto first = t.get({"sub", "app.wasm"});
    REQUIRE(first.kind == ResolveKind::file);
    struct stat before {};
    REQUIRE(::stat(p.c_str(), &before) == 0);
    write_file(p, "version two");  // same size
    timespec const times[2] = {before.st_atim, before.st_mtim};
    REQUIRE(::utimensat(AT_FDCWD, p.c_str(), times, 0) == 0);  // same mtime: only ctime differs
    auto second = t.get({"sub", "app.wasm"});
    REQUIRE(second.kind == ResolveKind::file);
    CHECK(read_all(*second.file) == "version two");
}

TEST_CASE("open cache: a file replaced by rename - deleted - or swapped for a symlink is not served from the cache") {
    Tree t;
    auto const p = t.root / "sub/app.wasm";
    REQUIRE(t.get({"sub", "app.wasm"}).kind == ResolveKind::file);

    write_file(t.root / "sub/next.tmp", "version rename");
    fs::rename(t.root / "sub/next.tmp", p);
    auto renamed = t.get({"sub", "app.wasm"});
    REQUIRE(renamed.kind == ResolveKind::file);
    CHECK(read_all(*renamed.file) == "version rename");

    fs::remove(p);
    CHECK(t.get({"sub", "app.wasm"}).kind == ResolveKind::not_found);

    write_file(p, "back");
    REQUIRE(t.get({"sub", "app.wasm"}).kind == ResolveKind::file);
    fs::remove(p);
    fs::create_symlink(t.root / "outside.txt", p);
    // A link that stays inside the root is served as its target (docs/design.md#symlinks): the target's
    // bytes now, not the cached file's.
    auto linked = t.get({"sub", "app.wasm"});
    REQUIRE(linked.kind == ResolveKind::file);
    CHECK(read_all(*linked.file) == "not this");
}

TEST_CASE("open cache: bounded - the least recently used file is dropped") {
    Tree t;
    for (int i = 0; i < 6; ++i) write_file(t.root / ("f" + std::to_string(i)), "x");
    auto keep = t.get({"f0"});
    for (int i = 1; i < 6; ++i) {
        REQUIRE(t.get({"f" + std::to_string(i)}).kind == ResolveKind::file);
        REQUIRE(t.get({"f0"}).file == keep.file);  // used again: stays
    }
    CHECK(t.cache.size() == 4);
}

TEST_CASE("open cache: drop_unlinked closes the files deleted since - keeps the rest") {
    Tree t;
    write_file(t.root / "sub/old.wasm", "an old build");
    auto kept = t.get({"sub", "app.wasm"});
    auto gone = t.get({"sub", "old.wasm"});
    REQUIRE((kept.file && gone.file));
    REQUIRE(t.cache.size() == 2);
    CHECK(t.cache.drop_unlinked() == 0);
    fs::remove(t.root / "sub/old.wasm");
    CHECK(t.cache.drop_unlinked() == 1);
    CHECK(t.cache.size() == 1);
    CHECK(t.get({"sub", "app.wasm"}).file == kept.file);  // still cached: the same descriptor
    // A request still holding the dropped file reads it to the end.
    CHECK(read_all(*gone.file) == "an old build");
    gone.file.reset();  // the last holder: now the descriptor closes and the space is free
}
