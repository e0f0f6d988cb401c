#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "server/http/resolve.hpp"
#include "server/http/target.hpp"

using namespace wasmdev::http;
namespace fs = std::filesystem;

namespace {

// tmp/secret.txt beside tmp/root/ (the served tree), with links and a FIFO inside.
struct Layout {
    fs::path top, root;
    Layout() {
        top = fs::temp_directory_path() / ("wasmdev-resolve-" + std::to_string(::getpid()));
        fs::remove_all(top);
        fs::create_directories(top / "root/sub");
        fs::create_directories(top / "root/.git");
        root = fs::canonical(top / "root");
        std::ofstream(top / "secret.txt") << "secret";
        std::ofstream(root / "index.html") << "home";
        std::ofstream(root / "sub/a.wasm") << "wasm";
        std::ofstream(root / ".git/config") << "[core]";
        std::ofstream(root / ".env") << "TOKEN=1";
        fs::create_symlink(top / "secret.txt", root / "escape");
        fs::create_symlink(top, root / "escape-dir");
        fs::create_symlink(root / ".git/config", root / "to-git");
        fs::create_symlink(root / "sub/a.wasm", root / "alias.wasm");
        ::mkfifo((root / "fifo").c_str(), 0600);
    }
    ~Layout() { fs::remove_all(top); }
};

}  // namespace

TEST_CASE("resolve: traversal attempts in many encodings never leave the root - on both paths") {
    Layout l;
    int const root_fd = open_root(l.root);
    REQUIRE(root_fd >= 0);
    std::string_view const attempts[] = {
        "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%2fsecret.txt", "/..%5csecret.txt",
        "/%5c..%5csecret.txt", "/.%2e/secret.txt", "/%252e%252e/secret.txt", "/%00", "/a%00b",
        "/%c0%ae%c0%ae/secret.txt", "/%c0%af", "http://localhost/../secret.txt", "//secret.txt", "/./../secret.txt",
        "/..\\secret.txt", "/sub/../../secret.txt", "/escape", "/escape-dir/secret.txt", "/.git/config", "/.env",
        "/%2egit/config", "/to-git", "/fifo",
    };
    for (auto attempt : attempts) {
        for (int fd : {-1, root_fd}) {
            CAPTURE(attempt);
            CAPTURE(fd);
            auto t = parse_target(attempt);
            if (!t) continue;  // refused before the file system is asked
            auto r = resolve(l.root, t->segments, false, fd);
            CHECK(r.kind != ResolveKind::file);
            if (r.kind == ResolveKind::directory) CHECK(r.path.native().starts_with(l.root.native()));
        }
    }
    std::string long_path = "/";
    for (int i = 0; i < 5000; ++i) long_path += "a/";
    auto t = parse_target(long_path);
    REQUIRE(t);
    CHECK(resolve(l.root, t->segments, false, root_fd).kind == ResolveKind::not_found);
    ::close(root_fd);
}

TEST_CASE("resolve: files - directories and symlinks inside the root  --follow-symlinks") {
    Layout l;
    int const root_fd = open_root(l.root);
    for (int fd : {-1, root_fd}) {
        CAPTURE(fd);
        auto file = resolve(l.root, {"sub", "a.wasm"}, false, fd);
        REQUIRE(file.kind == ResolveKind::file);
        REQUIRE(file.file);
        CHECK(file.file->size == 4);
        CHECK(resolve(l.root, {"sub"}, false, fd).kind == ResolveKind::directory);
        CHECK(resolve(l.root, {}, false, fd).kind == ResolveKind::directory);
        CHECK(resolve(l.root, {"alias.wasm"}, false, fd).kind == ResolveKind::file);  // a link that stays inside
        CHECK(resolve(l.root, {"nope"}, false, fd).kind == ResolveKind::not_found);
        CHECK(resolve(l.root, {"index.html", "x"}, false, fd).kind == ResolveKind::not_found);
        auto escape = resolve(l.root, {"escape"}, false, fd);
        CHECK(escape.kind == ResolveKind::forbidden);
        CHECK(escape.cause.find("--follow-symlinks") != std::string::npos);
        CHECK(resolve(l.root, {"escape"}, true, fd).kind == ResolveKind::file);
        CHECK(resolve(l.root, {"fifo"}, false, fd).kind == ResolveKind::forbidden);
    }
    ::close(root_fd);
}

TEST_CASE("is_hidden_name: dotfiles and dot-directories") {
    CHECK(is_hidden_name(".git"));
    CHECK(is_hidden_name(".env"));
    CHECK(is_hidden_name(".htaccess"));
    CHECK_FALSE(is_hidden_name("a.git"));
    CHECK_FALSE(is_hidden_name(""));
}
