// run's temporary directories (server/browser/run_dirs.hpp): which leftovers may be removed,
// and the collection itself on a real directory: a dead run's directory goes, a live run's
// (its lock held), one being created (no run line yet), one whose browser group lives, a
// symlink and a directory without an owner file stay.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "server/browser/run_dirs.hpp"
#include "tests/support/temp_tree.hpp"

using namespace wasmdev::browser;
namespace fs = std::filesystem;

TEST_CASE("is_run_dir_name: only names mkdtemp makes from wasmdev-run-XXXXXX") {
    struct Row {
        char const* name;
        bool ok;
    };
    Row const rows[] = {
        {"wasmdev-run-a1B2c3", true},    {"wasmdev-run-abcdef", true},
        {"wasmdev-run-abcde", false},    {"wasmdev-run-abcdefg", false},
        {"wasmdev-run-abc/ef", false},   {"wasmdev-run-abc.ef", false},
        {"wasmdev-build-abcdef", false}, {"", false},
        {"xwasmdev-run-abcdef", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.name);
        CHECK(is_run_dir_name(row.name) == row.ok);
    }
}

TEST_CASE("is_collectable: a dead run's own directory whose browser is gone, nothing else") {
    RunDirState const dead{"wasmdev-run-abcdef", true, true, true, true, false};
    CHECK(is_collectable(dead));
    auto with = [&](auto change) {
        RunDirState s = dead;
        change(s);
        return is_collectable(s);
    };
    CHECK_FALSE(with([](RunDirState& s) { s.name = "wasmdev-run-abc"; }));
    CHECK_FALSE(with([](RunDirState& s) { s.is_directory = false; }));        // a symlink or a file
    CHECK_FALSE(with([](RunDirState& s) { s.owned_by_us = false; }));         // another user's
    CHECK_FALSE(with([](RunDirState& s) { s.lock_taken = false; }));          // a live run holds it
    CHECK_FALSE(with([](RunDirState& s) { s.owner_recorded = false; }));      // a run being created
    CHECK_FALSE(with([](RunDirState& s) { s.browser_group_alive = true; }));  // its browser still ends
}

namespace {
void write_file(fs::path const& p, std::string const& text) { std::ofstream(p, std::ios::binary) << text; }
}  // namespace

TEST_CASE("collect_stale_run_dirs: removes a dead run's directory and keeps every other one") {
    wasmdev::test::TempTree t({}, "rundirs");
    std::string error;
    auto live = RunDir::create(t.path, error);
    REQUIRE_MESSAGE(!live.path().empty(), error);
    live.record_browser(0);

    auto make = [&](std::string const& name, char const* owner) {
        fs::create_directory(t.path / name);
        if (owner) write_file(t.path / name / "owner", owner);
        write_file(t.path / name / "browser.log", "x");
        return t.path / name;
    };
    auto dead = make("wasmdev-run-dead01", "run 1\nbrowser 0\n");
    auto dead_no_browser = make("wasmdev-run-dead02", "run 1\n");
    auto creating = make("wasmdev-run-being1", "");
    auto no_owner = make("wasmdev-run-noown1", nullptr);
    // Our own process group is alive: the browser of that "run" has not ended yet.
    auto group_alive = make("wasmdev-run-alive1", ("run 1\nbrowser " + std::to_string(::getpgrp()) + "\n").c_str());
    auto other_name = make("wasmdev-other-dead", "run 1\n");
    fs::create_directory_symlink(dead_no_browser, t.path / "wasmdev-run-link01");

    CHECK(collect_stale_run_dirs(t.path) == 2);
    CHECK_FALSE(fs::exists(dead));
    CHECK_FALSE(fs::exists(dead_no_browser));
    CHECK(fs::is_directory(live.path()));
    CHECK(fs::exists(live.path() / "owner"));
    CHECK(fs::exists(creating));
    CHECK(fs::exists(no_owner));
    CHECK(fs::exists(group_alive));
    CHECK(fs::exists(other_name));
    CHECK(fs::is_symlink(t.path / "wasmdev-run-link01"));

    auto kept = live.path();
    live.release();
    CHECK_FALSE(fs::exists(kept));
}
