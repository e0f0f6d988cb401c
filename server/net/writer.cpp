#include "server/net/writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <ctime>
#include <memory>
#include <span>
#include <utility>
#include <variant>

#include "server/compress/cache.hpp"
#include "server/fs/open_file.hpp"
#include "server/http/chunked.hpp"
#include "server/http/serialize.hpp"
#include "server/http/validators.hpp"

namespace wasmdev::net {

namespace asio = boost::asio;

namespace {

constexpr std::uint64_t small_file_limit = 64 * 1024;
// A large file's identity is checked this often: one sendfile call's worth (the transport sends
// up to 4 MiB per call), so the check costs one fstat per call and no extra splitting.
constexpr std::uint64_t file_check_range = 4 * 1024 * 1024;
using Timer =
    asio::basic_waitable_timer<std::chrono::steady_clock, asio::wait_traits<std::chrono::steady_clock>, Executor>;

// The Date header, formatted once per second per thread.
std::string_view http_date_now() {
    thread_local std::time_t cached_second = 0;
    thread_local std::string cached;
    auto now = std::time(nullptr);
    if (now != cached_second) {
        cached_second = now;
        cached = http::format_http_date(now);
    }
    return cached;
}

iovec iov_of(std::string_view s) { return iovec{const_cast<char*>(s.data()), s.size()}; }

// Small files are read into a buffer the thread's sessions share, not into one per session
// that would keep up to 64 KiB for the connection's life: write_memory is done with it
// before its session can be suspended. Allocated once per thread, never zero-filled.
char* thread_file_buffer() {
    thread_local std::unique_ptr<char[]> const buffer(new char[small_file_limit]);
    return buffer.get();
}

struct BodyWriter {
    Transport& t;
    std::string_view head;
    bool chunked = false;
    WriteScratch& scratch;

    // A response that is all in memory: in one call when the socket takes it all, as it
    // almost always does; otherwise the rest goes out as the client reads. A body in the
    // thread's file buffer is copied to scratch.rest before anything can suspend; other
    // bodies (the plan's own, shared or static) stay valid and are sent from where they are.
    Task<WriteResult> write_memory(std::string_view body, bool body_in_thread_buffer = false) {
        std::array<iovec, 2> iov{iov_of(head), iov_of(body)};
        auto const sent = t.write_now(iov);
        if (sent < 0) co_return WriteResult{Sent::cut, 0};
        auto const done = std::size_t(sent);
        if (done == head.size() + body.size()) co_return WriteResult{Sent::whole, body.size()};
        auto const head_left = done < head.size() ? head.substr(done) : std::string_view();
        auto body_left = body.substr(done - (head.size() - head_left.size()));
        if (body_in_thread_buffer) body_left = scratch.rest.assign(body_left);
        iov = {iov_of(head_left), iov_of(body_left)};
        bool const ok = co_await t.write_all(iov);
        if (body_in_thread_buffer) {
            scratch.rest.clear();
            scratch.rest.shrink_to_fit();  // a slow client's rest is not kept for the connection's life
        }
        co_return WriteResult{ok ? Sent::whole : Sent::cut, ok ? body.size() : body.size() - body_left.size()};
    }

    Task<WriteResult> operator()(http::NoBody const&) { return write_memory({}); }
    Task<WriteResult> operator()(http::TextBody const& b) { return write_memory(b.bytes); }
    Task<WriteResult> operator()(http::StaticBody const& b) { return write_memory(b.bytes); }
    Task<WriteResult> operator()(http::SharedBody const& b) { return write_memory(*b.bytes); }
    Task<WriteResult> operator()(http::FileBody const& b) { return write_file(b); }
    Task<WriteResult> operator()(http::StreamBody const& b) { return write_stream(*b.entry); }
    // Live reload's events: the head alone (chunked); the session streams the events after it.
    Task<WriteResult> operator()(http::EventStreamBody const&) { return write_memory({}); }

    Task<WriteResult> write_file(http::FileBody const& b) {
        if (b.parts.size() != 1 || !b.parts[0].from_file) co_return co_await write_file_parts(b);
        auto const& part = b.parts[0];
        // The head goes out with the body's first bytes (all of a small file: one syscall, not
        // three), read before anything is sent. A file that shrank or was rewritten since the
        // plan was decided has then promised nothing: the session decides the request again
        // with the file as it is now (docs/hardening.md, "Files that change while they are
        // served"), instead of a head whose body is cut at once. Once they are out, a change
        // cuts the body (write_file_ranges).
        char* const buffer = thread_file_buffer();
        auto const first = std::size_t(std::min(part.length, small_file_limit));
        auto const n = ::pread(b.file->fd, buffer, first, off_t(part.offset));
        bool const all = first == part.length;
        if (n != ssize_t(first) || (!all && !fs::is_unchanged(*b.file))) co_return WriteResult{Sent::nothing, 0};
        auto r = co_await write_memory(std::string_view(buffer, first), true);
        if (all || r.sent != Sent::whole) co_return r;
        // The rest by sendfile, corked: full-size segments instead of one push per call (with
        // TCP_NODELAY on, uncorked sendfile moved ~40 KB per call; corked, megabytes).
        t.cork(true);
        struct Uncork {
            Transport& t;
            ~Uncork() { t.cork(false); }
        } uncork{t};
        if (!co_await write_file_ranges(*b.file, part.offset + first, part.length - first, r.body_bytes))
            co_return WriteResult{Sent::cut, r.body_bytes};
        co_return r;
    }

