#include "server/compress/cache.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <list>
#include <map>
#include <string_view>
#include <utility>

namespace wasmdev::compress {

namespace {

// The first block is small and flushed on its own, so the first compressed bytes of a cold
// 20 MB wasm exist about a millisecond after the job starts; later blocks are larger.
constexpr std::size_t first_block = 64 * 1024;
constexpr std::size_t read_block = 256 * 1024;
// Output is published to readers in steps of at least this much (except the first and last).
constexpr std::size_t publish_step = 128 * 1024;

enum class Outcome { completed, failed, abandoned };

// Whether a stat result is the regular file version the key names (docs/design.md#file-version).
bool is_version(int stat_result, struct stat const& st, FileKey const& key) {
    return stat_result == 0 && S_ISREG(st.st_mode) && fs::is_same_version(key, fs::file_version_of(st));
}

// Whether fd is, right now, exactly the version the key names.
bool is_version(int fd, FileKey const& key) {
    struct stat st {};
    return is_version(::fstat(fd, &st), st, key);
}

struct FdGuard {
    int fd = -1;
    ~FdGuard() {
        if (fd >= 0) ::close(fd);  // read-only descriptor: nothing to report on close
    }
};

std::size_t page_size() {
    static std::size_t const size = std::size_t(::sysconf(_SC_PAGESIZE));
    return size;
}

std::size_t round_up_to_page(std::size_t n) {
    auto const page = page_size();
    return (n + page - 1) / page * page;
}

// The most a coding can turn `input` bytes into, with room to spare: zlib's deflateBound
// (about n/4096 plus a header), brotli's and zstd's bounds (under n/256) and our one sync
// flush all fit. A body that would exceed it fails its entry rather than overflow.
std::size_t max_compressed_size(std::uint64_t input) { return std::size_t(input + input / 128 + 64 * 1024); }

// What a body in flight may come to take in memory, for the --cache-mb bound: its pages
// exist only as written, and no coding grows a file by more than 1/128 plus a header.
std::uint64_t in_flight_cost(std::uint64_t input) { return input + input / 128 + 4096; }

}  // namespace

// ---- Entry ----

Entry::View Entry::view() const {
    std::lock_guard lock(mutex_);
    return {state_, std::string_view(base_, std::size_t(bytes_))};
}

Entry::State Entry::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

std::uint64_t Entry::total_size() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

Entry::~Entry() {
    if (base_) ::munmap(base_, mapped_);  // our own mapping: nothing to report
}

void Entry::on_progress(std::uint64_t seen_bytes, std::function<void()> fn) {
    if (!fn) return;
    {
        std::lock_guard lock(mutex_);
        if (bytes_ <= seen_bytes && state_ == State::filling) {
            waiters_.push_back(std::move(fn));
            return;
        }
    }
    fn();
}

std::vector<std::function<void()>> Entry::take_waiters_locked() {
    std::vector<std::function<void()>> taken;
    taken.swap(waiters_);
    return taken;
}

bool Entry::reserve(std::size_t capacity) {
    auto const size = round_up_to_page(std::max<std::size_t>(capacity, 1));
    // MAP_NORESERVE: the reservation is address space; memory is used as the body is written.
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return false;
    std::lock_guard lock(mutex_);
    if (base_) ::munmap(base_, mapped_);
    base_ = static_cast<char*>(p);
    mapped_ = size;
    capacity_ = capacity;
    return true;
}

bool Entry::append(std::string_view bytes) {
    if (bytes.empty()) return true;
    // Only the producer writes, and only past bytes_, which no reader looks at yet; the
    // bytes become visible when bytes_ moves, under the lock.
    std::uint64_t at = 0;
    {
        std::lock_guard lock(mutex_);
        if (state_ != State::filling || bytes.size() > capacity_ - bytes_) return false;
        at = bytes_;
    }
    std::memcpy(base_ + at, bytes.data(), bytes.size());
    std::vector<std::function<void()>> waiters;
    {
        std::lock_guard lock(mutex_);
        bytes_ = at + bytes.size();
        waiters = take_waiters_locked();
    }
    for (auto& w : waiters) w();
    return true;
}

void Entry::complete() {
    std::size_t size = 0;
    {
        std::lock_guard lock(mutex_);
        if (state_ != State::filling) return;
        size = std::size_t(bytes_);
    }
    // Trim the unused reservation and make the body read-only. Readers only look below
    // bytes_, so neither disturbs them. Best effort: a failure costs address space, not bytes.
    auto const keep = std::max(round_up_to_page(size), page_size());
    if (base_ && keep < mapped_ && ::munmap(base_ + keep, mapped_ - keep) == 0) mapped_ = keep;
    if (base_) ::mprotect(base_, mapped_, PROT_READ);
    std::vector<std::function<void()>> waiters;
    {
        std::lock_guard lock(mutex_);
        state_ = State::done;
        waiters = take_waiters_locked();
    }
    for (auto& w : waiters) w();
}

void Entry::fail() {
    std::vector<std::function<void()>> waiters;
    {
        std::lock_guard lock(mutex_);
        if (state_ != State::filling) return;
        state_ = State::failed;
        waiters = take_waiters_locked();
    }
    for (auto& w : waiters) w();
}

// ---- the cache's shared state ----

struct CompressCache::Shared {
    // A file's own codings have variant 0; a transformed body's (store()) its variant.
    struct Id {
        std::string path;
        Coding coding = Coding::identity;
        std::uint64_t variant = 0;
        auto operator<=>(Id const&) const = default;
    };
    struct Slot {
        std::shared_ptr<Entry> entry;
        std::list<Id>::iterator lru;
        std::uint64_t held = 0;  // bytes counted in stats.bytes_held; set once, when completed
        bool counted = false;
    };

