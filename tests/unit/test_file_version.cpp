// fs::is_same_version, the one "same file version" rule (docs/design.md#file-version) that the
// open descriptor check (fs::is_unchanged) and the compression cache both apply.
#include <doctest/doctest.h>

#include "server/fs/file_version.hpp"

using wasmdev::fs::FileVersion;
using wasmdev::fs::is_same_version;

TEST_CASE(
    "is_same_version: a moved size, mtime, inode or device is a new version; ctime too, unless a link went away") {
    FileVersion const then{.dev = 1, .ino = 2, .size = 100, .mtime_ns = 1000, .ctime_ns = 2000, .nlink = 2};
    struct Row {
        char const* change;
        FileVersion now;
        bool same;
    };
    auto with = [&](auto edit) {
        FileVersion v = then;
        edit(v);
        return v;
    };
    Row const rows[] = {
        {"nothing", then, true},
        {"size", with([](FileVersion& v) { v.size = 101; }), false},
        {"mtime", with([](FileVersion& v) { v.mtime_ns = 1001; }), false},
        {"inode", with([](FileVersion& v) { v.ino = 3; }), false},
        {"device", with([](FileVersion& v) { v.dev = 9; }), false},
        {"ctime alone (a rewrite with mtime set back, chmod)", with([](FileVersion& v) { v.ctime_ns = 2001; }), false},
        {"ctime and one link fewer (unlinked, or renamed over)", with([](FileVersion& v) {
             v.ctime_ns = 2001;
             v.nlink = 1;
         }),
         true},
        {"ctime and one link more (a hard link made)", with([](FileVersion& v) {
             v.ctime_ns = 2001;
             v.nlink = 3;
         }),
         false},
        {"one link fewer but mtime moved too", with([](FileVersion& v) {
             v.ctime_ns = 2001;
             v.nlink = 1;
             v.mtime_ns = 5;
         }),
         false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.change);
        CHECK(is_same_version(then, row.now) == row.same);
    }
}
