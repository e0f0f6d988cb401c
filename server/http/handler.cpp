#include "server/http/handler.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "mime/mime.hpp"
#include "server/fs/resolve.hpp"
#include "server/http/host_check.hpp"
#include "server/http/listing.hpp"
#include "server/http/plans.hpp"
#include "server/http/policy.hpp"
#include "server/http/reload.hpp"
#include "server/http/serve_embedded.hpp"
#include "server/http/serve_file.hpp"
#include "server/http/target.hpp"

namespace wasmdev::http {

using fs::resolve;
using fs::Resolved;
using fs::ResolveKind;

namespace {

constexpr std::string_view allowed_methods = "GET, HEAD, OPTIONS";
constexpr std::string_view reserved_prefix = "__wasmdev";

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
    // On every bind: a server on 0.0.0.0 is as reachable from a rebinding page as one on loopback.
    for (auto host : {host_field, authority}) {
        if (host.empty()) continue;
        if (!is_allowed_host(host, cfg.server.bind, cfg.machine_names, cfg.allow_hosts))
            return error_plan(403, host_refusal(host, cfg.bind_is_loopback), cfg);
    }
    return std::nullopt;
}

// "/a/b c.wasm" from the decoded segments: the form ModuleWatch compares.
std::string decoded_path(std::vector<std::string> const& segments) {
    std::string out;
    for (auto const& s : segments) out += "/" + s;
    return out.empty() ? "/" : out;
}

// A wasm module a browser got (or revalidated): the watch learns which debug files it names.
ResponsePlan note_module(ResponsePlan plan, std::vector<std::string> const& segments, Services const& services) {
    bool const answered = plan.status == 200 || plan.status == 206 || plan.status == 304;
    if (answered && services.modules && services.modules->served && !segments.empty() &&
        mime::type_for(segments.back()) == "application/wasm") {
        auto path = decoded_path(segments);
        services.modules->served(path, std::string_view(path).substr(1));
    }
    return plan;
}

ResponsePlan serve_listing(Target const& t, Resolved const& dir, Config const& cfg) {
    if (!cfg.listing) return error_plan(403, "Directory listings are turned off (--no-listing).", cfg);
    std::string display = "/";
    for (auto const& s : t.segments) display += s + "/";
    // Read through the directory's descriptor; a symlink is listed only when a request for it
    // would be served, with what that request would open (docs/design.md#symlinks).
    auto entries = fs::read_directory(dir.file->fd, cfg.root, t.segments, cfg.follow_symlinks, cfg.root_fd);
    std::erase_if(entries, [](ListingEntry const& e) { return !is_listable_name(e.name); });
    return html_plan(200, render_listing(display, encode_path(t.segments, true), std::move(entries)), cfg);
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
                // A debug file a served module names says more than "not found" (docs/design.md#serve-diagnosis).
                if (services.modules && services.modules->not_found)
                    if (auto why = services.modules->not_found(decoded_path(target->segments)))
                        p.log_note = std::move(*why);
                // A page opened before its build wrote it reloads itself once it exists (docs/design.md#live-reload).
                if (wants_injection(cfg.reload, mime::type_for(target->segments.empty() ? "" : target->segments.back()),
                                    target->query, 0))
                    if (auto* page = std::get_if<TextBody>(&p.body)) {
                        page->bytes = inject_reload(page->bytes, cfg.reload.token);
                        p.content_length = page->bytes.size();
                    }
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
                if (target->trailing_slash)
                    return error_plan(404, "Nothing at this path: a file is not a directory.", cfg);
                return note_module(serve_file(req, *target, found, cfg, services), target->segments, services);
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
