// Memory a burst freed goes back to the OS (docs/design.md#memory): the sweeper asks every 2 s
// for a job, which runs on the compression pool's small lane (never on a serving thread, as
// it takes the allocator's locks) and gives back once more than 1 MiB was freed since the last
// time. A server left running all day then holds what it uses, not what its busiest minute did.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>

#include "server/http/services.hpp"
#include "server/sys/memory.hpp"

namespace wasmdev::net {

class GiveBack {
public:
    explicit GiveBack(std::uint64_t step = std::uint64_t(1) << 20) : policy_(step) {}
    // The job to post, or an empty function while the last one has not run yet.
    std::function<void()> job();
    http::MemoryStats const& stats() const { return stats_; }

private:
    void run();

    sys::GiveBackPolicy policy_;  // touched only by run(), one at a time (queued_)
    std::atomic<bool> queued_{false};
    http::MemoryStats stats_;
};

}  // namespace wasmdev::net
