#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <utility>

#include "server/compress/cache.hpp"
#include "tests/support/temp_tree.hpp"

using namespace wasmdev::compress;
namespace fs = std::filesystem;

namespace {

// Runs each posted job on its own thread; the destructor joins them all.
struct ThreadExecutor {
    std::mutex m;
    std::vector<std::thread> threads;
    CompressCache::Executor executor() {
        return [this](std::function<void()> job) {
            std::lock_guard l(m);
            threads.emplace_back(std::move(job));
        };
    }
    ~ThreadExecutor() {
        for (auto& t : threads) t.join();
    }
};

// Holds jobs until run_all() or drop_all(): makes "not compressed yet" deterministic.
struct GatedExecutor {
    std::mutex m;
    std::deque<std::function<void()>> jobs;
    CompressCache::Executor executor() {
        return [this](std::function<void()> job) {
            std::lock_guard l(m);
            jobs.push_back(std::move(job));
        };
    }
    std::deque<std::function<void()>> take() {
        std::lock_guard l(m);
        return std::exchange(jobs, {});
    }
    void run_all() {
        for (auto& j : take()) j();
    }
    void drop_all() { take(); }  // a stopped pool: jobs destroyed unrun
};

// A fresh directory per test, removed with everything in it.
struct TempDir : wasmdev::test::TempTree {
    TempDir() : TempTree({}, "cache") {}
};

FileKey key_of(int fd) {
    struct stat st {};
    REQUIRE(::fstat(fd, &st) == 0);
    return wasmdev::fs::file_version_of(st);
}

FileKey key_of(fs::path const& p) {
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    auto k = key_of(fd);
    ::close(fd);
    return k;
}

// Moves a file's mtime by whole seconds: a new version without sleeping for the clock.
void bump_mtime(fs::path const& p, int seconds) {
    auto const k = key_of(p);
    timespec times[2] = {{0, UTIME_OMIT},
                         {time_t(k.mtime_ns / 1'000'000'000 + seconds), long(k.mtime_ns % 1'000'000'000)}};
    REQUIRE(::utimensat(AT_FDCWD, p.c_str(), times, 0) == 0);
}

// What the handler does: an open descriptor of the file and the key fstat gives for it.
struct Opened {
    int fd = -1;
    FileKey key;
    explicit Opened(fs::path const& p) {
        fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
        REQUIRE(fd >= 0);
        key = key_of(fd);
    }
    ~Opened() { ::close(fd); }
    Opened(Opened const&) = delete;
    Opened& operator=(Opened const&) = delete;
};

enum class Form { by_path, by_fd };
char const* name(Form f) { return f == Form::by_path ? "acquire(path)" : "acquire(path - fd)"; }

std::shared_ptr<Entry> acquire(CompressCache& cache, Form form, fs::path const& p, Coding c) {
    if (form == Form::by_path) return cache.acquire(p, key_of(p), c);
    Opened o(p);
    return cache.acquire(p, o.fd, o.key, c);
}

std::string compressible(std::size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::string s(n, '\0');
    for (auto& c : s) c = "abcdefgh wasm "[gen() % 14];
    return s;
}

std::string random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::string s(n, '\0');
    for (auto& c : s) c = char(gen() & 0xff);
    return s;
}

// Appends what e holds beyond what out has, as the session reads it; returns the state seen.
Entry::State read_on(Entry const& e, std::string& out) {
    auto const [state, bytes] = e.view();
    REQUIRE(bytes.size() >= out.size());
    REQUIRE((bytes.substr(0, out.size()) == out));  // bytes once seen never change
    out += bytes.substr(out.size());
    return state;
}

