// The log line format of `serve` and `build`: "[12:34:56.789] warning: text". Warnings and
// errors carry a level word, so they stand out where no colour does (a file, a pipe, CI);
// info lines, the bulk, carry none. Which sink and which level is configure_logging()'s job.
#pragma once
#include <memory>
#include <string_view>

#include <spdlog/common.h>
#include <spdlog/formatter.h>

namespace wasmdev::cli {

// "warning: ", "error: " (also for critical), "" for info and below.
std::string_view level_word(spdlog::level::level_enum level);

// The pattern formatter: time, level word, message; colour range around all of it.
std::unique_ptr<spdlog::formatter> make_log_formatter();

}  // namespace wasmdev::cli
