// Boost.JSON compiled once, here (Debian ships it header-only: no libboost_json): every other
// file includes only its headers.
#include <boost/json/src.hpp>