// Reads an entry to its end by looking at it at arbitrary moments while it grows (view() must
// hold for any of them): a bounded poll of the entry itself. A job that never finishes fails
// the test after two minutes instead of hanging it.
std::string drain(Entry const& e) {
    std::string out;
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    for (;;) {
        if (read_on(e, out) != Entry::State::filling) break;
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return out;
}

// Reads an entry to its end using only on_progress notifications, never sleeping on a timer.
std::string drain_notified(Entry& e) {
    std::mutex m;
    std::condition_variable cv;
    bool woken = false;
    std::string out;
    for (;;) {
        if (read_on(e, out) != Entry::State::filling) return out;
        {
            std::lock_guard l(m);
            woken = false;
        }
        e.on_progress(out.size(), [&] {
            std::lock_guard l(m);
            woken = true;
            cv.notify_one();
        });
        std::unique_lock l(m);
        REQUIRE(cv.wait_for(l, std::chrono::minutes(2), [&] { return woken; }));  // a bound, not a pace
    }
}

// What a gzip decoder makes of a stream's first bytes, before the rest exists.
std::string inflate_prefix(std::string_view gz) {
    z_stream z{};
    REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    z.avail_in = uInt(gz.size());
    std::string out;
    std::array<char, 64 * 1024> buf;
    int rc = Z_OK;
    do {
        z.next_out = reinterpret_cast<Bytef*>(buf.data());
        z.avail_out = uInt(buf.size());
        rc = inflate(&z, Z_SYNC_FLUSH);
        out.append(buf.data(), buf.size() - z.avail_out);
    } while (rc == Z_OK && (z.avail_in > 0 || z.avail_out == 0));
    inflateEnd(&z);
    return out;
}

}  // namespace

TEST_CASE("compress cache: 16 concurrent requests for one uncached file share one compression") {
    for (auto form : {Form::by_path, Form::by_fd}) {
        CAPTURE(name(form));
        TempDir tmp;
        auto const bytes = compressible(3 << 20, 1);
        auto const path = tmp.write("concurrent.wasm", bytes);
        ThreadExecutor exec;
        CompressCache cache(64 << 20, exec.executor());
        std::vector<std::string> results(16);
        std::vector<std::thread> clients;
        for (std::size_t i = 0; i < results.size(); ++i)
            clients.emplace_back([&, i] { results[i] = drain(*acquire(cache, form, path, Coding::gzip)); });
        for (auto& t : clients) t.join();
        for (std::size_t i = 0; i < results.size(); ++i) {
            CAPTURE(i);
            CHECK(results[i] == results[0]);
            CHECK((decompress_all(Coding::gzip, results[i]) == bytes));
        }
        auto const st = cache.stats();
        CHECK(st.compressions_started == 1);
        CHECK(st.compressions_completed == 1);
        CHECK(st.misses == 1);
        CHECK(st.hits == 15);
        CHECK(st.entries == 1);
        // Counted as the whole pages the body takes: what the memory bound is about.
        auto const page = std::size_t(::sysconf(_SC_PAGESIZE));
        CHECK(st.bytes_held == (results[0].size() + page - 1) / page * page);
        CHECK(st.input_bytes_compressed == bytes.size());
    }
}

TEST_CASE("compress cache: the first bytes of a 30 MB file are readable while the rest is still compressing") {
    TempDir tmp;
    auto const bytes = compressible(30 << 20, 2);
    auto const path = tmp.write("big.wasm", bytes);
    GatedExecutor gate;
    CompressCache cache(256 << 20, gate.executor());
    auto e = cache.acquire(path, key_of(path), Coding::gzip);
    CHECK(e->state() == Entry::State::filling);
    CHECK(e->total_size() == 0);  // the job has not run yet

    // The hook runs on the producer's thread right after the first bytes are published, so
    // the producer is provably not done while it looks: no timing involved.
    struct Seen {
        Entry::State state = Entry::State::done;
        std::uint64_t bytes = 0;
        std::string first_decoded;
    } seen;
    e->on_progress(0, [&] {
        auto const v = e->view();
        seen.state = v.state;
        seen.bytes = v.bytes.size();
        seen.first_decoded = inflate_prefix(v.bytes);
    });
    std::thread producer([&] { gate.run_all(); });
    auto const body = drain(*e);
    producer.join();

    CHECK(seen.state == Entry::State::filling);
    CHECK(seen.bytes > 0);
    CHECK(seen.bytes < body.size() / 10);
    // The first bytes are a flushed 64 KiB block: a browser can decode them at once.
    CHECK(seen.first_decoded.size() == 64 * 1024);
    CHECK((seen.first_decoded == std::string_view(bytes).substr(0, 64 * 1024)));
    CHECK(e->state() == Entry::State::done);
    CHECK(e->total_size() == body.size());
    CHECK(e->input_size() == bytes.size());
    CHECK((decompress_all(Coding::gzip, body) == bytes));
}

