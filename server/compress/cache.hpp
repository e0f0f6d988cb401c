// The compress-once cache (docs/design.md#compression): one compression per file version and coding,
// shared by every request that wants it, kept within a memory bound with LRU eviction,
// dropped as soon as the same path is asked for with a different version.
// A body is produced progressively by a job on an injected executor, so the first request
// streams compressed bytes as they appear instead of waiting for the whole file.
// Knows nothing of sockets or HTTP: a reader asks an Entry to be notified of progress, and
// the handler decides whether a compressed body is worth sending.
#pragma once
#include <sys/stat.h>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "server/compress/codec.hpp"
#include "server/fs/file_version.hpp"

namespace wasmdev::compress {

// The version of a file a compressed body is made from: what fstat says about it.
// The key is the file version (docs/design.md#file-version): an entry serves a
// request whose version is fs::is_same_version as the entry's.
using FileKey = fs::FileVersion;

// One compressed body, filled by a producer job, read by any number of requests.
// Every reader function is thread-safe and never blocks on the compression.
//
// The body grows in one anonymous mapping reserved up front at the largest size the coding
// can reach (pages exist only once written), so the bytes never move: a reader's view stays
// valid while it holds the entry, streaming needs no chunk list, and a finished body is one
// contiguous buffer a session writes with a few large send(2) calls. Once done, the mapping
// is trimmed to the body and made read-only: nothing can change what later responses send.
class Entry {
    struct Token {};  // only CompressCache makes and fills entries

public:
    enum class State { filling, done, failed };

    // The state and the compressed bytes at one instant; a `done` view holds the whole body.
    struct View {
        State state = State::filling;
        std::string_view bytes;
    };
    View view() const;
    State state() const;
    std::uint64_t total_size() const;  // compressed bytes so far; the body's length once done
    std::uint64_t input_size() const { return input_size_; }
    // A body that came out larger than its file (already-compressed data) is still correct;
    // a caller may prefer identity once done.
    bool larger_than_input() const { return state() == State::done && total_size() > input_size(); }
    FileKey key() const { return key_; }
    Coding coding() const { return coding_; }

    // Calls fn once, when total_size() > seen_bytes or the entry is no longer filling: at once
    // on this thread if that already holds, else on the producer's thread right after the
    // change (no lock held, so fn may read the entry; it must be quick and must not throw —
    // post to your own executor). A reader re-arms it with the byte count it has consumed.
    void on_progress(std::uint64_t seen_bytes, std::function<void()> fn);

    Entry(Token, FileKey key, Coding coding, std::uint64_t input_size)
        : key_(key), coding_(coding), input_size_(input_size) {}
    ~Entry();
    Entry(Entry const&) = delete;
    Entry& operator=(Entry const&) = delete;

private:
    friend class CompressCache;
    // Producer side. reserve() maps room for `capacity` bytes; append() copies into it and
    // publishes them; both are false when that cannot be done (no memory, a bound exceeded).
    // complete() trims the mapping to the body, makes it read-only and marks the entry done.
    bool reserve(std::size_t capacity);
    bool append(std::string_view bytes);
    void complete();
    void fail();
    std::vector<std::function<void()>> take_waiters_locked();

    FileKey const key_;
    Coding const coding_;
    std::uint64_t const input_size_;  // the file's size, or the size of the body a coding is made from
    mutable std::mutex mutex_;
    char* base_ = nullptr;      // the mapping; fixed once reserved
    std::size_t mapped_ = 0;    // bytes mapped at base_
    std::size_t capacity_ = 0;  // bytes the producer may write (<= mapped_)
    std::uint64_t bytes_ = 0;   // bytes written and published
    State state_ = State::filling;
    std::vector<std::function<void()>> waiters_;
};

struct CacheStats {
    std::uint64_t compressions_started = 0;
    std::uint64_t compressions_completed = 0;
    std::uint64_t compressions_failed = 0;     // the file changed or vanished, an I/O error, no memory,
                                               // over the bound (then never started)
    std::uint64_t over_bound = 0;              // not made: the body could outgrow what max_bytes allows in flight
    std::uint64_t compressions_abandoned = 0;  // stopped: nobody held the entry any more, or the cache went
    std::uint64_t hits = 0;                    // served from an entry that existed (done or filling)
    std::uint64_t misses = 0;                  // a new compression had to start
    std::uint64_t evictions = 0;               // dropped for the memory bound (not for a changed file)
    std::uint64_t stale_dropped = 0;           // dropped by drop_stale(): the file went or changed
    std::uint64_t bytes_held = 0;              // memory of completed entries in the map (whole pages)
    std::uint64_t bytes_held_peak = 0;         // the most bytes_held has been
    std::uint64_t entries = 0;                 // entries in the map, filling or done
    double seconds_compressing = 0;
    std::uint64_t input_bytes_compressed = 0;
    std::uint64_t bodies_stored = 0;  // transformed bodies stored (live reload's pages): store() calls that kept one
};

class CompressCache {
public:
    using Executor = std::function<void(std::function<void()>)>;

