// resolve() on a temporary tree (docs/design.md#paths): nothing outside the root is ever returned,
// whatever the encoding; symlinks that leave the root are refused unless follow_symlinks;
// dotfiles stay hidden even behind a link; only regular files are served, without blocking.
// Every case runs with the server's root descriptor and without one (resolve opens the root).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>

#include "server/fs/resolve.hpp"
#include "server/http/target.hpp"
#include "tests/support/temp_tree.hpp"
#include "tests/unit/files.hpp"

using namespace wasmdev::fs;
using wasmdev::http::parse_target;
using wasmdev::test::read_all;
using wasmdev::test::write_file;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view secret_content = "TOP SECRET";

// tmp/secret.txt and tmp/root-evil/secret.txt beside tmp/root/ (the served tree), with
// links, a FIFO and a socket inside the root.
struct Layout {
    wasmdev::test::TempTree tmp{{}, "resolve"};
    fs::path top = tmp.path, root;
    int root_fd = -1;
    Layout() {
        fs::create_directories(top / "root/sub/deeper");
        fs::create_directories(top / "root/.git");
        fs::create_directories(top / "root-evil");
        fs::create_directories(top / ".outside-hidden");
        root = fs::canonical(top / "root");
        write_file(top / "secret.txt", secret_content);
        write_file(top / "root-evil/secret.txt", secret_content);
        write_file(root / "index.html", "home");
        write_file(root / "sub/a.wasm", std::string_view("\0asm\1\0\0\0", 8));
        write_file(root / "a b & <c> #%.txt", "awkward");
        write_file(root / "\xC3\xA9.txt", "accent");
        write_file(root / ".git/config", "[core]");
        write_file(root / ".env", "TOKEN=1");
        fs::create_symlink(top / "secret.txt", root / "escape");
        fs::create_symlink("../secret.txt", root / "escape-relative");
        fs::create_symlink(top, root / "escape-dir");
        fs::create_symlink(top / "root-evil/secret.txt", root / "prefix-escape");  // "/root-evil" starts with "/root"
        fs::create_symlink("/etc/passwd", root / "passwd");
        fs::create_symlink(root / ".git/config", root / "to-git");
        fs::create_symlink(root / ".git", root / "git-dir");
        fs::create_symlink(".env", root / "env-link");
        fs::create_symlink(root / "sub/a.wasm", root / "alias.wasm");  // stays inside
        fs::create_symlink("sub", root / "sub-link");
        fs::create_symlink("nowhere", root / "dangling");
        fs::create_symlink("loop-b", root / "loop-a");
        fs::create_symlink("loop-a", root / "loop-b");
        REQUIRE(::mkfifo((root / "fifo").c_str(), 0600) == 0);
        root_fd = open_root(root);
        REQUIRE(root_fd >= 0);
    }
    ~Layout() { ::close(root_fd); }
    Layout(Layout const&) = delete;
    Layout& operator=(Layout const&) = delete;
};

char const* route(int fd) { return fd < 0 ? "root opened per call" : "the server's root descriptor"; }

}  // namespace

