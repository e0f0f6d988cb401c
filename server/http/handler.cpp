#include "server/http/handler.hpp"

#include <fmt/format.h>

#include "mime/mime.hpp"
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
    p.headers = policy_headers(cfg);
    return p;
}

ResponsePlan html_plan(unsigned status, std::string body, Config const& cfg) {
    auto p = base_plan(status, cfg);
    p.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
    p.content_length = body.size();
    p.body = std::move(body);
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
        return error_response(400, "The request's Transfer-Encoding or Content-Length cannot be trusted.", cfg, true);
    auto hosts = req.count("Host");
    if (hosts > 1 || (hosts == 0 && req.version >= 11))
        return error_response(400, "An HTTP/1.1 request needs exactly one Host header.", cfg);
    // An absolute-form target names the host itself (RFC 9112 §3.2.2); check it as well.
    auto const host_field = req.field("Host").value_or(std::string_view{});
    // RFC 9112 §3.2: a Host that is not a valid host[:port] is a 400, whatever the bind.
    if (!host_field.empty() && host_without_port(host_field).empty())
        return error_response(400, "The Host header is not a valid host name or address.", cfg);
    if (!cfg.bind_is_loopback) return std::nullopt;
    for (auto host : {host_field, authority}) {
        if (host.empty()) continue;
        if (!is_allowed_host(host, cfg.bind, cfg.allow_hosts))
            return error_response(403,
                                  fmt::format("Host \"{}\" is not allowed: this server only answers to localhost "
                                              "names, to protect against DNS rebinding. If you trust this name, "
                                              "restart with --allow-host {}.",
                                              host, host_without_port(host).empty() ? "NAME" : host_without_port(host)),
                                  cfg);
    }
    return std::nullopt;
}

ResponsePlan serve_embedded(RequestHead const& req, Target const& t, Config const& cfg) {
    std::string rel;
    for (std::size_t i = 1; i < t.segments.size(); ++i) rel += (i > 1 ? "/" : "") + t.segments[i];
    if (t.trailing_slash && !rel.empty()) rel += '/';
    if (t.segments.size() == 1 && !t.trailing_slash) return redirect_plan("/__wasmdev/", cfg);
    auto const* asset = www::find_asset(rel);
    if (!asset) return error_response(404, "No such page of the wasmdev self-check.", cfg);
    auto p = base_plan(200, cfg);
    auto name = rel.empty() || rel.ends_with('/') ? std::string("index.html") : rel;
    p.headers.emplace_back("Content-Type", std::string(mime::type_for(name)));
    p.content_length = asset->data.size();
    p.static_body = asset->data;
    return p;
}

ResponsePlan serve_listing(Target const& t, Resolved const& dir, Config const& cfg) {
    if (!cfg.listing) return error_response(403, "Directory listings are turned off (--no-listing).", cfg);
    std::string display = "/";
    for (auto const& s : t.segments) display += s + "/";
    return html_plan(200, render_listing(display, encode_path(t.segments, true), read_directory(dir.path)), cfg);
}

ResponsePlan serve_file(RequestHead const& req, Resolved const& found, Config const& cfg, Services const& services) {
    auto const& path = found.path.native();
    auto file = found.file;
    auto p = base_plan(200, cfg);
    p.headers.emplace_back("Content-Type", std::string(mime::type_for(path)));
    p.headers.emplace_back("Accept-Ranges", "bytes");
    p.content_length = file->size;
    p.parts.push_back({{}, 0, file->size, true});
    p.file = std::move(file);
    return p;
}

}  // namespace

ResponsePlan error_response(unsigned status, std::string_view cause, Config const& cfg, bool close) {
    auto p = html_plan(status, render_error_page(status, cause), cfg);
    p.close = close;
    return p;
}

// handle(): framing → host → method → target → reserved pages → resolve → directory → file.
ResponsePlan handle(RequestHead const& req, Config const& cfg, Services const& services) {
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
        auto p = error_response(405, fmt::format("{} is not supported; this server only reads files.", req.method), cfg);
        p.headers.emplace_back("Allow", std::string(allowed_methods));
        return p;
    }
    if (!target || target->asterisk) return error_response(400, "The request target is not a valid path.", cfg);

    auto plan = [&]() -> ResponsePlan {
        if (!target->segments.empty() && target->segments.front() == reserved_prefix)
            return serve_embedded(req, *target, cfg);
        auto found = resolve(cfg.root, target->segments, cfg.follow_symlinks, cfg.root_fd);
        switch (found.kind) {
            case ResolveKind::not_found: {
                auto p = error_response(404, "Nothing at this path.", cfg);
                if (mime::type_for(target->segments.empty() ? "" : target->segments.back()) == "application/wasm")
                    p.log_note = "a .wasm was requested that does not exist: is the build finished?";
                return p;
            }
            case ResolveKind::forbidden: return error_response(403, found.cause, cfg);
            case ResolveKind::directory: {
                if (!target->trailing_slash) {
                    auto location = encode_path(target->segments, true);
                    if (!target->query.empty()) location += "?" + target->query;
                    return redirect_plan(std::move(location), cfg);
                }
                auto index_segments = target->segments;
                index_segments.push_back("index.html");
                auto index = resolve(cfg.root, index_segments, cfg.follow_symlinks, cfg.root_fd);
                if (index.kind == ResolveKind::file) return serve_file(req, index, cfg, services);
                return serve_listing(*target, found, cfg);
            }
            case ResolveKind::file: return serve_file(req, found, cfg, services);
        }
        return error_response(500, "Unexpected resolution result.", cfg);
    }();
    if (is_head) plan.send_body = false;
    return plan;
}

}  // namespace wasmdev::http