    // multipart/byteranges: literals (boundaries, part heads) between ranges of the file.
    Task<WriteResult> write_file_parts(http::FileBody const& b) {
        // Changed since the plan was decided: nothing is out yet, so the session decides again.
        if (!fs::is_unchanged(*b.file)) co_return WriteResult{Sent::nothing, 0};
        t.cork(true);
        struct Uncork {
            Transport& t;
            ~Uncork() { t.cork(false); }
        } uncork{t};
        std::array<iovec, 1> head_only{iov_of(head)};
        if (!co_await t.write_all(head_only)) co_return WriteResult{Sent::cut, 0};
        WriteResult r;
        for (auto const& part : b.parts) {
            std::array<iovec, 1> literal{iov_of(part.literal)};
            bool const ok = part.from_file ? co_await write_file_ranges(*b.file, part.offset, part.length, r.body_bytes)
                                           : co_await t.write_all(literal);
            if (!ok) co_return WriteResult{Sent::cut, r.body_bytes};
            if (!part.from_file) r.body_bytes += part.literal.size();
        }
        co_return r;
    }

    // A file's bytes in ranges, its identity checked before the first and after each: a file
    // rewritten in place while it is sent (mtime, ctime or size moved) would otherwise end as a
    // complete-looking body mixing old and new bytes. Then the body is cut (false) and the
    // client sees an abort (docs/design.md#never-stale). A file replaced by rename keeps its old inode here and
    // goes out whole, as its ETag said. One fstat per range (file_check_range, one sendfile call): nothing beside the sendfile itself.
    Task<bool> write_file_ranges(fs::OpenFile const& file, std::uint64_t offset, std::uint64_t length,
                                 std::uint64_t& written) {
        if (!fs::is_unchanged(file)) co_return false;
        while (length > 0) {
            auto const n = std::min(length, file_check_range);
            if (!co_await t.write_file(file.fd, offset, n, written) || !fs::is_unchanged(file)) co_return false;
            offset += n;
            length -= n;
        }
        co_return true;
    }

    // Streams a compressed body, after the head, as the cache produces it: new bytes are
    // written as soon as they exist, uncorked, so the first bytes of a cold 20 MB wasm leave
    // within milliseconds; a warm body is one contiguous buffer that goes out with its head in
    // a few large sends. (A copy into the socket, not sendfile from a memfd: the copy lands in
    // large socket pages, which a local client, the usual bottleneck here, reads about 1.5x
    // faster than a memfd's 4 KiB pages; see bench/README.md, "What moved the numbers".)
    // The head waits for the first bytes (a millisecond or two): a compression that fails
    // before them (the file changed) has promised nothing yet, and the request can be decided
    // again instead of answered with a 200 cut short. Between sends the writer sleeps until
    // the compressor reports progress (Entry::on_progress), not on a timer.
    Task<WriteResult> write_stream(compress::Entry& entry) {
        // Shared with the progress callback, which may run on the compressor's thread after
        // this frame is gone: it only posts a cancel to the timer it keeps alive. Made at the
        // first wait: a warm body never waits.
        std::shared_ptr<Timer> wake;
        std::uint64_t sent = 0;  // body bytes written so far
        for (;;) {
            auto const [state, bytes] = entry.view();
            bool const done = state == compress::Entry::State::done;
            bool const failed = state == compress::Entry::State::failed;
            if (failed && !head.empty()) co_return WriteResult{Sent::nothing, 0};
            if (done || sent < bytes.size()) {
                http::ChunkSizeBuffer line;
                std::array<iovec, 4> iov;
                std::size_t n = 0;
                if (!head.empty()) iov[n++] = iov_of(std::exchange(head, {}));  // the head goes with the first bytes
                if (sent < bytes.size()) {
                    auto const fresh = bytes.substr(std::size_t(sent));
                    if (chunked) iov[n++] = iov_of(http::chunk_size_line(fresh.size(), line));
                    iov[n++] = iov_of(fresh);
                    if (chunked) iov[n++] = iov_of(done ? http::chunk_end_and_last : http::chunk_end);
                } else if (chunked) {
                    iov[n++] = iov_of(http::last_chunk);  // done, nothing new: only the end of the body
                }
                if (n > 0 && !co_await t.write_all(std::span(iov.data(), n))) co_return WriteResult{Sent::cut, sent};
                sent = bytes.size();
                if (done) co_return WriteResult{Sent::whole, sent};
            }
            // A compression that fails once bytes are out (the file changed under it) must not
            // end like a complete body: dropping the connection tells the client it is cut short.
            if (failed) co_return WriteResult{Sent::cut, sent};
            t.not_waiting_for_client();
            if (!wake) wake = std::make_shared<Timer>(t.executor());
            // The wait ends when the compressor has more than `sent` bytes or stops filling; the
            // callback runs at once when that already holds. The expiry is only a backstop.
            wake->expires_after(std::chrono::seconds(1));
            entry.on_progress(sent, [wake] { asio::post(wake->get_executor(), [wake] { wake->cancel(); }); });
            co_await wake->async_wait(use_tuple);
        }
    }
};

}  // namespace

Task<WriteResult> write_response(Transport& t, http::ResponsePlan const& plan, unsigned version, bool keep_alive,
                                 WriteScratch& scratch) {
    http::serialize_head(plan, version, keep_alive, http_date_now(), scratch.head);
    bool const with_body = http::status_has_body(plan.status);
    BodyWriter writer{t, scratch.head, !plan.content_length, scratch};
    if (!with_body) co_return co_await writer.write_memory({});
    co_return co_await std::visit(writer, plan.body);
}

}  // namespace wasmdev::net
