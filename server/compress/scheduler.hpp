// The threads compression jobs run on, in two lanes (docs/design.md#compression-lanes): a job for a small file
// never queues behind big ones. Small jobs go to a queue of their own, served by one thread
// that takes nothing else and by the big lane's threads whenever they are free (small first:
// shortest job first); big jobs wait only for the big lane. A cold 3 KB script is compressed
// in a millisecond while two 300 MB files are, instead of after them. What is small is the
// cache's decision (cache.hpp); this only runs what it is given.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace wasmdev::compress {

class Scheduler {
public:
    using Job = std::function<void()>;
    // big_threads (at least 1) for the big lane, plus one thread for small jobs only.
    explicit Scheduler(unsigned big_threads);
    ~Scheduler();  // stop() and join()
    Scheduler(Scheduler const&) = delete;
    Scheduler& operator=(Scheduler const&) = delete;

    void post_small(Job job);
    void post_big(Job job);

    // Queued jobs are destroyed unrun (a cache job then fails its entry, waking its readers)
    // and every thread ends after the job it is running; later posts are dropped the same way.
    void stop();
    void join();

    std::size_t queued_small() const;
    std::size_t queued_big() const;

private:
    void work(bool small_only);

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> small_;
    std::deque<Job> big_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace wasmdev::compress
