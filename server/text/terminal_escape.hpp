// Text from untrusted input (DWARF strings, section names, file names) made safe to print on
// a terminal: nothing in it can move the cursor, set the title (OSC), ring the bell or flip
// the text direction. The same classes of bytes the access log escapes (http/access_line.cpp),
// without its quoting, since a report line is not a quoted field.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace wasmdev::text {

// s with LF as \n, CR as \r, other C0 controls, DEL and bytes that are not well-formed UTF-8
// as \xHH, C1 controls (U+0080..U+009F) and bidi controls (U+061C, U+200E/F, U+202A..U+202E,
// U+2066..U+2069) as \u{HHHH}; everything else, well-formed UTF-8 included, as it is.
std::string escape_terminal(std::string_view s);

// The length of a well-formed UTF-8 sequence at the start of s (2..4) and its code point,
// or 0 when the bytes are not one (overlong, surrogate, beyond U+10FFFF, truncated).
// s must not be empty.
std::size_t utf8_sequence(std::string_view s, char32_t& cp);

// The code points escaped besides C0 and DEL: C1 controls and the bidi controls.
bool is_control_code_point(char32_t cp);

}  // namespace wasmdev::text
