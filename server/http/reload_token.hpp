// The live-reload token (docs/design.md#live-reload): 128 random bits from the OS (sys/random.hpp), in hex, made once
// per process. Only a page this process served carries it (inside the HTML, which another
// origin cannot read). Checking it is reload.cpp's job.
#pragma once
#include <string>

namespace wasmdev::http {

// Throws std::runtime_error when the kernel gives no randomness (never on Linux >= 3.17).
std::string make_reload_token();

}  // namespace wasmdev::http