TEST_CASE("compress cache: every coding fills an entry that decodes to the file - including an empty one") {
    struct Row {
        char const* name;
        std::string bytes;
    };
    // Incompressible rows around the first flushed block (64 KiB) and beyond: a body larger
    // than its file must still fit the room the entry set aside for it.
    Row const rows[] = {{"empty", ""},
                        {"one byte", "x"},
                        {"700 KB text", compressible(700000, 3)},
                        {"64 KiB random", random_bytes(65536, 4)},
                        {"64 KiB + 1 random", random_bytes(65537, 5)},
                        {"3 MiB random", random_bytes(3 << 20, 6)}};
    for (auto coding : {Coding::gzip, Coding::deflate, Coding::br, Coding::zstd}) {
        for (auto const& row : rows) {
            CAPTURE(to_string(coding));
            CAPTURE(row.name);
            TempDir tmp;
            auto const path = tmp.write("f.js", row.bytes);
            ThreadExecutor exec;
            CompressCache cache(64 << 20, exec.executor());
            auto e = cache.acquire(path, key_of(path), coding);
            auto const body = drain_notified(*e);
            CHECK(e->state() == Entry::State::done);
            CHECK(e->coding() == coding);
            CHECK((decompress_all(coding, body) == row.bytes));
        }
    }
}

TEST_CASE("compress cache: a rewritten file (in place or by rename) gets a new entry with the new bytes") {
    for (auto form : {Form::by_path, Form::by_fd}) {
        CAPTURE(name(form));
        TempDir tmp;
        ThreadExecutor exec;
        CompressCache cache(64 << 20, exec.executor());
        auto const v1 = compressible(100000, 3), v2 = compressible(100000, 4), v3 = compressible(120000, 5);
        auto const path = tmp.write("app.wasm", v1);
        CHECK((decompress_all(Coding::zstd, drain(*acquire(cache, form, path, Coding::zstd))) == v1));
        CHECK((decompress_all(Coding::gzip, drain(*acquire(cache, form, path, Coding::gzip))) == v1));
        CHECK(cache.stats().entries == 2);  // two codings of one version

        auto const inode = key_of(path).ino;
        tmp.write("app.wasm", v2);  // in place: same inode, same size, a later mtime
        bump_mtime(path, 1);
        REQUIRE(key_of(path).ino == inode);
        CHECK((decompress_all(Coding::zstd, drain(*acquire(cache, form, path, Coding::zstd))) == v2));
        CHECK(cache.stats().entries == 1);  // the old gzip body went with the old version

        tmp.write("app.wasm.tmp", v3);
        fs::rename(tmp.path / "app.wasm.tmp", path);  // by rename: a new inode
        CHECK((decompress_all(Coding::zstd, drain(*acquire(cache, form, path, Coding::zstd))) == v3));

        auto const st = cache.stats();
        CHECK(st.compressions_started == 4);
        CHECK(st.compressions_completed == 4);
        CHECK(st.hits == 0);
        CHECK(st.entries == 1);
    }
}

TEST_CASE("compress cache: a key the file no longer has fails the entry - which leaves the map so a retry works") {
    struct Row {
        char const* change;
        FileKey (*skew)(FileKey);
    };
    Row const rows[] = {
        {"mtime one ns later",
         [](FileKey k) {
             k.mtime_ns += 1;
             return k;
         }},
        {"size one byte more",
         [](FileKey k) {
             k.size += 1;
             return k;
         }},
        {"another inode",
         [](FileKey k) {
             k.ino += 1;
             return k;
         }},
        {"another device",
         [](FileKey k) {
             k.dev += 1;
             return k;
         }},
    };
    for (auto const& row : rows) {
        for (auto form : {Form::by_path, Form::by_fd}) {
            CAPTURE(row.change);
            CAPTURE(name(form));
            TempDir tmp;
            auto const bytes = compressible(50000, 6);
            auto const path = tmp.write("stale.js", bytes);
            GatedExecutor gate;
            CompressCache cache(64 << 20, gate.executor());
            Opened o(path);
            auto const wrong = row.skew(o.key);
            auto e = form == Form::by_path ? cache.acquire(path, wrong, Coding::gzip)
                                           : cache.acquire(path, o.fd, wrong, Coding::gzip);
            gate.run_all();
            CHECK(e->state() == Entry::State::failed);
            CHECK(e->total_size() == 0);  // not one byte of another version
            CHECK(cache.stats().entries == 0);
            CHECK(cache.stats().compressions_failed == 1);

            auto retry = cache.acquire(path, o.key, Coding::gzip);
            CHECK(retry != e);
            gate.run_all();
            CHECK((decompress_all(Coding::gzip, drain(*retry)) == bytes));
        }
    }
}

