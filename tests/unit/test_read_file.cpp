// fs::read_file: the one bounded whole-file read (configs, version files, keys, /proc values).
#include <doctest/doctest.h>

#include <string>

#include "server/fs/read_file.hpp"
#include "tests/support/temp_tree.hpp"

using wasmdev::fs::read_file;
using wasmdev::fs::read_file_bytes;

TEST_CASE("read_file: the whole file up to the bound; one byte more is refused with the reason") {
    wasmdev::test::TempTree tree({}, "read-file");
    auto const body = std::string(70000, 'x') + "end";  // more than one read chunk
    auto const path = tree.write("f.txt", body);
    CHECK(read_file(path, body.size()) == body);
    CHECK(read_file_bytes(path, body.size())->size() == body.size());
    std::string why;
    CHECK_FALSE(read_file(path, body.size() - 1, &why).has_value());
    CHECK(why == "larger than " + std::to_string(body.size() - 1) + " bytes");
    CHECK(read_file(tree.write("empty", ""), 0) == std::string{});
    CHECK_FALSE(read_file(tree.path / "missing", 100, &why).has_value());
    CHECK(why == "No such file or directory");
}

TEST_CASE("read_file: a procfs file, whose stat size is 0, is read whole") {
    auto const status = read_file("/proc/self/status", 1 << 20);
    REQUIRE(status.has_value());
    CHECK(status->find("Pid:") != std::string::npos);
}
