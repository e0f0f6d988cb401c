// The one translation unit that compiles Asio and Beast (SEPARATE_COMPILATION), so the
// rest of the project only parses their headers.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
