#include "server/http/serve_embedded.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cmath>
#include <map>
#include <mutex>

#include "mime/mime.hpp"
#include "server/compress/cache.hpp"
#include "server/compress/codec.hpp"
#include "server/http/plans.hpp"
#include "server/http/reload.hpp"
#include "server/http/representation.hpp"
#include "server/http/resource.hpp"
#include "server/json/write.hpp"
#include "server/text/fnv1a.hpp"
#include "server/www/assets.hpp"

namespace wasmdev::http {
namespace {

// The counters as JSON; its names, order and types are what the self-check page, the tests and
// bench/ read (docs/design.md#json).
std::string stats_json(Services const& services) {
    if (!services.cache) return "{}\n";
    auto const st = services.cache->stats();
    boost::json::object o;
    o["connections"] = {{"open", services.open_connections ? services.open_connections->load() : 0}};
    o["responses"] = {{"being_sent", services.responses_being_sent ? services.responses_being_sent->load() : 0}};
    if (auto const* h = services.tls_handshakes)  // only with --tls
        o["tls"] = {{"handshakes_in_progress", h->in_progress.load()},
                    {"handshakes_peak", h->peak.load()},
                    {"handshakes_waiting", h->waiting.load()},
                    {"handshake_cap", h->cap}};
    o["reload"] = {{"event_streams", services.open_event_streams ? services.open_event_streams->load() : 0},
                   {"pages_injected", st.bodies_stored}};
    if (auto const* m = services.memory)
        o["memory"] = {{"give_backs", m->give_backs.load()}, {"free_held_bytes", m->free_held_bytes.load()}};
    o["compress_cache"] = {{"compressions_started", st.compressions_started},
                           {"compressions_completed", st.compressions_completed},
                           {"compressions_failed", st.compressions_failed},
                           {"hits", st.hits},
                           {"misses", st.misses},
                           {"evictions", st.evictions},
                           {"stale_dropped", st.stale_dropped},
                           {"entries", st.entries},
                           {"bytes_held", st.bytes_held},
                           {"bytes_held_peak", st.bytes_held_peak},
                           // Milliseconds are all a reader needs (the text said %.3f before).
                           {"seconds_compressing", std::round(st.seconds_compressing * 1000) / 1000},
                           {"input_bytes_compressed", st.input_bytes_compressed}};
    return json::write_document(o);
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

}  // namespace

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
    if (rel == "modules.json") {
        // The self-check page's list of served modules with the doctor's verdicts (docs/design.md#serve-diagnosis). The
        // Host passed the Host check; it is where the browser reaches ROOT, with the scheme
        // this server speaks (an https page must get https URLs).
        auto p = base_plan(200, cfg);
        p.headers.emplace_back("Content-Type", "application/json");
        auto origin = std::string(cfg.tls.enabled ? "https://" : "http://") +
                      std::string(req.field("Host").value_or("127.0.0.1"));
        auto json = services.modules && services.modules->modules_json
                        ? services.modules->modules_json(origin)
                        : json::write_document(boost::json::object{{"modules", boost::json::array()}});
        p.content_length = json.size();
        p.body = TextBody{std::move(json)};
        return p;
    }
    if (rel == "events") {
        // Live reload's Server-Sent Events (docs/reload.md): checked here, streamed by the session.
        auto const streams = services.open_event_streams ? services.open_event_streams->load() : 0;
        if (auto refused = check_event_request(req, t.query, cfg, streams))
            return error_plan(refused->status, refused->cause, cfg);
        auto p = base_plan(200, cfg);
        p.headers.emplace_back("Content-Type", "text/event-stream");
        p.body = EventStreamBody{};
        p.close = true;  // the stream is the connection's last response
        return p;
    }
    auto const* asset = www::find_asset(rel);
    if (!asset) return error_plan(404, "No such page of the wasmdev self-check.", cfg);
    auto const name = rel.empty() || rel.ends_with('/') ? std::string("index.html") : rel;
    // Embedded bytes change only with the binary: hash them for a strong validator.
    Resource res{mime::type_for(name), text::fnv1a(asset->data), asset->data.size(), 0, false};
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
    if (body)
        p.content_length = body->size();
    else if (!is_head)
        return error_plan(500, "Compression failed.", cfg);
    if (body && !is_head) p.body = SharedBody{std::move(body)};
    return p;
}

}  // namespace wasmdev::http
