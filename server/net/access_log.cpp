#include "server/net/access_log.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <utility>

#include <fmt/format.h>

namespace wasmdev::net {

namespace {
constexpr std::size_t flush_bytes = 64 * 1024;
constexpr std::size_t max_pending_bytes = 4 * 1024 * 1024;
constexpr auto flush_interval = std::chrono::milliseconds(50);

void write_all(int fd, std::string_view s) {
    while (!s.empty()) {
        auto n = ::write(fd, s.data(), s.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // a closed or broken sink: the lines are lost, serving goes on
        s.remove_prefix(std::size_t(n));
    }
}
}  // namespace

AccessLog::AccessLog(int fd) : fd_(fd), writer_([this] { run(); }) {}

AccessLog::~AccessLog() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    writer_.join();
}

void AccessLog::add(std::string_view lines) {
    bool notify = false;
    {
        std::lock_guard lock(mutex_);
        if (pending_.size() + lines.size() > max_pending_bytes) {
            dropped_ += std::uint64_t(std::count(lines.begin(), lines.end(), '\n'));
            return;
        }
        pending_.append(lines);
        notify = pending_.size() >= flush_bytes;
    }
    if (notify) wake_.notify_one();
}

std::uint64_t AccessLog::dropped_lines() const {
    std::lock_guard lock(mutex_);
    return dropped_total_ + dropped_;
}

void AccessLog::run() {
    std::string batch;
    for (;;) {
        std::uint64_t dropped = 0;
        bool stop = false;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, flush_interval, [&] { return stopping_ || pending_.size() >= flush_bytes; });
            batch.swap(pending_);
            dropped = std::exchange(dropped_, 0);
            dropped_total_ += dropped;
            stop = stopping_;
        }
        if (!batch.empty()) write_all(fd_, batch);
        batch.clear();
        if (dropped > 0)
            write_all(fd_, fmt::format("access log: {} lines dropped: the output could not keep up\n", dropped));
        if (stop) return;
    }
}

std::string_view AccessLog::clock_now(std::string& scratch) {
    thread_local std::time_t cached_second = -1;
    thread_local char cached[16] = {};
    auto const now = std::chrono::system_clock::now();
    auto const t = std::chrono::system_clock::to_time_t(now);
    if (t != cached_second) {
        cached_second = t;
        std::tm tm{};
        ::localtime_r(&t, &tm);
        std::strftime(cached, sizeof cached, "%H:%M:%S", &tm);
    }
    auto const ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    scratch.assign(cached);
    scratch += '.';
    scratch += char('0' + ms / 100);
    scratch += char('0' + ms / 10 % 10);
    scratch += char('0' + ms % 10);
    return scratch;
}

}  // namespace wasmdev::net
