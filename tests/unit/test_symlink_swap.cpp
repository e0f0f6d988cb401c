// A symlink inside ROOT swapped between a real directory and a link out of ROOT
// (renameat2(RENAME_EXCHANGE) in a loop, on a thread) while handle() answers requests through
// it (docs/design.md#symlinks): no byte of a file outside ROOT is ever served and no outside name or size is
// ever listed, on either route (the server's root descriptor, or none), whatever the timing.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "server/fs/open_cache.hpp"
#include "server/fs/resolve.hpp"
#include "server/http/handler.hpp"

using namespace wasmdev::http;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view outside_bytes = "OUTSIDE-SECRET";
constexpr std::string_view outside_name = "outside-only-name.txt";

// The bytes of a file body (the only body kind these requests get besides HTML text).
std::string bytes_of(ResponsePlan const& p) {
    if (auto const* text = std::get_if<TextBody>(&p.body)) return text->bytes;
    auto const* file = std::get_if<FileBody>(&p.body);
    if (!file) return {};
    std::string out;
    for (auto const& part : file->parts) {
        if (!part.from_file) {
            out += part.literal;
            continue;
        }
        std::string bytes(part.length, '\0');
        auto n = ::pread(file->file->fd, bytes.data(), bytes.size(), off_t(part.offset));
        bytes.resize(n < 0 ? 0 : std::size_t(n));
        out += bytes;
    }
    return out;
}

// tmp/root/d is a directory holding f.txt; tmp/root/e links to tmp/outside, which holds an f.txt
// of its own and a name found nowhere inside. The swapper exchanges d and e until told to stop.
struct SwapSite {
    fs::path top, root;
    SwapSite() {
        top = fs::temp_directory_path() / ("wasmdev-swap-" + std::to_string(::getpid()));
        fs::remove_all(top);
        fs::create_directories(top / "root/d");
        fs::create_directories(top / "outside");
        root = fs::canonical(top / "root");
        std::ofstream(root / "d/f.txt") << "inside";
        std::ofstream(top / "outside/f.txt") << outside_bytes;
        std::ofstream(top / "outside" / outside_name) << outside_bytes;
        fs::create_symlink(top / "outside", root / "e");
    }
    ~SwapSite() { fs::remove_all(top); }
    SwapSite(SwapSite const&) = delete;
    SwapSite& operator=(SwapSite const&) = delete;
};

struct Counts {
    long requests = 0, inside = 0, leaks = 0, listed = 0;  // listed: leaks in a listing
};

Counts hammer(Config const& cfg, Services const& services, std::chrono::milliseconds budget) {
    Counts c;
    auto const until = std::chrono::steady_clock::now() + budget;
    RequestHead req;
    req.method = "GET";
    req.version = 11;
    req.fields.emplace_back("Host", "localhost");
    while (std::chrono::steady_clock::now() < until) {
        for (std::string_view target : {"/d/f.txt", "/d/"}) {
            req.target = target;
            auto const plan = handle(req, cfg, services);
            auto const body = bytes_of(plan);
            ++c.requests;
            if (plan.status == 200) ++c.inside;
            if (body.find(outside_bytes) != std::string::npos || body.find(outside_name) != std::string::npos ||
                body.find("14 B") != std::string::npos)  // the outside file's size in a listing
                ++c.leaks, c.listed += target.back() == '/';
        }
    }
    return c;
}

}  // namespace

TEST_CASE("symlink swap: a link exchanged with a directory in a loop never serves or lists outside the root") {
    SwapSite site;
    std::atomic<bool> stop{false};
    std::atomic<long> swaps{0};
    std::thread swapper([&] {
        auto const d = (site.root / "d").native(), e = (site.root / "e").native();
        while (!stop.load(std::memory_order_relaxed)) {
            if (::renameat2(AT_FDCWD, d.c_str(), AT_FDCWD, e.c_str(), RENAME_EXCHANGE) != 0) break;
            swaps.fetch_add(1, std::memory_order_relaxed);
        }
    });
    int const root_fd = wasmdev::fs::open_root(site.root);
    REQUIRE(root_fd >= 0);
    wasmdev::fs::OpenFileCache open_files;
    struct Route {
        int fd;
        wasmdev::fs::OpenFileCache* cache;
        char const* name;
    };
    for (auto const& route :
         {Route{root_fd, nullptr, "the server's root descriptor"},
          Route{root_fd, &open_files, "with the open-file cache"}, Route{-1, nullptr, "no root descriptor"}}) {
        CAPTURE(route.name);
        Config cfg;
        cfg.root = site.root;
        cfg.root_fd = route.fd;
        Services services;
        services.open_files = route.cache;
        auto const c = hammer(cfg, services, std::chrono::milliseconds(2000));
        MESSAGE(std::string(route.name), ": requests: ", c.requests, ", answered 200: ", c.inside, ", leaks: ", c.leaks,
                " (", c.listed, " in listings)");
        CHECK(c.leaks == 0);
        CHECK(c.inside > 0);  // the test raced: some requests found the directory in place
    }
    stop = true;
    swapper.join();
    ::close(root_fd);
    CHECK(swaps.load() > 1000);
}