TEST_CASE("resolve: traversal attempts in many encodings never leave the root") {
    Layout l;
    enum Expect { refused_by_parser, not_found, forbidden, root_dir };
    struct Row {
        std::string_view target;
        Expect expect;
    };
    Row const rows[] = {
        {"/../secret.txt", not_found},
        {"/%2e%2e/secret.txt", not_found},
        {"/%2E%2E/secret.txt", not_found},
        {"/%2E%2E%2Fsecret.txt", refused_by_parser},
        {"/..%2fsecret.txt", refused_by_parser},
        {"/..%2Fsecret.txt", refused_by_parser},
        {"/..%5csecret.txt", refused_by_parser},
        {"/%5c..%5csecret.txt", refused_by_parser},
        {"/%2e%2e%5c%2e%2e%5csecret.txt", refused_by_parser},
        {"/.%2e/secret.txt", not_found},
        {"/%2e./secret.txt", not_found},
        {"/%252e%252e/secret.txt", not_found},  // must not decode twice
        {"/%252e%252e%252fsecret.txt", not_found},
        {"/%00", refused_by_parser},
        {"/a%00b", refused_by_parser},
        {"/secret.txt%00.html", refused_by_parser},
        {"/%c0%ae%c0%ae/secret.txt", not_found},  // overlong UTF-8 dots
        {"/%c0%af", not_found},                   // overlong UTF-8 slash
        {"/..%c0%afsecret.txt", not_found},
        {"/%e0%80%ae%e0%80%ae/secret.txt", not_found},
        {"/%u002e%u002e/secret.txt", refused_by_parser},
        {"http://localhost/../secret.txt", not_found},
        {"http://localhost/%2e%2e/secret.txt", not_found},
        {"//secret.txt", not_found},
        {"///../secret.txt", not_found},
        {"/./../secret.txt", not_found},
        {"/..\\secret.txt", refused_by_parser},
        {"/..;/secret.txt", not_found},
        {"/sub/../../secret.txt", not_found},
        {"/sub/deeper/../../../secret.txt", not_found},
        {"/sub/..%2f..%2fsecret.txt", refused_by_parser},
        {"/escape", forbidden},           // symlink to ../secret.txt (absolute)
        {"/escape-relative", forbidden},  // the same, relative
        {"/escape-dir/secret.txt", forbidden},
        {"/escape-dir/root-evil/secret.txt", forbidden},
        {"/escape-dir", forbidden},
        {"/prefix-escape", forbidden},  // tmp/root-evil shares tmp/root's prefix
        {"/passwd", forbidden},
        {"/.git/config", not_found},
        {"/%2egit/config", not_found},
        {"/.git", not_found},
        {"/.env", not_found},
        {"/sub/../.env", not_found},
        {"/sub/%2e%2e/.env", not_found},
        {"/to-git", not_found},  // a link into .git is still hidden
        {"/git-dir/config", not_found},
        {"/env-link", not_found},
        {"/fifo", forbidden},
        {"/dangling", not_found},
        {"/loop-a", not_found},
        {"/..", root_dir},
        {"/%2e%2e/", root_dir},
        {"/../../../../", root_dir},
        {"http://localhost/..", root_dir},
    };
    for (auto const& row : rows) {
        CAPTURE(row.target);
        auto t = parse_target(row.target);
        CHECK(t.has_value() == (row.expect != refused_by_parser));
        if (!t) continue;
        for (int fd : {-1, l.root_fd}) {
            CAPTURE(route(fd));
            auto r = resolve(l.root, t->segments, false, fd);
            switch (row.expect) {
                case not_found: CHECK(r.kind == ResolveKind::not_found); break;
                case forbidden: CHECK(r.kind == ResolveKind::forbidden); break;
                case root_dir:
                    CHECK(r.kind == ResolveKind::directory);
                    CHECK(r.path == l.root);
                    break;
                case refused_by_parser: break;
            }
            if (r.kind == ResolveKind::file || r.kind == ResolveKind::directory) {
                auto rel = fs::path(r.path).lexically_relative(l.root);
                CHECK_FALSE(rel.empty());
                CHECK_FALSE(rel.native().starts_with(".."));
            }
            if (r.file) CHECK(read_all(*r.file) != secret_content);
            if (r.kind == ResolveKind::forbidden || r.kind == ResolveKind::not_found) {
                CHECK_FALSE(r.file);
                CHECK_FALSE(r.cause.empty());
            }
        }
    }
}

TEST_CASE("resolve: very long paths are not found and never crash") {
    Layout l;
    std::string deep = "/";
    for (int i = 0; i < 5000; ++i) deep += "a/";
    std::string climb = "/";
    for (int i = 0; i < 3000; ++i) climb += "../";
    climb += "secret.txt";
    std::string const long_name = "/" + std::string(300, 'x');  // beyond NAME_MAX
    std::string const long_encoded = "/" + std::string(1000, 'y') + "%2e%2e/secret.txt";
    for (std::string const& target : {deep, climb, long_name, long_encoded}) {
        CAPTURE(target.size());
        auto t = parse_target(target);
        REQUIRE(t);
        for (int fd : {-1, l.root_fd}) {
            CAPTURE(route(fd));
            CHECK(resolve(l.root, t->segments, false, fd).kind == ResolveKind::not_found);
        }
    }
}

TEST_CASE("resolve: files and directories inside the root") {
    Layout l;
    for (int fd : {-1, l.root_fd}) {
        CAPTURE(route(fd));
        auto file = resolve(l.root, {"sub", "a.wasm"}, false, fd);
        REQUIRE(file.kind == ResolveKind::file);
        REQUIRE(file.file);
        CHECK(file.path == l.root / "sub/a.wasm");
        CHECK(file.file->size == 8);
        CHECK(read_all(*file.file) == std::string_view("\0asm\1\0\0\0", 8));
        CHECK(file.file->mtime_ns > 0);
        struct stat st {};
        REQUIRE(::stat((l.root / "sub/a.wasm").c_str(), &st) == 0);
        CHECK(file.file->ino == std::uint64_t(st.st_ino));
        CHECK(file.file->dev == std::uint64_t(st.st_dev));
        CHECK(file.file->mtime_ns == std::int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec);

        auto awkward = resolve(l.root, {"a b & <c> #%.txt"}, false, fd);
        REQUIRE(awkward.kind == ResolveKind::file);
        CHECK(read_all(*awkward.file) == "awkward");
        auto accent = resolve(l.root, {"\xC3\xA9.txt"}, false, fd);
        REQUIRE(accent.kind == ResolveKind::file);
        CHECK(read_all(*accent.file) == "accent");

        auto sub = resolve(l.root, {"sub"}, false, fd);
        CHECK(sub.kind == ResolveKind::directory);
        CHECK(sub.path == l.root / "sub");
        // Either way the directory opened is kept, for the listing.
        REQUIRE(sub.file);
        struct stat a {
        }, b{};
        REQUIRE(::fstat(sub.file->fd, &a) == 0);
        REQUIRE(::stat((l.root / "sub").c_str(), &b) == 0);
        CHECK(a.st_ino == b.st_ino);
        auto top = resolve(l.root, {}, false, fd);
        CHECK(top.kind == ResolveKind::directory);
        CHECK(top.path == l.root);

        CHECK(resolve(l.root, {"nope"}, false, fd).kind == ResolveKind::not_found);
        CHECK(resolve(l.root, {"index.html", "x"}, false, fd).kind == ResolveKind::not_found);  // ENOTDIR
        CHECK(resolve(l.root, {"sub", "deeper", "nope.wasm"}, false, fd).kind == ResolveKind::not_found);
    }
}

