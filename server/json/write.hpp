// How wasmdev writes a JSON document (docs/design.md#json): Boost.JSON's compact serializer,
// with every byte that is not well-formed UTF-8 replaced by U+FFFD so the text is valid JSON
// whatever bytes a file name, a module's DWARF or a server put in a string.
#pragma once
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace wasmdev::json {

// `bytes` with each byte that does not start a well-formed UTF-8 sequence (a stray
// continuation byte, a truncated or overlong sequence, a surrogate) replaced by U+FFFD.
std::string valid_utf8(std::string_view bytes);

// `v` as compact JSON text (no spaces, no newline), valid UTF-8 (see valid_utf8).
std::string write(boost::json::value const& v);

// A whole document as wasmdev serves or prints it: write(v) and one "\n".
std::string write_document(boost::json::value const& v);

}  // namespace wasmdev::json
