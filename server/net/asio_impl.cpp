// The one translation unit that compiles Asio and Beast (SEPARATE_COMPILATION), so the
// rest of the project only parses their headers. Asio's ssl part too (--tls, OpenSSL).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
