// ASCII text helpers every folder shares: trimming, case-insensitive comparison, lower case,
// hex digits. Byte-wise and locale-free: bytes >= 0x80 (UTF-8) pass through untouched.
// Knows no protocol: which characters a format trims, quotes or escapes is its caller's rule.
#pragma once

#include <string>
#include <string_view>

namespace wasmdev::text {

// RFC 9110 §5.6.3 optional whitespace: space and horizontal tab.
inline constexpr std::string_view ows = " \t";

// s without leading and trailing characters from `chars` (OWS unless told).
std::string_view trim(std::string_view s, std::string_view chars = ows);

// 'A'-'Z' to 'a'-'z'; every other byte unchanged.
constexpr char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

std::string lowercase(std::string_view s);

// Equal ignoring ASCII case (no Unicode folding); lengths must match.
bool iequals(std::string_view a, std::string_view b);

// s starts with prefix, ignoring ASCII case.
bool istarts_with(std::string_view s, std::string_view prefix);

// s with LF as \n, CR as \r and every other C0 control and DEL as \xNN: one line a
// terminal prints as it is (bytes >= 0x80 are left alone).
std::string escape_controls(std::string_view s);

enum class HexCase { lower, upper };

// Appends the two hex digits of one byte ("0a" or "0A").
void append_hex(std::string& out, unsigned char byte, HexCase hex_case = HexCase::lower);

// The hex digit of v & 15.
char hex_digit(unsigned v, HexCase hex_case = HexCase::lower);

// The value of one hex digit (either case), or -1 for any other byte.
int hex_value(char c);

}  // namespace wasmdev::text