    explicit Shared(std::size_t max) : max_bytes(max) {}

    std::size_t const max_bytes;
    std::atomic<bool> closing{false};
    // The most the bodies being compressed can grow to (in_flight_cost of each input):
    // with the completed bodies, what --cache-mb bounds (docs/design.md#compression-bound).
    std::uint64_t in_flight_bound = 0;
    std::mutex mutex;
    std::list<Id> lru;  // most recently used first
    std::map<Id, Slot> map;
    CacheStats stats;

    bool fits_in_flight_locked(std::uint64_t input_size) const {
        auto const most = in_flight_cost(input_size);
        return most <= max_bytes && in_flight_bound + most <= max_bytes;
    }

    void drop_locked(std::map<Id, Slot>::iterator it) {
        stats.bytes_held -= it->second.held;
        lru.erase(it->second.lru);
        map.erase(it);
        stats.entries = map.size();
    }

    // Oldest first, among completed entries only: a filling entry's size is not final, and
    // its readers need it in the map so that later requests join rather than restart.
    void evict_locked() {
        auto it = lru.end();
        while (stats.bytes_held > max_bytes && it != lru.begin()) {
            --it;
            auto found = map.find(*it);
            if (found == map.end() || !found->second.counted) continue;
            ++stats.evictions;
            it = std::next(it);  // drop_locked erases the element `it` pointed at
            drop_locked(found);
        }
    }

    // Records a job's end; a failed or abandoned entry leaves the map so the next request retries.
    // Runs before the entry is marked done or failed, so a reader that sees the end also sees
    // the counters and the map as they will be.
    void settle(std::shared_ptr<Entry> const& entry, Id const& id, Outcome outcome, std::uint64_t input_bytes,
                std::uint64_t output_bytes, double seconds) {
        std::lock_guard lock(mutex);
        in_flight_bound -= std::min<std::uint64_t>(in_flight_bound, in_flight_cost(input_bytes));
        stats.seconds_compressing += seconds;
        switch (outcome) {
            case Outcome::completed:
                ++stats.compressions_completed;
                stats.input_bytes_compressed += input_bytes;
                break;
            case Outcome::failed: ++stats.compressions_failed; break;
            case Outcome::abandoned: ++stats.compressions_abandoned; break;
        }
        if (!entry) return;  // nobody held it, so it was no longer in the map either
        auto it = map.find(id);
        if (it == map.end() || it->second.entry != entry) return;  // replaced meanwhile
        if (outcome != Outcome::completed) {
            drop_locked(it);
            return;
        }
        // What the body's mapping takes: whole pages, so many small bodies stay within the bound.
        it->second.held = round_up_to_page(std::size_t(output_bytes));
        it->second.counted = true;
        stats.bytes_held += it->second.held;
        stats.bytes_held_peak = std::max(stats.bytes_held_peak, stats.bytes_held);
        evict_locked();
    }
};

// The job holds the entry weakly: once the map has dropped it (the file changed) and no
// request holds it any more, compressing on would be wasted work.
struct CompressCache::Job {
    std::shared_ptr<Shared> shared;
    std::weak_ptr<Entry> entry;
    Shared::Id id;
    FileKey key;
    int fd = -1;                          // a dup'ed descriptor to read, or -1 to open id.path
    std::shared_ptr<Entry const> source;  // a stored body to compress instead of the file
    std::uint64_t input_size = 0;         // the file's size, or the stored body's
    bool ran = false;

