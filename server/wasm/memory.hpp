// What the page needs to give a module memory: the memory a wasm module defines or imports,
// and whether it is shared (threads), which needs SharedArrayBuffer and so cross-origin
// isolation (COOP + COEP). Reads the import and memory sections only; deciding is the doctor's.
#pragma once
#include <cstdint>
#include <optional>

#include "server/wasm/sections.hpp"

namespace wasmdev::wasm {

struct MemoryInfo {
    bool present = false;  // a memory is defined or imported
    bool imported = false;
    bool shared = false;    // limits flag 0x02 (threads proposal)
    bool memory64 = false;  // limits flag 0x04
    std::uint64_t min_pages = 0;
    std::optional<std::uint64_t> max_pages{};
};

// The first memory of the module (imports come first in the index space). A malformed import
// or memory section yields what was read before it; never throws.
MemoryInfo read_memory(Module const& m);

}  // namespace wasmdev::wasm
