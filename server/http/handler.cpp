#include "server/http/handler.hpp"

#include "server/fs/open_cache.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <span>

#include "mime/mime.hpp"
#include "server/compress/cache.hpp"
#include "server/compress/codec.hpp"
#include "server/http/multipart.hpp"
#include "server/http/negotiate.hpp"
#include "server/http/range.hpp"
#include "server/http/representation.hpp"
#include "server/http/validators.hpp"
#include "server/http/error_page.hpp"
#include "server/http/host_check.hpp"
#include "server/http/listing.hpp"
#include "server/http/policy.hpp"
#include "server/fs/resolve.hpp"
#include "server/http/target.hpp"
#include "server/www/assets.hpp"

namespace wasmdev::http {

using fs::resolve;
using fs::Resolved;
using fs::ResolveKind;

namespace {

constexpr std::string_view allowed_methods = "GET, HEAD, OPTIONS";
constexpr std::string_view reserved_prefix = "__wasmdev";

ResponsePlan base_plan(unsigned status, Config const& cfg) {
    ResponsePlan p;
    p.status = status;
    p.headers = builtin_policy_headers(cfg);  // --header comes last, in handle()
    return p;
}

ResponsePlan html_plan(unsigned status, std::string body, Config const& cfg) {
    auto p = base_plan(status, cfg);
    p.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
    p.content_length = body.size();
    p.body = TextBody{std::move(body)};
    return p;
}

// An error page without the --header values (handle() applies them once, at the end).
ResponsePlan error_plan(unsigned status, std::string_view cause, Config const& cfg, bool close = false) {
    auto p = html_plan(status, render_error_page(status, cause), cfg);
    p.close = close;
    return p;
}

ResponsePlan redirect_plan(std::string location, Config const& cfg) {
    auto p = html_plan(301, render_error_page(301, "This directory lives at " + location), cfg);
    p.headers.emplace_back("Location", std::move(location));
    return p;
}

bool is_transfer_encoding_ok(RequestHead const& req) {
    // RFC 9112 §6.3: a request whose final transfer coding is not chunked cannot be framed.
    auto te = req.field("Transfer-Encoding");
    if (!te) return true;
    auto v = *te;
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return req.count("Transfer-Encoding") == 1 && iequals(v, "chunked") && !req.field("Content-Length");
}

// Stage: framing and Host. Returns an error plan, or nothing when the request may proceed.
std::optional<ResponsePlan> check_framing_and_host(RequestHead const& req, Config const& cfg,
                                                   std::string_view authority) {
    if (!is_transfer_encoding_ok(req))
        return error_plan(400, "The request's Transfer-Encoding or Content-Length cannot be trusted.", cfg, true);
    auto hosts = req.count("Host");
    if (hosts > 1 || (hosts == 0 && req.version >= 11))
        return error_plan(400, "An HTTP/1.1 request needs exactly one Host header.", cfg);
    // An absolute-form target names the host itself (RFC 9112 §3.2.2); check it as well.
    auto const host_field = req.field("Host").value_or(std::string_view{});
    // An empty Host is only for URIs without an authority (RFC 9112 §3.2); http has one.
    if (hosts == 1 && host_field.empty())
        return error_plan(400, "The Host header is empty; it must name this server.", cfg);
    // RFC 9112 §3.2: a Host that is not a valid host[:port] is a 400, whatever the bind.
    if (!host_field.empty() && host_without_port(host_field).empty())
        return error_plan(400, "The Host header is not a valid host name or address.", cfg);
    if (!cfg.bind_is_loopback) return std::nullopt;
    for (auto host : {host_field, authority}) {
        if (host.empty()) continue;
        if (!is_allowed_host(host, cfg.bind, cfg.allow_hosts))
            return error_plan(403,
                                  fmt::format("Host \"{}\" is not allowed: this server only answers to localhost "
                                              "names, to protect against DNS rebinding. If you trust this name, "
                                              "restart with --allow-host {}.",
                                              host, host_without_port(host).empty() ? "NAME" : host_without_port(host)),
                                  cfg);
    }
    return std::nullopt;
}

std::time_t seconds(std::int64_t ns) { return std::time_t(ns / 1'000'000'000); }

ConditionalHeaders conditional_headers(RequestHead const& req) {
    return {req.field("If-Match"), req.field("If-None-Match"), req.field("If-Modified-Since"),
            req.field("If-Unmodified-Since")};
}

std::string stats_json(Services const& services) {
    if (!services.cache) return "{}\n";
    auto st = services.cache->stats();
    auto const connections = services.open_connections ? services.open_connections->load() : 0;
    return fmt::format(
        "{{\"connections\": {{\"open\": {}}}, \"compress_cache\": {{\"compressions_started\": {}, \"compressions_completed\": {}, "
        "\"compressions_failed\": {}, \"hits\": {}, \"misses\": {}, \"evictions\": {}, \"stale_dropped\": {}, \"entries\": {}, "
        "\"bytes_held\": {}, \"bytes_held_peak\": {}, \"seconds_compressing\": {:.3f}, \"input_bytes_compressed\": {}}}}}\n",
        connections, st.compressions_started, st.compressions_completed, st.compressions_failed, st.hits, st.misses, st.evictions,
        st.stale_dropped, st.entries, st.bytes_held, st.bytes_held_peak, st.seconds_compressing, st.input_bytes_compressed);
}

ResponsePlan serve_listing(Target const& t, Resolved const& dir, Config const& cfg) {
    if (!cfg.listing) return error_plan(403, "Directory listings are turned off (--no-listing).", cfg);
    std::string display = "/";
    for (auto const& s : t.segments) display += s + "/";
    // A symlink is listed only when a request for it would be served: never the size and time
    // of a file outside the root or under a hidden directory (SPEC §2.1).
    auto entries = dir.file ? read_directory(dir.file->fd) : read_directory(dir.path);
    std::erase_if(entries, [&](ListingEntry const& e) {
        if (!e.is_symlink) return false;
        auto segments = t.segments;
        segments.push_back(e.name);
        auto const kind = resolve(cfg.root, segments, cfg.follow_symlinks, cfg.root_fd).kind;
        return kind != ResolveKind::file && kind != ResolveKind::directory;
    });
    return html_plan(200, render_listing(display, encode_path(t.segments, true), std::move(entries)), cfg);
}

// A resource as the stages after resolve() see it: what it is, the version its validators
// name, and what it can be sent as. A file and an embedded asset differ only in these
// values and in where their bytes come from (attach_*_body).
struct Resource {
    std::string_view type{};
    std::uint64_t id = 0;  // inode, or a hash of embedded bytes
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    bool is_file = false;  // Last-Modified, Accept-Ranges and ranges are for files
    std::vector<ContentCoding> sidecar_codings{};
    std::vector<std::shared_ptr<OpenFile const>> sidecar_files{};  // same order
    Offer offer() const { return {sidecar_codings, compressible}; }
    bool compressible = false;
};

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
    auto identity_etag = make_etag(res.id, res.size, res.mtime_ns, ContentCoding::identity);
    if (if_range && !if_range_matches(*if_range, identity_etag, seconds(res.mtime_ns))) return {};
    return ranges;
}

bool is_ranged(RangeSet const& r) { return r.kind == RangeKind::satisfiable || r.kind == RangeKind::unsatisfiable; }

ResponsePlan not_acceptable(Resource const& res, Config const& cfg) {
    auto p = error_plan(406, "The request's Accept-Encoding refuses every coding this resource has.", cfg);
    if (res.offer().varies()) p.headers.emplace_back("Vary", "Accept-Encoding");
    return p;
}

// The version a representation's validators name: a sidecar is a file of its own.
std::string etag_of(Resource const& res, Representation rep) {
    if (rep.source == Source::sidecar)
        for (std::size_t i = 0; i < res.sidecar_codings.size(); ++i)
            if (res.sidecar_codings[i] == rep.coding) {
                auto const& f = *res.sidecar_files[i];
                return make_etag(f.ino, f.size, f.mtime_ns, rep.coding);
            }
    return make_etag(res.id, res.size, res.mtime_ns, rep.coding);
}

// Stage: the 200's head for this representation; the body comes last, if at all.
ResponsePlan representation_head(Resource const& res, Representation rep, std::string etag, Config const& cfg) {
    auto p = base_plan(200, cfg);
    p.headers.emplace_back("Content-Type", res.type);
    if (res.is_file) p.headers.emplace_back("Last-Modified", format_http_date(seconds(res.mtime_ns)));
    p.headers.emplace_back("ETag", std::move(etag));
    if (res.is_file) p.headers.emplace_back("Accept-Ranges", "bytes");
    if (res.offer().varies()) p.headers.emplace_back("Vary", "Accept-Encoding");
    p.coding = to_string(rep.coding);  // a 304 names the representation it validates
    return p;
}

// Content-Encoding describes a body: a 200 (or its HEAD) has it, a 304 does not (RFC 9110 §15.4.5).
void add_content_encoding(ResponsePlan& p, Representation rep) {
    if (rep.coding != ContentCoding::identity) p.headers.emplace_back("Content-Encoding", std::string(to_string(rep.coding)));
}

// Stage: If-Match / If-None-Match / If-(Un)Modified-Since (RFC 9110 §13.2.2). A 304 is the
// head with no body; a 412 an error page with the current ETag. nullopt: go on.
std::optional<ResponsePlan> answer_conditionals(RequestHead const& req, Resource const& res, std::string_view etag,
                                                ResponsePlan& head, Config const& cfg) {
    switch (evaluate_conditionals(conditional_headers(req), etag, res.is_file ? seconds(res.mtime_ns) : 0)) {
        case Conditional::not_modified:
            head.status = 304;
            head.body = NoBody{};
            return std::move(head);
        case Conditional::precondition_failed: {
            auto e = error_plan(412, "The file changed: a precondition (If-Match / If-Unmodified-Since) failed.", cfg);
            e.headers.emplace_back("ETag", std::string(etag));
            return e;
        }
        case Conditional::none: break;
    }
    return std::nullopt;
}

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

compress::FileKey key_of(OpenFile const& f) { return {f.dev, f.ino, f.size, f.mtime_ns}; }

// Act: the body of a file's 200, decided above. The only stage that does work: for a GET of
// a made coding it starts (or joins) the compression. A HEAD starts nothing: it sends the
// head a GET would send now, so a body still being compressed (or not begun) is announced
// as `Transfer-Encoding: chunked` without a length, and a finished one with its
// Content-Length (SPEC §2.5). False when no compression could be set up (no memory).
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
            if (!entry && !compress::CompressCache::has_room_for(file.size)) return false;  // its GET sends identity
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

// serve_file(): describe → ranges → representation → head → conditionals → range → body.
// Everything before the body is decided from metadata; only the body stage does work.
ResponsePlan serve_file(RequestHead const& req, Target const& t, Resolved const& found, Config const& cfg,
                        Services const& services, bool may_compress = true) {
    auto res = describe_file(req, t, found, cfg, services);
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
    if (!attach_file_body(p, req, found, res, *rep, cfg, services)) return serve_file(req, t, found, cfg, services, false);
    if (make_for_later && req.method == "GET")
        services.cache->acquire(found.path, found.file->fd, key_of(*found.file), *make_for_later);
    return p;
}

// The compressed forms of embedded assets, made on first use and kept for the process.
// A HEAD only looks (make = false): nullptr when not made yet.
std::shared_ptr<std::string const> compressed_asset(www::Asset const& asset, ContentCoding coding, bool make) {
    static std::mutex mutex;
    static std::map<std::pair<std::string_view, ContentCoding>, std::shared_ptr<std::string const>> made;
    std::lock_guard lock(mutex);
    auto& slot = made[{asset.path, coding}];
    if (!slot && make) {
        auto z = compress::compress_all(coding, asset.data, compress::default_level(coding));
        if (!z) return nullptr;
        slot = std::make_shared<std::string const>(std::move(*z));
    }
    return slot;
}

// serve_embedded(): the same stages as serve_file, from bytes in the binary.
ResponsePlan serve_embedded(RequestHead const& req, Target const& t, Config const& cfg, Services const& services) {
    if (t.segments.size() == 1 && !t.trailing_slash) return redirect_plan("/__wasmdev/", cfg);
    std::string rel;
    for (std::size_t i = 1; i < t.segments.size(); ++i) rel += (i > 1 ? "/" : "") + t.segments[i];
    if (t.trailing_slash && !rel.empty()) rel += '/';
    if (rel == "stats.json") {
        auto p = base_plan(200, cfg);
        p.headers.emplace_back("Content-Type", "application/json");
        auto json = stats_json(services);
        p.content_length = json.size();
        p.body = TextBody{std::move(json)};
        return p;
    }
    auto const* asset = www::find_asset(rel);
    if (!asset) return error_plan(404, "No such page of the wasmdev self-check.", cfg);
    auto const name = rel.empty() || rel.ends_with('/') ? std::string("index.html") : rel;
    // Embedded bytes change only with the binary: hash them for a strong validator.
    std::uint64_t hash = 1469598103934665603ull;
    for (unsigned char c : asset->data) hash = (hash ^ c) * 1099511628211ull;
    Resource res{mime::type_for(name), hash, asset->data.size(), 0, false};
    res.compressible = cfg.compress && mime::is_compressible(name) && asset->data.size() >= cfg.min_compress_bytes;

    auto rep = choose_representation(req.field("Accept-Encoding"), false, res.offer());
    if (!rep) return not_acceptable(res, cfg);
    auto etag = etag_of(res, *rep);
    auto p = representation_head(res, *rep, etag, cfg);
    if (auto answered = answer_conditionals(req, res, etag, p, cfg)) return std::move(*answered);
    add_content_encoding(p, *rep);
    if (rep->source == Source::original) {
        p.content_length = asset->data.size();
        p.body = StaticBody{asset->data};
        return p;
    }
    bool const is_head = req.method == "HEAD";
    auto body = compressed_asset(*asset, rep->coding, !is_head);
    if (body) p.content_length = body->size();
    else if (!is_head) return error_plan(500, "Compression failed.", cfg);
    if (body && !is_head) p.body = SharedBody{std::move(body)};
    return p;
}

}  // namespace

ResponsePlan error_response(unsigned status, std::string_view cause, Config const& cfg, bool close) {
    auto p = error_plan(status, cause, cfg, close);
    apply_extra_headers(p.headers, cfg.extra_headers);
    return p;
}

namespace {

// decide(): framing → host → method → target → reserved pages → resolve → directory → file.
ResponsePlan decide(RequestHead const& req, Config const& cfg, Services const& services) {
    auto target = parse_target(req.target);
    if (auto refused = check_framing_and_host(req, cfg, target ? std::string_view(target->authority) : ""))
        return *refused;

    bool const is_head = req.method == "HEAD";
    if (req.method == "OPTIONS") {
        auto p = base_plan(204, cfg);
        p.headers.emplace_back("Allow", std::string(allowed_methods));
        p.content_length = 0;
        p.body = NoBody{};
        return p;
    }
    if (req.method != "GET" && !is_head) {
        auto p = error_plan(405, fmt::format("{} is not supported; this server only reads files.", req.method), cfg);
        p.headers.emplace_back("Allow", std::string(allowed_methods));
        return p;
    }
    if (!target || target->asterisk) return error_plan(400, "The request target is not a valid path.", cfg);

    auto plan = [&]() -> ResponsePlan {
        if (!target->segments.empty() && target->segments.front() == reserved_prefix)
            return serve_embedded(req, *target, cfg, services);
        auto found = resolve(cfg.root, target->segments, cfg.follow_symlinks, cfg.root_fd, services.open_files);
        switch (found.kind) {
            case ResolveKind::not_found: {
                auto p = error_plan(404, "Nothing at this path.", cfg);
                if (mime::type_for(target->segments.empty() ? "" : target->segments.back()) == "application/wasm")
                    p.log_note = "a .wasm was requested that does not exist: is the build finished?";
                return p;
            }
            case ResolveKind::forbidden: return error_plan(403, found.cause, cfg);
            case ResolveKind::directory: {
                if (!target->trailing_slash) {
                    auto location = encode_path(target->segments, true);
                    if (!target->query.empty()) location += "?" + target->query;
                    return redirect_plan(std::move(location), cfg);
                }
                auto index_segments = target->segments;
                index_segments.push_back("index.html");
                auto index = resolve(cfg.root, index_segments, cfg.follow_symlinks, cfg.root_fd, services.open_files);
                if (index.kind == ResolveKind::file) {
                    auto index_target = *target;
                    index_target.segments = index_segments;
                    return serve_file(req, index_target, index, cfg, services);
                }
                return serve_listing(*target, found, cfg);
            }
            case ResolveKind::file:
                // "/app.wasm/" names a directory that is not there (nginx and Apache agree);
                // serving the file would break every relative URL inside it.
                if (target->trailing_slash) return error_plan(404, "Nothing at this path: a file is not a directory.", cfg);
                return serve_file(req, *target, found, cfg, services);
        }
        return error_plan(500, "Unexpected resolution result.", cfg);
    }();
    if (is_head) plan.body = NoBody{};  // the head (and its Content-Length) as the GET's
    return plan;
}

}  // namespace

ResponsePlan handle(RequestHead const& req, Config const& cfg, Services const& services) {
    auto plan = decide(req, cfg, services);
    apply_extra_headers(plan.headers, cfg.extra_headers);
    return plan;
}

}  // namespace wasmdev::http