TEST_CASE("compress cache: a file replaced between acquire and compression is never served under the old key") {
    TempDir tmp;
    auto const v1 = compressible(200000, 7), v2 = compressible(200000, 8);
    auto const path = tmp.write("swap.wasm", v1);
    GatedExecutor gate;
    CompressCache cache(64 << 20, gate.executor());
    Opened o(path);
    auto by_path = cache.acquire(path, o.key, Coding::br);
    auto by_fd = cache.acquire(path, o.fd, o.key, Coding::zstd);
    tmp.write("swap.tmp", v2);
    fs::rename(tmp.path / "swap.tmp", path);  // after the request's fstat, before its job runs
    gate.run_all();
    // By path, the job finds another inode and refuses it. By descriptor, the rename only
    // unlinked the old inode (its ctime moved, its link count went down, its bytes did not:
    // docs/design.md#file-version), so that job compresses v1, which is what its key and the
    // request's ETag name, as an identity body from that descriptor would send v1.
    // Neither ever serves v2's bytes under v1's key.
    CHECK(by_path->state() == Entry::State::failed);
    REQUIRE(by_fd->state() == Entry::State::done);
    CHECK((decompress_all(Coding::zstd, drain(*by_fd)) == v1));
    auto again = cache.acquire(path, Opened(path).key, Coding::zstd);
    gate.run_all();
    CHECK((decompress_all(Coding::zstd, drain(*again)) == v2));
}

TEST_CASE("compress cache: a file modified in place while it is compressed fails instead of mixing versions") {
    TempDir tmp;
    auto const v1 = compressible(2 << 20, 9);
    auto const path = tmp.write("moving.wasm", v1);
    GatedExecutor gate;
    CompressCache cache(64 << 20, gate.executor());
    Opened o(path);
    auto e = cache.acquire(path, o.fd, o.key, Coding::gzip);
    // After the first bytes, on the producer's thread: a build tool rewrites the file.
    e->on_progress(0, [&] {
        tmp.write("moving.wasm", compressible(2 << 20, 10));
        bump_mtime(path, 1);
    });
    gate.run_all();
    CHECK(e->state() == Entry::State::failed);
    CHECK(cache.stats().entries == 0);
    CHECK(cache.stats().compressions_failed == 1);
}

TEST_CASE("compress cache: LRU eviction keeps held bytes under the bound and drops the least recently used") {
    TempDir tmp;
    ThreadExecutor exec;
    CompressCache cache(150000, exec.executor());
    // Incompressible: each body is ~60 KB, a little more than its file, so two fit and three don't.
    std::vector<fs::path> files;
    for (unsigned i = 0; i < 4; ++i)
        files.push_back(tmp.write(std::to_string(i) + ".bin", random_bytes(60000, 20 + i)));
    auto get = [&](std::size_t i) { return drain(*cache.acquire(files[i], key_of(files[i]), Coding::gzip)); };

    get(0);
    get(1);
    CHECK(cache.stats().evictions == 0);
    get(0);  // a hit: 0 is now more recent than 1
    CHECK(cache.stats().hits == 1);
    get(2);  // over the bound: 1, the least recently used, goes
    auto st = cache.stats();
    CHECK(st.evictions == 1);
    CHECK(st.entries == 2);
    CHECK(st.bytes_held <= 150000);

    get(0);
    CHECK(cache.stats().hits == 2);  // kept
    get(1);
    CHECK(cache.stats().misses == 4);  // evicted: compressed again
    st = cache.stats();
    CHECK(st.bytes_held <= 150000);
    CHECK(st.entries == 2);
    CHECK(st.evictions == 2);
}

