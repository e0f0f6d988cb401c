// Where a console line goes and how it is written: console.error, console.warn (Emscripten's
// default printErr), console.assert and console.trace to stderr, everything else to stdout;
// as the text itself, or with --json as one object per line (stream, url, time, text). Pure.
#pragma once
#include <string>
#include <string_view>

namespace wasmdev::run {

enum class Stream { out, err };

Stream stream_for(std::string_view console_type);
std::string_view stream_name(Stream s);  // "stdout", "stderr"

// {"stream":"stdout","url":"...","time":1733470000123.5,"text":"..."} and a newline; time is
// milliseconds since the epoch, as the browser stamped the call.
std::string json_line(Stream s, std::string_view url, double time_ms, std::string_view text);

}  // namespace wasmdev::run
