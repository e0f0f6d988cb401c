// fs::is_unchanged (docs/design.md#never-stale): what a file's descriptor says after each kind of change on
// disk: a body sent from it goes on only while its bytes are the version it was opened as.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>

#include "server/fs/open_file.hpp"
#include "tests/support/file_clock.hpp"
#include "tests/unit/files.hpp"

using namespace wasmdev::fs;
using wasmdev::test::write_file;
namespace stdfs = std::filesystem;

TEST_CASE("is_unchanged: an in-place write - even with mtime set back - is a change, a rename or unlink is not") {
    auto const dir = stdfs::temp_directory_path() / ("wasmdev-open-file-" + std::to_string(::getpid()));
    stdfs::remove_all(dir);
    stdfs::create_directories(dir);
    auto const path = dir / "f.bin";
    struct Row {
        char const* change;
        std::function<void()> act;
        bool unchanged;
    };
    auto set_back = [&] {  // rewrite in place, then restore mtime (cp -p, touch -r)
        struct stat st {};
        REQUIRE(::stat(path.c_str(), &st) == 0);
        write_file(path, "BBBB");
        timespec const times[2] = {st.st_atim, st.st_mtim};
        REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
    };
    Row const rows[] = {
        {"nothing", [] {}, true},
        {"rewritten in place, same size", [&] { write_file(path, "BBBB"); }, false},
        {"rewritten in place, mtime set back", set_back, false},
        {"truncated", [&] { stdfs::resize_file(path, 2); }, false},
        {"replaced by rename",
         [&] {
             write_file(dir / "new", "BBBB");
             stdfs::rename(dir / "new", path);
         },
         true},
        {"removed", [&] { stdfs::remove(path); }, true},
        {"permissions changed", [&] { stdfs::permissions(path, stdfs::perms::owner_read); }, false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.change);
        stdfs::remove(path);
        write_file(path, "AAAA");
        int const fd = ::open(path.c_str(), O_RDONLY);
        REQUIRE(fd >= 0);
        OpenFile file;
        file.fd = fd;
        struct stat st {};
        REQUIRE(::fstat(fd, &st) == 0);
        fill_identity(file, st);
        REQUIRE(wasmdev::test::wait_past_file_times(path));  // past the clock's tick: a change moves ctime
        row.act();
        CHECK(is_unchanged(file) == row.unchanged);
    }
    stdfs::remove_all(dir);
}