TEST_CASE("compress cache: a body that could outgrow the whole bound is not made - the caller sends the file") {
    // Slow readers would hold all of it, whatever the LRU does (docs/design.md#compression-bound).
    TempDir tmp;
    ThreadExecutor exec;
    CompressCache cache(10000, exec.executor());
    auto const path = tmp.write("noise.bin", random_bytes(50000, 30));
    CHECK_FALSE(cache.has_room_for(50000));
    CHECK(cache.acquire(path, key_of(path), Coding::gzip) == nullptr);
    auto const st = cache.stats();
    CHECK(st.compressions_started == 0);
    CHECK(st.compressions_failed == 1);
    CHECK(st.over_bound == 1);
    CHECK(st.entries == 0);
}

TEST_CASE("compress cache: bodies in flight count against the bound until they end") {
    TempDir tmp;
    GatedExecutor gate;
    CompressCache cache(100000, gate.executor());
    auto const a = tmp.write("a.js", compressible(60000, 1));
    auto const b = tmp.write("b.js", compressible(60000, 2));
    auto const first = cache.acquire(a, key_of(a), Coding::gzip);
    REQUIRE(first);
    // a is still being compressed (its job has not run): b's body would not fit beside it.
    CHECK_FALSE(cache.has_room_for(60000));
    CHECK(cache.acquire(b, key_of(b), Coding::gzip) == nullptr);
    CHECK(cache.acquire(a, key_of(a), Coding::gzip) == first);  // joining the one in flight costs nothing
    gate.run_all();
    REQUIRE(first->state() == Entry::State::done);
    // Done, a's small body is what the LRU holds; b may start now.
    CHECK(cache.has_room_for(60000));
    auto const second = cache.acquire(b, key_of(b), Coding::gzip);
    REQUIRE(second);
    gate.run_all();
    CHECK(second->state() == Entry::State::done);
    CHECK(cache.stats().over_bound == 1);
}

TEST_CASE("compress cache: jobs that never run or outlive the cache fail their entries instead of hanging readers") {
    TempDir tmp;
    auto const path = tmp.write("a.js", compressible(300000, 11));
    SUBCASE("the executor drops the job unrun") {
        GatedExecutor gate;
        CompressCache cache(64 << 20, gate.executor());
        auto e = cache.acquire(path, key_of(path), Coding::gzip);
        bool notified = false;
        e->on_progress(0, [&] { notified = true; });
        gate.drop_all();
        CHECK(e->state() == Entry::State::failed);
        CHECK(notified);
        CHECK(cache.stats().entries == 0);
        CHECK(cache.stats().compressions_abandoned == 1);
    }
    SUBCASE("the cache is destroyed before its job runs") {
        GatedExecutor gate;
        std::shared_ptr<Entry> e;
        {
            CompressCache cache(64 << 20, gate.executor());
            e = cache.acquire(path, key_of(path), Coding::gzip);
        }
        gate.run_all();  // the job still holds what it needs
        CHECK(e->state() == Entry::State::failed);
    }
}

TEST_CASE("compress cache: a compression nobody holds any more is abandoned") {
    TempDir tmp;
    auto const v1 = compressible(300000, 12), v2 = compressible(300000, 13);
    auto const path = tmp.write("app.wasm", v1);
    GatedExecutor gate;
    CompressCache cache(64 << 20, gate.executor());
    cache.acquire(path, key_of(path), Coding::gzip);  // the request went away at once
    tmp.write("app.wasm", v2);
    bump_mtime(path, 1);
    auto fresh = cache.acquire(path, key_of(path), Coding::gzip);  // drops the first entry
    gate.run_all();
    auto const st = cache.stats();
    CHECK(st.compressions_abandoned == 1);
    CHECK(st.compressions_completed == 1);
    CHECK((decompress_all(Coding::gzip, drain(*fresh)) == v2));
}

