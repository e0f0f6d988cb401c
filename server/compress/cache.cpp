#include "server/compress/cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

namespace wasmdev::compress {

namespace {
constexpr std::size_t read_block = 256 * 1024;
constexpr std::size_t chunk_target = 128 * 1024;
}  // namespace

Entry::State Entry::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

std::size_t Entry::chunk_count() const {
    std::lock_guard lock(mutex_);
    return chunks_.size();
}

std::shared_ptr<std::string const> Entry::chunk(std::size_t i) const {
    std::lock_guard lock(mutex_);
    return i < chunks_.size() ? chunks_[i] : nullptr;
}

std::uint64_t Entry::total_size() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

void Entry::append(std::string bytes) {
    if (bytes.empty()) return;
    std::lock_guard lock(mutex_);
    bytes_ += bytes.size();
    chunks_.push_back(std::make_shared<std::string const>(std::move(bytes)));
}

void Entry::finish() {
    std::lock_guard lock(mutex_);
    state_ = State::done;
}

void Entry::fail() {
    std::lock_guard lock(mutex_);
    state_ = State::failed;
}

CompressCache::CompressCache(std::size_t max_bytes, Executor post_job)
    : max_bytes_(max_bytes), post_job_(std::move(post_job)) {}

CompressCache::~CompressCache() { *alive_ = false; }

std::shared_ptr<Entry> CompressCache::acquire(std::string const& path, int fd, FileKey key, Coding coding) {
    std::shared_ptr<Entry> entry;
    {
        std::lock_guard lock(mutex_);
        auto id = std::make_pair(path, coding);
        if (auto it = map_.find(id); it != map_.end()) {
            auto& [existing, pos] = it->second;
            if (existing->key() == key && existing->state() != Entry::State::failed) {
                ++stats_.hits;
                lru_.splice(lru_.begin(), lru_, pos);
                return existing;
            }
        }
        // A new version of the file: every coding of the old one is stale now.
        for (auto c : {Coding::gzip, Coding::deflate, Coding::br, Coding::zstd}) {
            auto it = map_.find({path, c});
            if (it == map_.end()) continue;
            // Other codings of this same version stay; this coding's entry is replaced.
            if (c != coding && it->second.first->key() == key) continue;
            if (it->second.first->state() == Entry::State::done) stats_.bytes_held -= it->second.first->total_size();
            lru_.erase(it->second.second);
            map_.erase(it);
        }
        ++stats_.misses;
        ++stats_.compressions_started;
        entry = std::make_shared<Entry>(key, coding);
        lru_.emplace_front(id);
        map_[id] = {entry, lru_.begin()};
        stats_.entries = map_.size();
    }
    int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) {
        entry->fail();
        return entry;
    }
    post_job_([this, alive = alive_, entry, copy, path] {
        if (!*alive) {
            ::close(copy);
            entry->fail();
            return;
        }
        produce(entry, copy, path);
    });
    return entry;
}

void CompressCache::produce(std::shared_ptr<Entry> entry, int fd, std::string path) {
    auto const started = std::chrono::steady_clock::now();
    auto const key = entry->key();
    Compressor z(entry->coding(), default_level(entry->coding()));
    std::string in(read_block, '\0'), out;
    std::uint64_t offset = 0;
    bool ok = z.ok();
    bool first = true;
    while (ok && offset < key.size) {
        auto n = ::pread(fd, in.data(), std::min<std::uint64_t>(in.size(), key.size - offset), off_t(offset));
        if (n <= 0) {
            ok = false;  // shrank under us, or an I/O error
            break;
        }
        offset += std::uint64_t(n);
        // Flush after the first block so the first request gets bytes within milliseconds.
        ok = z.feed(std::string_view(in.data(), std::size_t(n)), out, first);
        first = false;
        if (out.size() >= chunk_target || (ok && offset == std::uint64_t(n))) {
            entry->append(std::move(out));
            out.clear();
        }
    }
    ok = ok && z.finish(out);
    // The bytes read must still be the version the key names; a file rewritten in place
    // while we read it must not leave a mixed body in the cache.
    struct stat st {};
    ok = ok && ::fstat(fd, &st) == 0 && std::uint64_t(st.st_size) == key.size &&
         std::int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec == key.mtime_ns;
    ::close(fd);  // read-only descriptor
    if (ok) {
        entry->append(std::move(out));
        entry->finish();
    } else {
        entry->fail();
    }
    std::lock_guard lock(mutex_);
    stats_.seconds_compressing += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (ok) {
        ++stats_.compressions_completed;
        stats_.input_bytes_compressed += key.size;
    } else {
        ++stats_.compressions_failed;
    }
    auto it = map_.find({path, entry->coding()});
    if (it == map_.end() || it->second.first != entry) return;  // replaced meanwhile
    if (!ok) {
        lru_.erase(it->second.second);
        map_.erase(it);
    } else {
        stats_.bytes_held += entry->total_size();
        evict_locked();
    }
    stats_.entries = map_.size();
}

void CompressCache::evict_locked() {
    // Oldest first; entries still filling are skipped (their size is not final).
    auto it = lru_.end();
    while (stats_.bytes_held > max_bytes_ && it != lru_.begin()) {
        --it;
        auto found = map_.find(*it);
        if (found == map_.end() || found->second.first->state() != Entry::State::done) continue;
        stats_.bytes_held -= found->second.first->total_size();
        ++stats_.evictions;
        map_.erase(found);
        it = lru_.erase(it);
    }
    stats_.entries = map_.size();
}

CacheStats CompressCache::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

}  // namespace wasmdev::compress