    // max_bytes bounds the compressed bytes of completed entries (LRU eviction) and, counted
    // at the most each could grow to, of the entries still filling: a compression that would
    // go beyond it is not started (docs/design.md#compression-bound). post_job runs compression jobs
    // (the server's Scheduler; tests may use threads); post_small_job, when given, runs those
    // of files up to small_job_bytes, so they never queue behind big ones. A job
    // the executor destroys unrun fails its entry, so no reader waits forever.
    CompressCache(std::size_t max_bytes, Executor post_job, Executor post_small_job = {});
    static constexpr std::uint64_t small_job_bytes = 1024 * 1024;  // about 20 ms of gzip
    // Running and queued jobs stop at their next block and fail their entries; they hold
    // the cache's state themselves, so the executor may outlive the cache.
    ~CompressCache();
    CompressCache(CompressCache const&) = delete;
    CompressCache& operator=(CompressCache const&) = delete;

    // The entry for this file version and coding: an existing one (a hit), or a new one whose
    // compression has been posted (a miss), or nullptr when no memory could be set aside for
    // a new body, or when it could outgrow max_bytes with the bodies already in flight (a body
    // in flight is held by its readers whatever the LRU does): then send the file as it is. The job opens path itself (O_RDONLY|O_CLOEXEC)
    // and fails the entry unless fstat shows exactly this key, before and after reading.
    // A different key for the same path drops that path's old entries at once.
    std::shared_ptr<Entry> acquire(std::string const& path, FileKey key, Coding coding);
    // The same, reading from fd (dup'ed): a descriptor the caller already fstat'ed, so the job
    // reads the very inode the key was taken from even if the path is replaced meanwhile.
    std::shared_ptr<Entry> acquire(std::string const& path, int fd, FileKey key, Coding coding);

    // The entry for this file version and coding if one exists (filling or done), without
    // starting anything or counting a hit: a HEAD learns whether a length is known (docs/design.md#decide-then-act).
    // variant names a transformed body (below); 0 is the file's own bytes.
    std::shared_ptr<Entry> find(std::string const& path, FileKey key, Coding coding, std::uint64_t variant = 0) const;

    // Bodies made from a file version by a transform rather than read from it as they are
    // (live reload's page with its client, docs/reload.md "The injected page"). A non-zero
    // variant names the transform (and its parameters); such entries are kept, bounded,
    // evicted and dropped when their file changes exactly like a file's codings.
    // store(): the transformed bytes themselves, as a finished identity entry (a copy), or
    // nullptr when they could not be set aside (over max_bytes, no memory): then the caller
    // sends its own copy. Replaces the variant's entries of an older version of the file.
    std::shared_ptr<Entry> store(std::string const& path, std::uint64_t variant, FileKey key, std::string_view bytes);
    // A coding of a stored body: an existing entry, or a new one compressed by a job, as
    // acquire() does for a file, from the stored bytes (the job holds `source`).
    std::shared_ptr<Entry> acquire(std::string const& path, std::uint64_t variant, std::shared_ptr<Entry const> source,
                                   Coding coding);
    // Whether a body for a file of this size could be set aside now (what acquire() needs
    // before it starts: within max_bytes with the bodies in flight, and address space for it):
    // a HEAD answers as its GET would, without starting anything.
    bool has_room_for(std::uint64_t input_size) const;

    // Drops finished bodies whose file is gone or is no longer the version they were made
    // from: a rebuild that writes new names (content-hashed bundles) leaves the old bodies
    // behind, and nothing would ask for them again. Stats each path once, outside the lock.
    // The server calls it every few seconds. Returns how many were dropped.
    std::size_t drop_stale();

    CacheStats stats() const;

    // Shutdown (Ctrl-C, docs/design.md#shutdown): running jobs stop at their next block and queued ones
    // as they start, failing their entries, so no one waits for a 300 MB compression to end.
    void stop_compressing();

private:
    struct Shared;  // the map, LRU and counters; jobs hold it too (cache.cpp)
    struct Job;     // one compression: its file, its entry, its outcome (cache.cpp)
    std::shared_ptr<Entry> acquire_impl(std::string const& path, int fd, FileKey key, Coding coding,
                                        std::uint64_t variant = 0, std::shared_ptr<Entry const> source = {});
    static void run(Job& job);

    std::shared_ptr<Shared> shared_;
    Executor post_job_;
    Executor post_small_job_;
};

}  // namespace wasmdev::compress
