#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "server/compress/cache.hpp"

using namespace wasmdev::compress;
namespace fs = std::filesystem;

namespace {

// Runs posted jobs on worker threads; the destructor waits for all of them.
struct ThreadExecutor {
    std::vector<std::thread> threads;
    void post(std::function<void()> job) { threads.emplace_back(std::move(job)); }
    ~ThreadExecutor() {
        for (auto& t : threads) t.join();
    }
};

// Holds jobs until release(): makes "compression has not finished yet" deterministic.
struct GatedExecutor {
    std::deque<std::function<void()>> jobs;
    std::mutex m;
    void post(std::function<void()> job) {
        std::lock_guard l(m);
        jobs.push_back(std::move(job));
    }
    void run_all() {
        std::deque<std::function<void()>> todo;
        {
            std::lock_guard l(m);
            todo.swap(jobs);
        }
        for (auto& j : todo) j();
    }
};

struct TestFile {
    fs::path path;
    explicit TestFile(std::string const& name) {
        path = fs::temp_directory_path() / ("wasmdev-cache-" + std::to_string(::getpid()) + "-" + name);
    }
    ~TestFile() { fs::remove(path); }
    void write(std::string const& bytes) const { std::ofstream(path, std::ios::binary) << bytes; }
};

struct Opened {
    int fd = -1;
    FileKey key;
    explicit Opened(fs::path const& p) {
        fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
        struct stat st {};
        ::fstat(fd, &st);
        key = {std::uint64_t(st.st_dev), std::uint64_t(st.st_ino), std::uint64_t(st.st_size),
               std::int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
    }
    ~Opened() { ::close(fd); }
};

std::string compressible(std::size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::string s(n, '\0');
    for (auto& c : s) c = "abcdefgh wasm "[gen() % 14];
    return s;
}

// Reads an entry to the end (waiting for the producer), joined.
std::string drain(Entry const& e) {
    std::string out;
    std::size_t next = 0;
    for (;;) {
        auto state = e.state();
        while (next < e.chunk_count()) out += *e.chunk(next++);
        if (state != Entry::State::filling) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return out;
}

}  // namespace

TEST_CASE("compress cache: 16 concurrent requests for one uncached file share one compression") {
    TestFile f("concurrent");
    auto const bytes = compressible(3 << 20, 1);
    f.write(bytes);
    ThreadExecutor exec;
    std::mutex exec_m;
    CompressCache cache(64 << 20, [&](std::function<void()> job) {
        std::lock_guard l(exec_m);
        exec.post(std::move(job));
    });
    std::vector<std::string> results(16);
    std::vector<std::thread> clients;
    for (int i = 0; i < 16; ++i)
        clients.emplace_back([&, i] {
            Opened o(f.path);
            auto e = cache.acquire(f.path, o.fd, o.key, Coding::gzip);
            results[std::size_t(i)] = drain(*e);
        });
    for (auto& t : clients) t.join();
    for (auto const& r : results) CHECK(decompress_all(Coding::gzip, r) == bytes);
    auto st = cache.stats();
    CHECK(st.compressions_started == 1);
    CHECK(st.misses == 1);
    CHECK(st.hits == 15);
}

TEST_CASE("compress cache: bytes flow before the whole file is compressed") {
    TestFile f("progressive");
    f.write(compressible(4 << 20, 2));
    GatedExecutor gate;
    CompressCache cache(64 << 20, [&](std::function<void()> job) { gate.post(std::move(job)); });
    Opened o(f.path);
    auto e = cache.acquire(f.path, o.fd, o.key, Coding::br);
    CHECK(e->state() == Entry::State::filling);
    CHECK(e->chunk_count() == 0);  // the job has not run yet
    // Run the job on a thread and observe a first chunk while it is still filling: the
    // first block is flushed on its own.
    std::atomic<bool> saw_partial{false};
    std::thread producer([&] { gate.run_all(); });
    while (e->state() == Entry::State::filling)
        if (e->chunk_count() > 0) saw_partial = true;
    producer.join();
    CHECK(saw_partial);
    CHECK(e->state() == Entry::State::done);
    CHECK(e->chunk_count() > 1);
}

TEST_CASE("compress cache: a rewritten file (in place or by rename) gets a new entry with the new bytes") {
    TestFile f("rewritten");
    ThreadExecutor exec;
    std::mutex exec_m;
    CompressCache cache(64 << 20, [&](std::function<void()> job) {
        std::lock_guard l(exec_m);
        exec.post(std::move(job));
    });
    f.write(compressible(100000, 3));
    {
        Opened o(f.path);
        CHECK(decompress_all(Coding::zstd, drain(*cache.acquire(f.path, o.fd, o.key, Coding::zstd))) ==
              compressible(100000, 3));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // a distinct mtime even on coarse clocks
    f.write(compressible(100000, 4));                            // in place: same inode, new mtime
    {
        Opened o(f.path);
        CHECK(decompress_all(Coding::zstd, drain(*cache.acquire(f.path, o.fd, o.key, Coding::zstd))) ==
              compressible(100000, 4));
    }
    TestFile tmp("rewritten.tmp");
    tmp.write(compressible(120000, 5));
    fs::rename(tmp.path, f.path);  // by rename: a new inode
    {
        Opened o(f.path);
        CHECK(decompress_all(Coding::zstd, drain(*cache.acquire(f.path, o.fd, o.key, Coding::zstd))) ==
              compressible(120000, 5));
    }
    CHECK(cache.stats().compressions_started == 3);
    CHECK(cache.stats().entries == 1);
}

TEST_CASE("compress cache: a key that no longer matches the file fails instead of serving other bytes") {
    TestFile f("stale");
    f.write(compressible(50000, 6));
    GatedExecutor gate;
    CompressCache cache(64 << 20, [&](std::function<void()> job) { gate.post(std::move(job)); });
    Opened o(f.path);
    auto key = o.key;
    key.mtime_ns += 1;  // the caller believes in a version the file no longer has
    auto e = cache.acquire(f.path, o.fd, key, Coding::gzip);
    gate.run_all();
    CHECK(e->state() == Entry::State::failed);
    CHECK(cache.stats().entries == 0);  // failed entries are dropped so the next request retries
}

TEST_CASE("compress cache: LRU eviction keeps held bytes under the bound") {
    ThreadExecutor exec;
    std::mutex exec_m;
    CompressCache cache(150000, [&](std::function<void()> job) {
        std::lock_guard l(exec_m);
        exec.post(std::move(job));
    });
    std::vector<std::unique_ptr<TestFile>> files;
    std::mt19937 gen(9);
    for (int i = 0; i < 5; ++i) {
        files.push_back(std::make_unique<TestFile>("lru" + std::to_string(i)));
        std::string random(60000, '\0');
        for (auto& c : random) c = char(gen() & 0xff);  // incompressible: ~60 KB held each
        files.back()->write(random);
        Opened o(files.back()->path);
        drain(*cache.acquire(files.back()->path, o.fd, o.key, Coding::gzip));
    }
    auto st = cache.stats();
    CHECK(st.bytes_held <= 150000);
    CHECK(st.evictions >= 3);
    CHECK(st.entries == 2);
}
