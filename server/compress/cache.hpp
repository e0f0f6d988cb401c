// The compress-once cache (SPEC §2.5): one compression per file version and coding,
// shared by every request that wants it, kept within a memory bound with LRU eviction.
// Bodies are produced progressively on a job executor, so the first request streams
// compressed bytes as they appear instead of waiting for the whole file.
// Knows nothing of sockets or HTTP; the session polls an Entry for chunks.
#pragma once
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/compress/codec.hpp"

namespace wasmdev::compress {

// The version of a file a compressed body was made from.
struct FileKey {
    std::uint64_t dev = 0;
    std::uint64_t ino = 0;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(FileKey const&) const = default;
};

class Entry {
public:
    enum class State { filling, done, failed };

    State state() const;
    std::size_t chunk_count() const;
    std::shared_ptr<std::string const> chunk(std::size_t i) const;
    std::uint64_t total_size() const;  // compressed bytes so far; final once done
    FileKey key() const { return key_; }
    Coding coding() const { return coding_; }

    Entry(FileKey key, Coding coding) : key_(key), coding_(coding) {}
    void append(std::string bytes);
    void finish();
    void fail();

private:
    FileKey const key_;
    Coding const coding_;
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<std::string const>> chunks_;
    std::uint64_t bytes_ = 0;
    State state_ = State::filling;
};

struct CacheStats {
    std::uint64_t compressions_started = 0;
    std::uint64_t compressions_completed = 0;
    std::uint64_t compressions_failed = 0;
    std::uint64_t hits = 0;     // served from an entry that existed (done or filling)
    std::uint64_t misses = 0;   // a new compression had to start
    std::uint64_t evictions = 0;
    std::uint64_t bytes_held = 0;
    std::uint64_t entries = 0;
    double seconds_compressing = 0;
    std::uint64_t input_bytes_compressed = 0;
};

class CompressCache {
public:
    using Executor = std::function<void(std::function<void()>)>;

    // post_job runs compression jobs (the server's pool; tests may run them on a thread).
    CompressCache(std::size_t max_bytes, Executor post_job);
    ~CompressCache();

    // The entry for this file version and coding: an existing one, or a new one whose
    // compression has been posted. fd is a descriptor of that exact version (it is dup'ed,
    // so the job reads the same inode even if the path is replaced meanwhile). A different
    // key for the same path drops the old entries at once.
    std::shared_ptr<Entry> acquire(std::string const& path, int fd, FileKey key, Coding coding);

    CacheStats stats() const;

private:
    void produce(std::shared_ptr<Entry> entry, int fd, std::string path);
    void evict_locked();

    std::size_t max_bytes_;
    Executor post_job_;
    mutable std::mutex mutex_;
    // LRU order, most recent first; the map points into it.
    std::list<std::pair<std::string, Coding>> lru_;
    std::map<std::pair<std::string, Coding>, std::pair<std::shared_ptr<Entry>, std::list<std::pair<std::string, Coding>>::iterator>> map_;
    CacheStats stats_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace wasmdev::compress
