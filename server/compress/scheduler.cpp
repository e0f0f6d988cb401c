#include "server/compress/scheduler.hpp"

#include <utility>

namespace wasmdev::compress {

Scheduler::Scheduler(unsigned big_threads) {
    threads_.emplace_back([this] { work(true); });
    for (unsigned i = 0; i < (big_threads ? big_threads : 1); ++i) threads_.emplace_back([this] { work(false); });
}

Scheduler::~Scheduler() {
    stop();
    join();
}

void Scheduler::post_small(Job job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;  // `job` is destroyed unrun on the way out
        small_.push_back(std::move(job));
    }
    wake_.notify_all();  // the small lane's thread and any idle big one may take it
}

void Scheduler::post_big(Job job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        big_.push_back(std::move(job));
    }
    wake_.notify_all();
}

void Scheduler::stop() {
    std::deque<Job> small, big;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        small.swap(small_);
        big.swap(big_);
    }
    wake_.notify_all();
    // The dropped jobs are destroyed here, outside the lock: their destructors fail entries.
}

void Scheduler::join() {
    for (auto& t : threads_)
        if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
}

std::size_t Scheduler::queued_small() const {
    std::lock_guard lock(mutex_);
    return small_.size();
}

std::size_t Scheduler::queued_big() const {
    std::lock_guard lock(mutex_);
    return big_.size();
}

void Scheduler::work(bool small_only) {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !small_.empty() || (!small_only && !big_.empty()); });
            if (stopping_) return;
            auto& queue = !small_.empty() ? small_ : big_;
            job = std::move(queue.front());
            queue.pop_front();
        }
        job();
    }
}

}  // namespace wasmdev::compress