    Job(std::shared_ptr<Shared> s, std::shared_ptr<Entry> const& e, Shared::Id i, FileKey k, int f,
        std::shared_ptr<Entry const> from)
        : shared(std::move(s)),
          entry(e),
          id(std::move(i)),
          key(k),
          fd(f),
          source(std::move(from)),
          input_size(source ? source->total_size() : k.size) {}
    Job(Job const&) = delete;
    Job& operator=(Job const&) = delete;

    // An executor that drops the job unrun (a stopped pool) must not leave readers polling forever.
    ~Job() {
        if (ran) return;
        FdGuard close_it{fd};
        auto e = entry.lock();
        shared->settle(e, id, Outcome::abandoned, input_size, 0, 0);
        if (e) e->fail();
    }
};

void CompressCache::run(Job& job) {
    if (std::exchange(job.ran, true)) return;  // an executor that runs a copy twice
    auto const started = std::chrono::steady_clock::now();
    auto const& key = job.key;
    FdGuard file{job.fd};
    job.fd = -1;
    std::string out;  // compressed bytes not yet published to the entry

    // A stored body: its bytes are fixed (a read-only mapping), so there is no version to check.
    auto produce_from_source = [&]() -> Outcome {
        auto const input = job.source->view().bytes;
        Compressor z(job.id.coding, default_level(job.id.coding));
        if (!z.ok()) return Outcome::failed;
        for (std::size_t offset = 0; offset < input.size();) {
            if (job.shared->closing.load(std::memory_order_relaxed)) return Outcome::abandoned;
            auto e = job.entry.lock();
            if (!e) return Outcome::abandoned;
            auto const block = input.substr(offset, offset == 0 ? first_block : read_block);
            offset += block.size();
            bool const flush = block.size() == first_block && offset < input.size();
            if (!z.feed(block, out, flush)) return Outcome::failed;
            if (flush || out.size() >= publish_step) {
                if (!e->append(out)) return Outcome::failed;
                out.clear();
            }
        }
        return z.finish(out) ? Outcome::completed : Outcome::failed;
    };

    auto produce = [&]() -> Outcome {
        if (job.shared->closing.load(std::memory_order_relaxed) || job.entry.expired()) return Outcome::abandoned;
        if (job.source) return produce_from_source();
        if (file.fd < 0) {
            // O_NONBLOCK: a FIFO put where the file was must not hang the pool; it fails the check below.
            file.fd = ::open(job.id.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
            if (file.fd < 0) return Outcome::failed;
        }
        // A changed file must never be served from an entry made for another version.
        if (!is_version(file.fd, key)) return Outcome::failed;
        Compressor z(job.id.coding, default_level(job.id.coding));
        if (!z.ok()) return Outcome::failed;
        std::string in(read_block, '\0');
        out.reserve(publish_step + read_block);
        std::uint64_t offset = 0;
        while (offset < key.size) {
            if (job.shared->closing.load(std::memory_order_relaxed)) return Outcome::abandoned;
            auto e = job.entry.lock();
            if (!e) return Outcome::abandoned;
            bool const first = offset == 0;
            auto const want = std::min<std::uint64_t>(first ? first_block : read_block, key.size - offset);
            auto const n = ::pread(file.fd, in.data(), std::size_t(want), off_t(offset));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return Outcome::failed;  // shrank under us, or an I/O error
            offset += std::uint64_t(n);
            // Flush the first block (unless it was the whole file) so readers get bytes at once.
            bool const flush = first && offset < key.size;
            if (!z.feed(std::string_view(in.data(), std::size_t(n)), out, flush)) return Outcome::failed;
            if (flush || out.size() >= publish_step) {
                if (!e->append(out)) return Outcome::failed;
                out.clear();
            }
        }
        if (!z.finish(out)) return Outcome::failed;
        // The bytes read must still be the version the key names: a file rewritten in place
        // while we read it must not leave a mixed body in the cache.
        if (!is_version(file.fd, key)) return Outcome::failed;
        return Outcome::completed;
    };

    auto outcome = produce();
    auto e = job.entry.lock();
    if (!e && outcome == Outcome::completed) outcome = Outcome::abandoned;
    // The last bytes go in before the outcome is settled, so a body that does not fit is a
    // failure the counters see as one.
    if (outcome == Outcome::completed && !e->append(out)) outcome = Outcome::failed;
    auto const output_bytes = e ? e->total_size() : 0;
    auto const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    job.shared->settle(e, job.id, outcome, job.input_size, output_bytes, seconds);
    if (!e) return;
    if (outcome == Outcome::completed)
        e->complete();
    else
        e->fail();
}

// ---- CompressCache ----

CompressCache::CompressCache(std::size_t max_bytes, Executor post_job, Executor post_small_job)
    : shared_(std::make_shared<Shared>(max_bytes)),
      post_job_(std::move(post_job)),
      post_small_job_(std::move(post_small_job)) {}

CompressCache::~CompressCache() {
    shared_->closing = true;
    std::lock_guard lock(shared_->mutex);
    shared_->map.clear();  // readers keep their entries; jobs see `closing` and stop
    shared_->lru.clear();
}

void CompressCache::stop_compressing() { shared_->closing = true; }

std::shared_ptr<Entry> CompressCache::acquire(std::string const& path, FileKey key, Coding coding) {
    return acquire_impl(path, -1, key, coding);
}

std::shared_ptr<Entry> CompressCache::acquire(std::string const& path, int fd, FileKey key, Coding coding) {
    return acquire_impl(path, fd, key, coding);
}

std::shared_ptr<Entry> CompressCache::acquire(std::string const& path, std::uint64_t variant,
                                              std::shared_ptr<Entry const> source, Coding coding) {
    if (!source || source->state() != Entry::State::done) return nullptr;
    auto const key = source->key();  // before the move below: arguments have no order
    return acquire_impl(path, -1, key, coding, variant, std::move(source));
}

std::shared_ptr<Entry> CompressCache::store(std::string const& path, std::uint64_t variant, FileKey key,
                                            std::string_view bytes) {
    auto& sh = *shared_;
    Shared::Id const id{path, Coding::identity, variant};
    auto const held = round_up_to_page(std::max<std::size_t>(bytes.size(), 1));
    {
        std::lock_guard lock(sh.mutex);
        if (auto it = sh.map.find(id); it != sh.map.end() && fs::is_same_version(it->second.entry->key(), key)) {
            sh.lru.splice(sh.lru.begin(), sh.lru, it->second.lru);
            return it->second.entry;  // another request stored it meanwhile
        }
        if (held > sh.max_bytes) return nullptr;
    }
    // Filled outside the lock: up to a few MiB of copying must not hold up other requests.
    auto entry = std::make_shared<Entry>(Entry::Token{}, key, Coding::identity, bytes.size());
    if (!entry->reserve(bytes.size()) || !entry->append(bytes)) return nullptr;
    entry->complete();
    std::lock_guard lock(sh.mutex);
    // A new version of the file: the variant's bodies of the old one are stale now.
    for (auto c : codings::table) {
        auto it = sh.map.find({path, c.coding, variant});
        if (it != sh.map.end() && !fs::is_same_version(it->second.entry->key(), key)) sh.drop_locked(it);
    }
    if (auto it = sh.map.find(id); it != sh.map.end()) {
        if (fs::is_same_version(it->second.entry->key(), key)) return it->second.entry;
        sh.drop_locked(it);
    }
    ++sh.stats.bodies_stored;
    sh.lru.push_front(id);
    sh.map[id] = Shared::Slot{entry, sh.lru.begin(), held, true};
    sh.stats.entries = sh.map.size();
    sh.stats.bytes_held += held;
    sh.stats.bytes_held_peak = std::max(sh.stats.bytes_held_peak, sh.stats.bytes_held);
    sh.evict_locked();
    return entry;
}

std::shared_ptr<Entry> CompressCache::acquire_impl(std::string const& path, int fd, FileKey key, Coding coding,
                                                   std::uint64_t variant, std::shared_ptr<Entry const> source) {
    auto& sh = *shared_;
    std::shared_ptr<Entry> entry;
    Shared::Id id{path, coding, variant};
    auto const input_size = source ? source->total_size() : key.size;
    {
        std::lock_guard lock(sh.mutex);
        if (auto it = sh.map.find(id); it != sh.map.end()) {
            auto& slot = it->second;
            if (fs::is_same_version(slot.entry->key(), key) && slot.entry->state() != Entry::State::failed) {
                ++sh.stats.hits;
                sh.lru.splice(sh.lru.begin(), sh.lru, slot.lru);
                return slot.entry;
            }
        }
        // A new version of the file: every coding of the old one is stale now. Other codings
        // of this same version stay; this coding's entry (stale or failed) is replaced.
        for (auto c : codings::made_codings()) {
            auto it = sh.map.find({path, c, variant});
            if (it == sh.map.end()) continue;
            if (c != coding && fs::is_same_version(it->second.entry->key(), key)) continue;
            sh.drop_locked(it);
        }
        ++sh.stats.misses;
        // A body that could outgrow what --cache-mb allows in flight is not made: slow readers
        // would pin all of it (four of a 300 MB file held 274 MiB under --cache-mb 1). The
        // file goes as it is, by sendfile, which holds nothing.
        if (!sh.fits_in_flight_locked(input_size)) {
            ++sh.stats.compressions_failed;
            ++sh.stats.over_bound;
            return nullptr;
        }
        entry = std::make_shared<Entry>(Entry::Token{}, key, coding, input_size);
        // Room for the body now, before a response promises it: without address space (a
        // ulimit -v, strict overcommit) the caller sends identity instead of a body cut short.
        if (!entry->reserve(max_compressed_size(input_size))) {
            ++sh.stats.compressions_failed;
            return nullptr;
        }
        ++sh.stats.compressions_started;
        sh.in_flight_bound += in_flight_cost(input_size);
        sh.lru.push_front(id);
        sh.map[id] = Shared::Slot{entry, sh.lru.begin()};
        sh.stats.entries = sh.map.size();
    }
    // Without a copy of fd (EMFILE), the job opens the path and checks the key instead.
    int const copy = fd >= 0 ? ::fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
    auto job = std::make_shared<Job>(shared_, entry, std::move(id), key, copy, std::move(source));
    // Posted outside the lock: an executor may run or drop the job inline.
    auto const& post = post_small_job_ && input_size <= small_job_bytes ? post_small_job_ : post_job_;
    post([job = std::move(job)] { run(*job); });
    return entry;
}

std::shared_ptr<Entry> CompressCache::find(std::string const& path, FileKey key, Coding coding,
                                           std::uint64_t variant) const {
    auto& sh = *shared_;
    std::lock_guard lock(sh.mutex);
    auto it = sh.map.find({path, coding, variant});
    if (it == sh.map.end() || !fs::is_same_version(it->second.entry->key(), key) ||
        it->second.entry->state() == Entry::State::failed)
        return nullptr;
    return it->second.entry;
}

bool CompressCache::has_room_for(std::uint64_t input_size) const {
    {
        std::lock_guard lock(shared_->mutex);
        if (!shared_->fits_in_flight_locked(input_size)) return false;
    }
    auto const size = round_up_to_page(std::max<std::size_t>(max_compressed_size(input_size), 1));
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return false;
    ::munmap(p, size);
    return true;
}

std::size_t CompressCache::drop_stale() {
    auto& sh = *shared_;
    std::vector<std::pair<Shared::Id, std::shared_ptr<Entry>>> done;
    {
        std::lock_guard lock(sh.mutex);
        done.reserve(sh.map.size());
        for (auto const& [id, slot] : sh.map)
            if (slot.counted) done.emplace_back(id, slot.entry);
    }
    std::size_t dropped = 0;
    for (auto const& [id, entry] : done) {
        struct stat st {};
        if (is_version(::stat(id.path.c_str(), &st), st, entry->key())) continue;
        std::lock_guard lock(sh.mutex);
        auto it = sh.map.find(id);
        if (it == sh.map.end() || it->second.entry != entry) continue;  // replaced meanwhile
        sh.drop_locked(it);
        ++sh.stats.stale_dropped;
        ++dropped;
    }
    return dropped;
}

CacheStats CompressCache::stats() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->stats;
}

}  // namespace wasmdev::compress