TEST_CASE("resolve: symlinks that stay inside the root are followed") {
    Layout l;
    for (int fd : {-1, l.root_fd}) {
        CAPTURE(route(fd));
        auto alias = resolve(l.root, {"alias.wasm"}, false, fd);
        REQUIRE(alias.kind == ResolveKind::file);
        CHECK(read_all(*alias.file) == std::string_view("\0asm\1\0\0\0", 8));
        CHECK(alias.path == l.root / "sub/a.wasm");
        CHECK(resolve(l.root, {"sub-link"}, false, fd).kind == ResolveKind::directory);
        CHECK(resolve(l.root, {"sub-link", "a.wasm"}, false, fd).kind == ResolveKind::file);
    }
}

TEST_CASE("resolve: --follow-symlinks allows links out of the root but never into dotfiles") {
    Layout l;
    for (int fd : {-1, l.root_fd}) {
        CAPTURE(route(fd));
        auto escape = resolve(l.root, {"escape"}, false, fd);
        CHECK(escape.kind == ResolveKind::forbidden);
        CHECK(escape.cause.find("--follow-symlinks") != std::string::npos);
        CHECK_FALSE(escape.file);

        auto followed = resolve(l.root, {"escape"}, true, fd);
        REQUIRE(followed.kind == ResolveKind::file);
        CHECK(read_all(*followed.file) == secret_content);
        CHECK(resolve(l.root, {"escape-dir"}, true, fd).kind == ResolveKind::directory);
        // Hidden names stay hidden whatever the flag says.
        CHECK(resolve(l.root, {"to-git"}, true, fd).kind == ResolveKind::not_found);
        CHECK(resolve(l.root, {"git-dir", "config"}, true, fd).kind == ResolveKind::not_found);
        CHECK(resolve(l.root, {".env"}, true, fd).kind == ResolveKind::not_found);
        CHECK(resolve(l.root, {"escape-dir", ".outside-hidden"}, true, fd).kind == ResolveKind::not_found);
    }
}

TEST_CASE("resolve: a FIFO and a socket are refused without blocking") {
    Layout l;
    // A Unix socket inside the root.
    int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(s >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    auto const sock_path = (l.root / "sock").native();
    REQUIRE(sock_path.size() < sizeof addr.sun_path);
    std::memcpy(addr.sun_path, sock_path.c_str(), sock_path.size() + 1);
    REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);

    for (int fd : {-1, l.root_fd}) {
        CAPTURE(route(fd));
        for (std::string name : {"fifo", "sock"}) {
            CAPTURE(name);
            auto pending = std::async(std::launch::async, [&] { return resolve(l.root, {name}, false, fd); });
            if (pending.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
                // Unblock the reader so the test can end, then fail.
                int w = ::open((l.root / "fifo").c_str(), O_WRONLY | O_NONBLOCK);
                if (w >= 0) ::close(w);
                FAIL("resolve blocked on ", name);
            }
            auto r = pending.get();
            CHECK(r.kind == ResolveKind::forbidden);
            CHECK(r.cause == "not a regular file");
            CHECK_FALSE(r.file);
        }
    }
    ::close(s);
}

TEST_CASE("resolve: a hidden segment anywhere is not found before the file system is asked") {
    Layout l;
    for (int fd : {-1, l.root_fd}) {
        CAPTURE(route(fd));
        for (auto const& segs : std::vector<std::vector<std::string>>{
                 {".git"}, {".git", "config"}, {"sub", ".hidden"}, {".env"}, {".nonexistent", "x"}}) {
            auto r = resolve(l.root, segs, false, fd);
            CHECK(r.kind == ResolveKind::not_found);
            CHECK(r.cause == "hidden files are not served");
        }
    }
}

TEST_CASE("is_hidden_name: dotfiles and dot-directories") {
    struct Row {
        std::string_view name;
        bool hidden;
    };
    Row const rows[] = {
        {".git", true}, {".env", true},        {".htaccess", true}, {".", true},
        {"..", true},   {".well-known", true}, {"a.git", false},    {"", false},
        {"git", false}, {"index.html", false}, {" .env", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.name);
        CHECK(is_hidden_name(row.name) == row.hidden);
    }
}
