// Elsewhere the system allocator returns memory by its own rules (macOS's magazine allocator
// and FreeBSD's jemalloc both give back freed pages themselves): nothing to tune or ask.
#include "server/sys/memory.hpp"

namespace wasmdev::sys {

void return_big_blocks_when_freed() {}

FreeHeld free_held() { return {}; }

void give_back_free_memory() {}

}  // namespace wasmdev::sys
