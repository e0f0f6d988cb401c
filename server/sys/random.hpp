// Random bytes from the OS for secrets (the live-reload token): getrandom(2) on Linux
// (random_linux.cpp), getentropy(3) elsewhere (random_posix.cpp). No user-space generator.
#pragma once
#include <cstddef>

namespace wasmdev::sys {

// Fills n bytes; throws std::runtime_error when the OS gives no randomness.
void random_bytes(void* out, std::size_t n);

}  // namespace wasmdev::sys
