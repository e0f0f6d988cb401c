// Boost.JSON compiled once, here (docs/design.md#json): Debian ships it header-only (no
// libboost_json), and compiling src.hpp in a second translation unit would define every symbol
// twice. Every other file includes only Boost.JSON's headers.
#include <boost/json/src.hpp>
