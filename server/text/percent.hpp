// Percent-encoding (RFC 3986 §2.1): %XX with upper-case hex for every byte the caller's set
// does not keep, and a lenient decoder. Which bytes a URL part keeps is the caller's rule
// (a path segment, a WHATWG path, a lenient request target); parsing URLs is Boost.URL's.
#pragma once

#include <string>
#include <string_view>

namespace wasmdev::text {

using KeepByte = bool (*)(unsigned char);

void append_percent_encoded(std::string& out, std::string_view s, KeepByte keep);
std::string percent_encode(std::string_view s, KeepByte keep);

// "%20" → " "; a malformed escape ("%", "%2", "%zz") stays as written.
std::string percent_decode(std::string_view s);

}  // namespace wasmdev::text
