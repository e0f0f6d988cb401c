#include "server/http/handler.hpp"

#include "server/http/open_cache.hpp"

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
#include "server/http/validators.hpp"
#include "server/http/error_page.hpp"
#include "server/http/host_check.hpp"
#include "server/http/listing.hpp"
#include "server/http/policy.hpp"
#include "server/http/resolve.hpp"
#include "server/http/target.hpp"
#include "server/www/assets.hpp"

namespace wasmdev::http {
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
    p.body = std::move(body);
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

compress::Coding to_compress_coding(ContentCoding c) {
    switch (c) {
        case ContentCoding::zstd: return compress::Coding::zstd;
        case ContentCoding::br: return compress::Coding::br;
        case ContentCoding::deflate: return compress::Coding::deflate;
        default: return compress::Coding::gzip;
    }
}

// The compressed forms of embedded assets, made on first use and kept for the process.
std::shared_ptr<std::string const> compressed_asset(www::Asset const& asset, ContentCoding coding) {
    static std::mutex mutex;
    static std::map<std::pair<std::string_view, ContentCoding>, std::shared_ptr<std::string const>> made;
    std::lock_guard lock(mutex);
    auto& slot = made[{asset.path, coding}];
    if (!slot) {
        auto c = to_compress_coding(coding);
        auto z = compress::compress_all(c, asset.data, compress::default_level(c));
        if (!z) return nullptr;
        slot = std::make_shared<std::string const>(std::move(*z));
    }
    return slot;
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

// /__wasmdev/: the embedded self-check site, and stats.json (the compression cache's counters).
ResponsePlan serve_embedded(RequestHead const& req, Target const& t, Config const& cfg, Services const& services) {
    if (t.segments.size() == 1 && !t.trailing_slash) return redirect_plan("/__wasmdev/", cfg);
    std::string rel;
    for (std::size_t i = 1; i < t.segments.size(); ++i) rel += (i > 1 ? "/" : "") + t.segments[i];
    if (t.trailing_slash && !rel.empty()) rel += '/';
    if (rel == "stats.json") {
        auto p = base_plan(200, cfg);
        p.headers.emplace_back("Content-Type", "application/json");
        p.body = stats_json(services);
        p.content_length = p.body.size();
        return p;
    }
    auto const* asset = www::find_asset(rel);
    if (!asset) return error_plan(404, "No such page of the wasmdev self-check.", cfg);
    auto const name = rel.empty() || rel.ends_with('/') ? std::string("index.html") : rel;
    bool const compressible = cfg.compress && mime::is_compressible(name) && asset->data.size() >= cfg.min_compress_bytes;
    constexpr ContentCoding codings[] = {ContentCoding::zstd, ContentCoding::br, ContentCoding::gzip, ContentCoding::deflate};
    auto const available = compressible ? std::span<ContentCoding const>(codings) : std::span<ContentCoding const>();
    auto coding = negotiate_encoding(req.field("Accept-Encoding"), available);
    if (!coding) return error_plan(406, "The request's Accept-Encoding refuses every coding this page has.", cfg);
    // Embedded bytes change only with the binary: hash them for a strong validator.
    std::uint64_t hash = 1469598103934665603ull;
    for (unsigned char c : asset->data) hash = (hash ^ c) * 1099511628211ull;
    auto const etag = make_etag(hash, asset->data.size(), 0, to_string(*coding));
    auto p = base_plan(200, cfg);
    p.headers.emplace_back("Content-Type", std::string(mime::type_for(name)));
    p.headers.emplace_back("ETag", etag);
    if (compressible) p.headers.emplace_back("Vary", "Accept-Encoding");
    if (evaluate_conditionals(conditional_headers(req), etag, 0) == Conditional::not_modified) {
        p.status = 304;
        p.send_body = false;
        return p;
    }
    if (*coding != ContentCoding::identity) {
        auto body = compressed_asset(*asset, *coding);
        if (!body) return error_plan(500, "Compression failed.", cfg);
        p.headers.emplace_back("Content-Encoding", std::string(to_string(*coding)));
        p.coding = to_string(*coding);
        p.content_length = body->size();
        p.shared_body = std::move(body);
        return p;
    }
    p.content_length = asset->data.size();
    p.static_body = asset->data;
    return p;
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

// Stage: precompressed sidecars X.zst / X.br / X.gz, used when not older than X.
struct Sidecar {
    ContentCoding coding = ContentCoding::identity;
    std::shared_ptr<OpenFile const> file{};
};

// Only codings the client accepts are looked up: a request without Accept-Encoding costs
// no extra open (three failed lookups per request cost a quarter of small-file throughput).
std::vector<Sidecar> find_sidecars(RequestHead const& req, Target const& t, OpenFile const& original, Config const& cfg,
                                   Services const& services) {
    std::vector<Sidecar> found;
    auto const accept = req.field("Accept-Encoding");
    if (!cfg.compress || t.segments.empty() || !accept) return found;
    constexpr std::pair<ContentCoding, std::string_view> kinds[] = {
        {ContentCoding::zstd, ".zst"}, {ContentCoding::br, ".br"}, {ContentCoding::gzip, ".gz"}};
    for (auto const& [coding, ext] : kinds) {
        ContentCoding const only[] = {coding};
        if (negotiate_encoding(accept, only) != coding) continue;
        auto segments = t.segments;
        segments.back() += ext;
        auto r = resolve(cfg.root, segments, cfg.follow_symlinks, cfg.root_fd, services.open_files);
        if (r.kind == ResolveKind::file && r.file->mtime_ns >= original.mtime_ns) found.push_back({coding, r.file});
    }
    return found;
}

// serve_file(): representations → range → negotiation → validators → conditionals → body.
ResponsePlan serve_file(RequestHead const& req, Target const& t, Resolved const& found, Config const& cfg,
                        Services const& services) {
    auto const& file = *found.file;
    auto const name = std::string_view(found.path).substr(found.path.rfind('/') + 1);
    auto const type = mime::type_for(name);
    auto const last_modified = seconds(file.mtime_ns);
    bool const compressible = cfg.compress && mime::is_compressible(name) && file.size >= cfg.min_compress_bytes;
    auto const sidecars = find_sidecars(req, t, file, cfg, services);

    std::vector<ContentCoding> available;
    available.reserve(4);
    for (auto const& sc : sidecars) available.push_back(sc.coding);
    if (compressible)
        for (auto c : {ContentCoding::zstd, ContentCoding::br, ContentCoding::gzip, ContentCoding::deflate})
            if (std::find(available.begin(), available.end(), c) == available.end()) available.push_back(c);

    // Ranges address the identity representation: offsets into a compressed stream can't
    // be served without compressing everything before them.
    RangeSet ranges;
    if (auto h = req.field("Range"); h && req.method == "GET") {
        ranges = parse_range(*h, file.size);
        auto if_range = req.field("If-Range");
        auto identity_etag = make_etag(file.ino, file.size, file.mtime_ns, "identity");
        if (if_range && !if_range_matches(*if_range, identity_etag, last_modified)) ranges = {};
    }
    bool const ranged = ranges.kind == RangeKind::satisfiable || ranges.kind == RangeKind::unsatisfiable;

    ContentCoding coding = ContentCoding::identity;
    if (!ranged) {
        auto chosen = negotiate_encoding(req.field("Accept-Encoding"), available);
        if (!chosen) {
            auto p = error_plan(406, "The request's Accept-Encoding refuses every coding this file has.", cfg);
            if (!available.empty()) p.headers.emplace_back("Vary", "Accept-Encoding");
            return p;
        }
        coding = *chosen;
    }
    Sidecar const* sidecar = nullptr;
    for (auto const& sc : sidecars)
        if (sc.coding == coding) sidecar = &sc;
    // HTTP/1.0 has no chunked framing: it gets a coding only when the length is known.
    std::shared_ptr<compress::Entry> entry;
    if (coding != ContentCoding::identity && !sidecar && services.cache) {
        entry = services.cache->acquire(found.path, file.fd, {file.dev, file.ino, file.size, file.mtime_ns},
                                        to_compress_coding(coding));
        if (!entry || (req.version < 11 && entry->state() != compress::Entry::State::done)) {
            entry.reset();
            coding = ContentCoding::identity;
        }
    }

    auto const& version_file = sidecar ? *sidecar->file : file;
    auto const etag = make_etag(version_file.ino, version_file.size, version_file.mtime_ns, to_string(coding));
    auto p = base_plan(200, cfg);
    p.headers.emplace_back("Content-Type", type);
    p.headers.emplace_back("Last-Modified", format_http_date(last_modified));
    p.headers.emplace_back("ETag", etag);
    p.headers.emplace_back("Accept-Ranges", "bytes");
    // Vary on every compressible resource, whichever coding this response has (304s too).
    if (!available.empty()) p.headers.emplace_back("Vary", "Accept-Encoding");

    switch (evaluate_conditionals(conditional_headers(req), etag, last_modified)) {
        case Conditional::not_modified:
            p.status = 304;
            p.send_body = false;
            return p;
        case Conditional::precondition_failed: {
            auto e = error_plan(412, "The file changed: a precondition (If-Match / If-Unmodified-Since) failed.", cfg);
            e.headers.emplace_back("ETag", etag);
            return e;
        }
        case Conditional::none: break;
    }

    if (ranges.kind == RangeKind::unsatisfiable) {
        auto e = error_plan(416, "The requested range is outside the file.", cfg);
        e.headers.emplace_back("Content-Range", unsatisfied_content_range(file.size));
        return e;
    }
    if (ranges.kind == RangeKind::satisfiable) {
        p.status = 206;
        p.file = found.file;
        if (ranges.ranges.size() == 1) {
            auto const r = ranges.ranges.front();
            p.headers.emplace_back("Content-Range", content_range(r, file.size));
            p.parts.push_back({{}, r.first, r.length(), true});
            p.content_length = r.length();
        } else {
            auto boundary = make_boundary(std::uint64_t(file.mtime_ns) ^ file.ino ^ file.size);
            for (auto& h : p.headers)
                if (h.first == "Content-Type") h.second = "multipart/byteranges; boundary=" + boundary;
            p.parts = multipart_parts(ranges.ranges, file.size, type, boundary);
            p.content_length = total_length(p.parts);
        }
        return p;
    }

    if (coding != ContentCoding::identity) {
        p.headers.emplace_back("Content-Encoding", std::string(to_string(coding)));
        p.coding = to_string(coding);
    }
    if (sidecar) {
        p.file = sidecar->file;
        p.parts.push_back({{}, 0, sidecar->file->size, true});
        p.content_length = sidecar->file->size;
    } else if (entry) {
        if (entry->state() == compress::Entry::State::done) p.content_length = entry->total_size();
        p.stream = std::move(entry);
    } else if (coding != ContentCoding::identity) {
        // No cache (unit tests, tools): compress here, whole.
        std::string bytes(file.size, '\0');
        if (::pread(file.fd, bytes.data(), bytes.size(), 0) != ssize_t(bytes.size()))
            return error_plan(500, "The file changed while it was read.", cfg);
        auto z = compress::compress_all(to_compress_coding(coding), bytes, compress::default_level(to_compress_coding(coding)));
        if (!z) return error_plan(500, "Compression failed.", cfg);
        p.content_length = z->size();
        p.shared_body = std::make_shared<std::string const>(std::move(*z));
    } else {
        p.file = found.file;
        p.parts.push_back({{}, 0, file.size, true});
        p.content_length = file.size;
    }
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
        p.send_body = false;
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
    if (is_head) plan.send_body = false;
    return plan;
}

}  // namespace

ResponsePlan handle(RequestHead const& req, Config const& cfg, Services const& services) {
    auto plan = decide(req, cfg, services);
    apply_extra_headers(plan.headers, cfg.extra_headers);
    return plan;
}

}  // namespace wasmdev::http