TEST_CASE("Entry::on_progress: called once per registration - at once when there is already news") {
    TempDir tmp;
    auto const path = tmp.write("a.js", compressible(1 << 20, 14));
    GatedExecutor gate;
    CompressCache cache(64 << 20, gate.executor());
    auto e = cache.acquire(path, key_of(path), Coding::zstd);
    int early = 0, late = 0;
    e->on_progress(0, [&] { ++early; });
    CHECK(early == 0);  // nothing yet: waits
    gate.run_all();
    CHECK(early == 1);  // once, although many publications followed
    REQUIRE(e->state() == Entry::State::done);
    e->on_progress(e->total_size(), [&] { ++late; });
    CHECK(late == 1);       // already done: called on this thread before returning
    e->on_progress(0, {});  // an empty function is ignored
}

// A done entry's body is one read-only buffer: what a reader saw while it was filling is
// what it sees after, and nothing in the process can write to it any more.
TEST_CASE("compress cache: a finished body is one read-only buffer that never moved") {
    TempDir dir;
    auto const original = compressible(6 << 20, 5);
    auto const path = dir.write("app.wasm", original);
    GatedExecutor gate;
    CompressCache cache(64 << 20, gate.executor());
    auto e = cache.acquire(path, key_of(path), Coding::gzip);
    char const* first_seen = nullptr;
    e->on_progress(0, [&] { first_seen = e->view().bytes.data(); });
    gate.run_all();
    auto const [state, body] = e->view();
    REQUIRE(state == Entry::State::done);
    CHECK(body.data() == first_seen);  // streaming readers' views stay valid
    CHECK((decompress_all(Coding::gzip, body) == original));
    // The mapping holding the body is read-only now.
    auto const addr = reinterpret_cast<std::uintptr_t>(body.data());
    std::ifstream maps("/proc/self/maps");
    std::string line, perms;
    while (std::getline(maps, line)) {
        std::uintptr_t lo = 0, hi = 0;
        char dash = 0;
        std::istringstream in(line);
        in >> std::hex >> lo >> dash >> hi >> perms;
        if (lo <= addr && addr < hi) break;
        perms.clear();
    }
    CHECK(perms.substr(0, 2) == "r-");
}

// A rebuild that writes new names (content-hashed bundles) leaves old bodies nobody asks for
// again: drop_stale frees those whose file went or changed, and only those.
TEST_CASE("compress cache: drop_stale frees the bodies of deleted and changed files - not current or filling ones") {
    TempDir dir;
    auto const kept = dir.write("kept.js", compressible(200000, 21));
    auto const deleted = dir.write("app.3f2a.js", compressible(200000, 22));
    auto const changed = dir.write("changed.js", compressible(200000, 23));
    auto const filling = dir.write("filling.js", compressible(200000, 24));
    GatedExecutor gate;
    CompressCache cache(64 << 20, gate.executor());
    std::vector<std::shared_ptr<Entry>> held;
    for (auto const& p : {kept, deleted, changed}) held.push_back(cache.acquire(p, key_of(p), Coding::gzip));
    gate.run_all();
    for (auto const& e : held) REQUIRE(e->state() == Entry::State::done);
    auto const held_before = cache.stats().bytes_held;
    auto in_progress = cache.acquire(filling, key_of(filling), Coding::gzip);  // its job has not run

    CHECK(cache.drop_stale() == 0);  // nothing changed yet
    fs::remove(deleted);
    dir.write("changed.js", compressible(200001, 23));
    fs::remove(filling);  // a filling entry is its job's business: it fails by itself
    CHECK(cache.drop_stale() == 2);

    auto const st = cache.stats();
    CHECK(st.stale_dropped == 2);
    CHECK(st.entries == 2);  // kept.js and the filling one
    CHECK(st.bytes_held < held_before / 2);
    CHECK(st.bytes_held_peak == held_before);  // the most it held, for comparing with a peak RSS
    CHECK(cache.acquire(kept, key_of(kept), Coding::gzip) == held[0]);  // still a hit
    CHECK(cache.stats().hits == 1);
    // Readers that held a dropped entry keep reading it whole.
    CHECK((decompress_all(Coding::gzip, held[1]->view().bytes) == compressible(200000, 22)));
    gate.run_all();
    CHECK(in_progress->state() == Entry::State::failed);
}
