// Text and JSON rendering of a check report (render.hpp).
#include "server/check/render.hpp"

#include <fmt/format.h>

#include <cctype>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include "server/json/write.hpp"
#include "server/text/terminal_escape.hpp"

namespace wasmdev::check {
namespace {

std::string esc(std::string_view s) { return text::escape_terminal(s); }

// A server's bytes as a JSON string. json::write would replace invalid UTF-8 anyway; the
// header names are replaced here too so that two names differing only in such bytes merge.
boost::json::string utf8(std::string_view s) { return boost::json::string(::wasmdev::json::valid_utf8(s)); }

std::string human_size(std::uint64_t n) {
    if (n < 1024) return fmt::format("{} B", n);
    if (n < (1u << 20)) return fmt::format("{:.1f} KiB", double(n) / 1024);
    return fmt::format("{:.1f} MiB", double(n) / (1 << 20));
}

int count(std::vector<Problem> const& ps, Severity s) {
    int n = 0;
    for (auto const& p : ps) n += p.severity == s;
    return n;
}

}  // namespace

std::string render_text(Report const& r) {
    std::string out = fmt::format("wasmdev check {}\n", esc(r.page_url));
    for (auto const& o : r.resources) {
        std::string status = o.error.empty() ? std::to_string(o.status) : std::string("---");
        auto type = combined_header(o.headers, "Content-Type").value_or("-");
        auto coding = combined_header(o.headers, "Content-Encoding").value_or("-");
        auto size = o.error.empty() && !o.cross_origin ? human_size(body_size(o)) : std::string("-");
        out += fmt::format("  {:>3} {:<10} {:<32} {:<5} {:>10}  {}{}\n", status, to_string(o.kind), esc(type),
                           esc(coding), size, esc(o.url), o.cross_origin ? " (other origin: HEAD only)" : "");
    }
    for (auto const& s : r.skipped) out += fmt::format("  not checked: {}\n", esc(s));
    if (!r.problems.empty()) out += "problems:\n";
    for (auto const& p : r.problems)
        out += fmt::format("  {}: {}: {}: {}\n      fix: {}\n", to_string(p.severity), esc(p.url), p.topic, esc(p.what),
                           esc(p.fix));
    out += fmt::format("cross-origin isolated: {}\n", r.isolated ? "yes" : "no");
    if (r.has_browser) {
        if (!r.browser_error.empty())
            out += fmt::format("browser: {}\n", esc(r.browser_error));
        else
            out += fmt::format("browser: crossOriginIsolated {}\n", r.browser_isolated ? "true" : "false");
        for (auto const& [url, reason] : r.browser_blocked)
            out += fmt::format("browser blocked: {} ({})\n", esc(url), esc(reason));
    }
    out += fmt::format("result: {} ({} errors, {} warnings, {} notes)\n",
                       r.works ? "the page would work" : "the page will not work", count(r.problems, Severity::error),
                       count(r.problems, Severity::warning), count(r.problems, Severity::note));
    return out;
}

std::string render_json(Report const& r) {
    namespace json = boost::json;
    json::object root;
    root["url"] = utf8(r.page_url);
    root["works"] = r.works;
    root["cross_origin_isolated"] = r.isolated;
    json::array resources;
    for (auto const& o : r.resources) {
        json::object j;
        j["url"] = utf8(o.url);
        j["kind"] = to_string(o.kind);
        j["cross_origin"] = o.cross_origin;
        if (!o.error.empty()) j["error"] = utf8(o.error);
        j["status"] = o.status;
        json::object headers;
        for (auto const& h : o.headers) {
            auto name = h.name;
            for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
            auto key = utf8(name);
            auto it = headers.find(key);
            if (it == headers.end())
                headers[key] = utf8(h.value);
            else
                it->value() = utf8(std::string(it->value().as_string()) + ", " + h.value);
        }
        j["headers"] = std::move(headers);
        j["size"] = body_size(o);
        if (!o.redirected_from.empty()) j["redirected_from"] = utf8(o.redirected_from);
        if (o.range_status) j["range_status"] = *o.range_status;
        if (o.identity_size) j["identity_size"] = *o.identity_size;
        resources.push_back(std::move(j));
    }
    root["resources"] = std::move(resources);
    json::array problems;
    for (auto const& p : r.problems)
        problems.push_back(json::object{{"severity", to_string(p.severity)},
                                        {"url", utf8(p.url)},
                                        {"topic", p.topic},
                                        {"what", utf8(p.what)},
                                        {"fix", utf8(p.fix)}});
    root["problems"] = std::move(problems);
    json::array skipped;
    for (auto const& s : r.skipped) skipped.push_back(utf8(s));
    root["not_checked"] = std::move(skipped);
    if (r.has_browser) {
        json::object b;
        if (!r.browser_error.empty()) b["error"] = utf8(r.browser_error);
        b["cross_origin_isolated"] = r.browser_isolated;
        json::array blocked;
        for (auto const& [url, reason] : r.browser_blocked)
            blocked.push_back(json::object{{"url", utf8(url)}, {"reason", utf8(reason)}});
        b["blocked"] = std::move(blocked);
        root["browser"] = std::move(b);
    }
    return ::wasmdev::json::write_document(root);
}

}  // namespace wasmdev::check
