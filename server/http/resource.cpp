#include "server/http/resource.hpp"

#include "server/http/plans.hpp"
#include "server/http/validators.hpp"

namespace wasmdev::http {
namespace {

ConditionalHeaders conditional_headers(RequestHead const& req) {
    return {req.field("If-Match"), req.field("If-None-Match"), req.field("If-Modified-Since"),
            req.field("If-Unmodified-Since")};
}

}  // namespace

std::time_t seconds(std::int64_t ns) { return std::time_t(ns / 1'000'000'000); }

ResponsePlan not_acceptable(Resource const& res, Config const& cfg) {
    auto p = error_plan(406, "The request's Accept-Encoding refuses every coding this resource has.", cfg);
    if (res.offer().varies()) p.headers.emplace_back("Vary", "Accept-Encoding");
    return p;
}

std::string etag_of(Resource const& res, Representation rep) {
    if (rep.source == Source::sidecar)
        for (std::size_t i = 0; i < res.sidecar_codings.size(); ++i)
            if (res.sidecar_codings[i] == rep.coding) {
                auto const& f = *res.sidecar_files[i];
                return make_etag(f.ino, f.size, f.mtime_ns, f.ctime_ns, rep.coding);
            }
    return make_etag(res.id, res.size, res.mtime_ns, res.ctime_ns, rep.coding);
}

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

void add_content_encoding(ResponsePlan& p, Representation rep) {
    if (rep.coding != ContentCoding::identity)
        p.headers.emplace_back("Content-Encoding", std::string(to_string(rep.coding)));
}

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

}  // namespace wasmdev::http
