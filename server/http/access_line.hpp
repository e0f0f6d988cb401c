// One access-log line (docs/design.md#logging) from what was actually sent: status, body bytes, coding,
// duration, and whether the response was cut short. Pure: the target is escaped here (a log
// is read in a terminal: control, C1 and bidi characters and invalid UTF-8 must not act on
// it); server/net/access_log.cpp batches the lines and writes them.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace wasmdev::http {

struct AccessRecord {
    std::string_view peer{};  // "127.0.0.1:53412"
    std::string_view method{};
    std::string_view target{};     // as received: any bytes
    unsigned status = 0;           // as sent
    std::uint64_t body_bytes = 0;  // body bytes written (not the planned length)
    std::string_view coding = "identity";
    double ms = 0;
    bool cut_short = false;  // the connection was dropped before the whole response went out
};

// Appends `s` with every byte that is not printable ASCII or part of well-formed, harmless
// UTF-8 written as \xHH; C1 controls (U+0080..U+009F) and bidi controls (U+061C, U+200E/F,
// U+202A..U+202E, U+2066..U+2069) as \u{HHHH}; `"` and `\` with a backslash.
void append_log_escaped(std::string& out, std::string_view s);

// "[12:34:56.789] 127.0.0.1:53412 "GET /a" 200 1234 gzip 0.4ms", plus " cut-short" when
// cut, and a newline. clock is the "12:34:56.789" prefix.
void append_access_line(std::string& out, std::string_view clock, AccessRecord const& r);

}  // namespace wasmdev::http
