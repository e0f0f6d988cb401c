// server/cli/log_format: warnings and errors carry a level word in the log line, so they are
// marked where there is no colour (a file, a pipe, CI); info lines stay as they were.
#include <doctest/doctest.h>

#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "server/cli/log_format.hpp"

namespace {

std::string logged(spdlog::level::level_enum level, std::string_view text) {
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
    spdlog::logger logger("test", sink);
    logger.set_formatter(wasmdev::cli::make_log_formatter());
    logger.set_level(spdlog::level::trace);
    logger.log(level, "{}", text);
    return out.str();
}

}  // namespace

TEST_CASE("make_log_formatter: a warning line says \"warning:\", an error \"error:\", an info line nothing") {
    struct Row {
        spdlog::level::level_enum level;
        std::string_view word;
    };
    Row const rows[] = {
        {spdlog::level::warn, "warning: "}, {spdlog::level::err, "error: "}, {spdlog::level::critical, "error: "},
        {spdlog::level::info, ""},          {spdlog::level::debug, ""},
    };
    for (auto const& row : rows) {
        CAPTURE(int(row.level));
        auto line = logged(row.level, "/x.wasm not found");
        REQUIRE(line.size() > 15);
        CHECK(line[0] == '[');
        CHECK(line.substr(13) == std::string("] ") + std::string(row.word) + "/x.wasm not found\n");
    }
}
