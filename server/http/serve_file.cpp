#include "server/http/serve_file.hpp"

#include <unistd.h>

#include "mime/mime.hpp"
#include "server/compress/cache.hpp"
#include "server/compress/codec.hpp"
#include "server/fs/open_file.hpp"
#include "server/http/multipart.hpp"
#include "server/http/negotiate.hpp"
#include "server/http/plans.hpp"
#include "server/http/policy.hpp"
#include "server/http/range.hpp"
#include "server/http/reload.hpp"
#include "server/http/representation.hpp"
#include "server/http/resource.hpp"
#include "server/http/validators.hpp"

namespace wasmdev::http {

using fs::resolve;
using fs::Resolved;
using fs::ResolveKind;

namespace {

// Stage: precompressed sidecars X.zst / X.br / X.gz, used when not older than X.
// Only codings the client accepts are looked up: a request without Accept-Encoding costs
// no extra open (three failed lookups per request cost a quarter of small-file throughput).
void find_sidecars(RequestHead const& req, Target const& t, OpenFile const& original, Config const& cfg,
                   Services const& services, Resource& res) {
    auto const accept = req.field("Accept-Encoding");
    if (!cfg.compress || t.segments.empty() || !accept) return;
    for (auto const& [coding, token, alias, etag_suffix, ext, made] : codings::table) {
        if (ext.empty()) continue;
        ContentCoding const only[] = {coding};
        if (negotiate_encoding(accept, only) != coding) continue;
        auto segments = t.segments;
        segments.back() += ext;
        auto r = resolve(cfg.root, segments, cfg.follow_symlinks, cfg.root_fd, services.open_files);
        if (r.kind == ResolveKind::file && r.file->mtime_ns >= original.mtime_ns) {
            res.sidecar_codings.push_back(coding);
            res.sidecar_files.push_back(r.file);
        }
    }
}

// Stage: the file's identity, type, compressibility and sidecars. Opens sidecars, reads nothing.
Resource describe_file(RequestHead const& req, Target const& t, Resolved const& found, Config const& cfg,
                       Services const& services) {
    auto const& file = *found.file;
    auto const name = std::string_view(found.path).substr(found.path.rfind('/') + 1);
    Resource res{mime::type_for(name), file.ino, file.size, file.mtime_ns, true};
    res.ctime_ns = file.ctime_ns;
    res.compressible = cfg.compress && mime::is_compressible(name) && file.size >= cfg.min_compress_bytes;
    find_sidecars(req, t, file, cfg, services, res);
    return res;
}

// Stage: byte ranges, for GET only, unless If-Range names another version (RFC 9110 §14.2).
RangeSet requested_ranges(RequestHead const& req, Resource const& res) {
    auto h = req.field("Range");
    if (!h || req.method != "GET" || !res.is_file) return {};
    auto ranges = parse_range(*h, res.size);
    auto if_range = req.field("If-Range");
    auto identity_etag = make_etag(res.id, res.size, res.mtime_ns, res.ctime_ns, ContentCoding::identity);
    if (if_range && !if_range_matches(*if_range, identity_etag, seconds(res.mtime_ns))) return {};
    return ranges;
}

bool is_ranged(RangeSet const& r) { return r.kind == RangeKind::satisfiable || r.kind == RangeKind::unsatisfiable; }

// Stage: 416, or a 206 of one range or several (multipart/byteranges) of the identity file.
ResponsePlan answer_ranges(RangeSet const& ranges, Resource const& res, Resolved const& found, ResponsePlan p,
                           Config const& cfg) {
    if (ranges.kind == RangeKind::unsatisfiable) {
        auto e = error_plan(416, "The requested range is outside the file.", cfg);
        e.headers.emplace_back("Content-Range", unsatisfied_content_range(res.size));
        return e;
    }
    p.status = 206;
    FileBody body{found.file, {}};
    if (ranges.ranges.size() == 1) {
        auto const r = ranges.ranges.front();
        p.headers.emplace_back("Content-Range", content_range(r, res.size));
        body.parts.push_back({{}, r.first, r.length(), true});
        p.content_length = r.length();
    } else {
        auto boundary = make_boundary(std::uint64_t(res.mtime_ns) ^ res.id ^ res.size);
        for (auto& h : p.headers)
            if (h.first == "Content-Type") h.second = "multipart/byteranges; boundary=" + boundary;
        body.parts = multipart_parts(ranges.ranges, res.size, res.type, boundary);
        p.content_length = total_length(body.parts);
    }
    p.body = std::move(body);
    return p;
}

compress::FileKey key_of(OpenFile const& f) { return f; }

// Act: the body of a file's 200, decided above. The only stage that does work: for a GET of
// a made coding it starts (or joins) the compression. A HEAD starts nothing: it sends the
// head a GET would send now, so a body still being compressed (or not begun) is announced
// as `Transfer-Encoding: chunked` without a length, and a finished one with its
// Content-Length (docs/design.md#decide-then-act). False when no compression could be set up (no memory).
bool attach_file_body(ResponsePlan& p, RequestHead const& req, Resolved const& found, Resource const& res,
                      Representation rep, Config const& cfg, Services const& services) {
    auto const& file = *found.file;
    bool const is_head = req.method == "HEAD";
    switch (rep.source) {
        case Source::original:
            p.body = FileBody{found.file, {{{}, 0, file.size, true}}};
            p.content_length = file.size;
            return true;
        case Source::sidecar:
            for (std::size_t i = 0; i < res.sidecar_codings.size(); ++i)
                if (res.sidecar_codings[i] == rep.coding) {
                    auto const& sidecar = res.sidecar_files[i];
                    p.body = FileBody{sidecar, {{{}, 0, sidecar->size, true}}};
                    p.content_length = sidecar->size;
                }
            return true;
        case Source::made: break;
    }
    auto const coding = rep.coding;  // the codec id is the coding (server/codings/)
    if (services.cache) {
        if (is_head) {
            auto entry = services.cache->find(found.path, key_of(file), coding);
            if (!entry && !services.cache->has_room_for(file.size)) return false;  // its GET sends identity
            if (entry && entry->state() == compress::Entry::State::done) p.content_length = entry->total_size();
            return true;
        }
        auto entry = services.cache->acquire(found.path, file.fd, key_of(file), coding);
        if (!entry) return false;
        if (entry->state() == compress::Entry::State::done) p.content_length = entry->total_size();
        p.body = StreamBody{std::move(entry)};
        return true;
    }
    if (is_head) return true;  // no cache (unit tests, tools): nothing is compressed for a HEAD
    // No cache: compress here, whole.
    std::string bytes(file.size, '\0');
    if (::pread(file.fd, bytes.data(), bytes.size(), 0) != ssize_t(bytes.size())) {
        p = error_plan(500, "The file changed while it was read.", cfg);
        return true;
    }
    auto z = compress::compress_all(coding, bytes, compress::default_level(coding));
    if (!z) {
        p = error_plan(500, "Compression failed.", cfg);
        return true;
    }
    p.content_length = z->size();
    p.body = SharedBody{std::make_shared<std::string const>(std::move(*z))};
    return true;
}

// HTTP/1.0 has no chunked framing: a made coding only once its body is finished (a look
// into the cache; nothing starts here).
bool made_body_ready(RequestHead const& req, Resolved const& found, Representation rep, Services const& services) {
    if (req.version >= 11 || rep.source != Source::made || !services.cache) return true;
    auto const e = services.cache->find(found.path, key_of(*found.file), rep.coding);
    return e && e->state() == compress::Entry::State::done;
}

// The page with the live-reload client (docs/reload.md): its own representation, decided
// from metadata like the file's (ETag = the file's + the process's token). Range is ignored
// (a 200 of the whole page: offsets into the file would not address the injected bytes, and
// browsers never range-request a page), so there is no Accept-Ranges and no Last-Modified: a
// date cannot tell an injected page of another process from this one, and If-Modified-Since
// alone must not give a 304. Sidecars hold the plain page; a coding is made from the
// injected bytes.
//
// The body follows the file's rules (docs/reload.md, "The injected page"): the injected bytes
// are made once per file version and kept in the compression cache (under the token's
// variant), a coding is compressed from them by the cache's jobs, never here, and a HEAD reads
// and compresses nothing: it has a Content-Length only when its GET's body is at hand.
ResponsePlan serve_injected(RequestHead const& req, Resolved const& found, Resource res, Config const& cfg,
                            Services const& services) {
    res.is_file = false;
    res.sidecar_codings.clear();
    res.sidecar_files.clear();
    auto rep = choose_representation(req.field("Accept-Encoding"), false, res.offer());
    if (!rep) return not_acceptable(res, cfg);
    auto* const cache = services.cache;
    auto const& file = *found.file;
    auto const key = key_of(file);
    auto const variant = reload_variant(cfg.reload.token);
    bool const is_head = req.method == "HEAD";
    std::shared_ptr<compress::Entry> made;        // the coding's body, when it exists already
    std::optional<ContentCoding> make_for_later;  // an HTTP/1.0 GET sends identity now, warms the cache
    if (cache && rep->coding != ContentCoding::identity) {
        made = cache->find(found.path, key, rep->coding, variant);
        // HTTP/1.0 has no chunked framing: a coding only once it is finished.
        if (req.version < 11 && !(made && made->state() == compress::Entry::State::done)) {
            make_for_later = rep->coding;
            made.reset();
            rep = Representation{};
        }
    }
    auto etag = reload_etag(etag_of(res, *rep), cfg.reload.token);
    auto p = representation_head(res, *rep, etag, cfg);
    RequestHead validators_only = req;
    std::erase_if(validators_only.fields, [](auto const& f) {
        return iequals(f.first, "If-Modified-Since") || iequals(f.first, "If-Unmodified-Since");
    });
    if (auto answered = answer_conditionals(validators_only, res, etag, p, cfg)) return std::move(*answered);
    add_content_encoding(p, *rep);
    bool const identity = rep->coding == ContentCoding::identity;
    auto page = cache ? cache->find(found.path, key, ContentCoding::identity, variant) : nullptr;
    // An HTTP/1.0 HEAD is the exception: a response to 1.0 must not be chunked (RFC 9112
    // §6.1), so it gets its length by making the page as its GET would (no compression).
    if (is_head && (req.version >= 11 || !identity || page)) {
        auto const& at_hand = identity ? page : made;
        if (at_hand && at_hand->state() == compress::Entry::State::done) p.content_length = at_hand->total_size();
        return p;  // no length: Transfer-Encoding: chunked, as its GET would be now
    }

    std::shared_ptr<std::string const> copy;  // the page, when the cache could not keep it
    if (!page) {
        std::string bytes(file.size, '\0');
        // Read short, or rewritten in place while read: no consistent page to offer now.
        if (::pread(file.fd, bytes.data(), bytes.size(), 0) != ssize_t(bytes.size()) || !fs::is_unchanged(file)) {
            auto busy = error_plan(503, "The page changed while it was read; try again in a moment.", cfg);
            busy.headers.emplace_back("Retry-After", "1");
            return busy;
        }
        auto injected = inject_reload(bytes, cfg.reload.token);
        if (cache) page = cache->store(found.path, variant, key, injected);
        if (!page) copy = std::make_shared<std::string const>(std::move(injected));
    }
    if (identity) {
        if (page) {
            p.content_length = page->total_size();
            p.body = StreamBody{page};
            if (make_for_later && !is_head) cache->acquire(found.path, variant, page, *make_for_later);
        } else {
            p.content_length = copy->size();
            p.body = SharedBody{std::move(copy)};
        }
        return p;
    }
    if (cache) {
        if (!made && page) made = cache->acquire(found.path, variant, page, rep->coding);
        if (!made) {  // no room for a compressed body: the page goes as it is (decided again as identity)
            res.compressible = false;
            return serve_injected(req, found, std::move(res), cfg, services);
        }
        if (made->state() == compress::Entry::State::done) p.content_length = made->total_size();
        p.body = StreamBody{std::move(made)};
        return p;
    }
    // No cache (unit tests, tools): compressed here, whole.
    auto z = compress::compress_all(rep->coding, *copy, compress::default_level(rep->coding));
    if (!z) return error_plan(500, "Compression failed.", cfg);
    p.content_length = z->size();
    p.body = SharedBody{std::make_shared<std::string const>(std::move(*z))};
    return p;
}

// serve_file(): describe → ranges → representation → head → conditionals → range → body.
// Everything before the body is decided from metadata; only the body stage does work.
}  // namespace

ResponsePlan serve_file(RequestHead const& req, Target const& t, Resolved const& found, Config const& cfg,
                        Services const& services, bool may_compress) {
    auto res = describe_file(req, t, found, cfg, services);
    if (wants_injection(cfg.reload, res.type, t.query, res.size))
        return serve_injected(req, found, std::move(res), cfg, services);
    auto const ranges = requested_ranges(req, res);
    auto offer = res.offer();
    offer.compressible = offer.compressible && may_compress;
    auto rep = choose_representation(req.field("Accept-Encoding"), is_ranged(ranges), offer);
    if (!rep) return not_acceptable(res, cfg);
    std::optional<ContentCoding> make_for_later;  // an HTTP/1.0 GET sends identity now, warms the cache
    if (!made_body_ready(req, found, *rep, services)) {
        make_for_later = rep->coding;
        rep = Representation{};
    }
    auto etag = etag_of(res, *rep);
    auto p = representation_head(res, *rep, etag, cfg);
    if (auto answered = answer_conditionals(req, res, etag, p, cfg)) return std::move(*answered);
    if (is_ranged(ranges)) return answer_ranges(ranges, res, found, std::move(p), cfg);
    add_content_encoding(p, *rep);
    // Without memory for a compressed body, the file goes as it is (decided again as identity).
    if (!attach_file_body(p, req, found, res, *rep, cfg, services))
        return serve_file(req, t, found, cfg, services, false);
    if (make_for_later && req.method == "GET")
        services.cache->acquire(found.path, found.file->fd, key_of(*found.file), *make_for_later);
    return p;
}

}  // namespace wasmdev::http
