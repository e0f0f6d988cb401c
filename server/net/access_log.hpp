// The access log's sink: serving threads hand it finished lines (http/access_line.hpp) and
// never wait for the terminal, file or pipe behind stdout. A thread of its own writes the
// lines in batches (every 50 ms, or sooner when 64 KiB are pending). When the sink cannot
// keep up and 4 MiB are pending, new lines are dropped and counted, and the log says how many
// ("access log: N lines dropped: the output could not keep up") once it is writable again.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace wasmdev::net {

class AccessLog {
public:
    // fd: where lines go (stdout); it is not closed.
    explicit AccessLog(int fd);
    ~AccessLog();  // writes what is pending, then stops
    AccessLog(AccessLog const&) = delete;
    AccessLog& operator=(AccessLog const&) = delete;

    // Queues complete lines (each ending in '\n'); never blocks on the sink.
    void add(std::string_view lines);

    // The "12:34:56.789" local-time prefix of a line, formatted once per second per thread.
    static std::string_view clock_now(std::string& scratch);

    std::uint64_t dropped_lines() const;

private:
    void run();

    int fd_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::string pending_;
    std::uint64_t dropped_ = 0;  // since the last report
    std::uint64_t dropped_total_ = 0;
    bool stopping_ = false;
    std::thread writer_;
};

}  // namespace wasmdev::net
