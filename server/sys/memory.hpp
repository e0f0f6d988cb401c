// The allocator's side of the process's memory (docs/design.md#memory): big buffers go back
// to the OS when freed, and what small frees leave behind is given back once enough of it has
// piled up. glibc (memory_linux.cpp) keeps freed memory by design; elsewhere (memory_posix.cpp)
// the system allocator decides and these are no-ops.
#pragma once
#include <cstdint>

namespace wasmdev::sys {

// Makes every allocation of 256 KiB or more its own mapping, unmapped when freed. glibc's
// default raises that threshold to the largest block freed so far (up to 32 MiB), so after one
// big module was read, the next one's buffer came from the heap and stayed resident for good.
// Call once, before other threads start.
void return_big_blocks_when_freed();

// Bytes the allocator holds free (glibc: mallinfo2's fordblks, every arena), and whether the
// allocator can say.
struct FreeHeld {
    std::uint64_t bytes = 0;
    bool known = false;
};
FreeHeld free_held();

// Gives the free pages of every arena back to the OS (glibc: malloc_trim(0)). Takes the arenas'
// locks in turn: call it off the serving threads.
void give_back_free_memory();

// Pure: when to give back, from what free_held() says every few seconds. Free memory that is
// still free after a give-back is either returned already (glibc counts a returned page of a
// free block as free) or fragments no give-back can return, so the next one is due only once
// `step` more bytes were freed than the least seen since.
class GiveBackPolicy {
public:
    explicit GiveBackPolicy(std::uint64_t step) : step_(step) {}
    // One reading; true when a give-back is due now.
    bool due(FreeHeld now) {
        if (!now.known) return false;
        if (now.bytes < low_) low_ = now.bytes;
        return now.bytes >= low_ + step_;
    }
    void gave_back(FreeHeld after) { low_ = after.known ? after.bytes : 0; }

private:
    std::uint64_t step_;
    std::uint64_t low_ = 0;
};

}  // namespace wasmdev::sys
