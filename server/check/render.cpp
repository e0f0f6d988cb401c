// Text and JSON rendering of a check report (render.hpp).
#include "server/check/render.hpp"

#include <fmt/format.h>

#include <cctype>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "server/text/terminal_escape.hpp"

namespace wasmdev::check {
namespace {

std::string esc(std::string_view s) { return text::escape_terminal(s); }

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
    root["url"] = r.page_url;
    root["works"] = r.works;
    root["cross_origin_isolated"] = r.isolated;
    json::array resources;
    for (auto const& o : r.resources) {
        json::object j;
        j["url"] = o.url;
        j["kind"] = to_string(o.kind);
        j["cross_origin"] = o.cross_origin;
        if (!o.error.empty()) j["error"] = o.error;
        j["status"] = o.status;
        json::object headers;
        for (auto const& h : o.headers) {
            auto name = h.name;
            for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
            auto it = headers.find(name);
            if (it == headers.end()) headers[name] = h.value;
            else it->value() = json::string(std::string(it->value().as_string()) + ", " + h.value);
        }
        j["headers"] = std::move(headers);
        j["size"] = body_size(o);
        if (!o.redirected_from.empty()) j["redirected_from"] = o.redirected_from;
        if (o.range_status) j["range_status"] = *o.range_status;
        resources.push_back(std::move(j));
    }
    root["resources"] = std::move(resources);
    json::array problems;
    for (auto const& p : r.problems)
        problems.push_back(json::object{{"severity", to_string(p.severity)}, {"url", p.url}, {"topic", p.topic},
                                        {"what", p.what}, {"fix", p.fix}});
    root["problems"] = std::move(problems);
    json::array skipped;
    for (auto const& s : r.skipped) skipped.push_back(json::string(s));
    root["not_checked"] = std::move(skipped);
    if (r.has_browser) {
        json::object b;
        if (!r.browser_error.empty()) b["error"] = r.browser_error;
        b["cross_origin_isolated"] = r.browser_isolated;
        json::array blocked;
        for (auto const& [url, reason] : r.browser_blocked)
            blocked.push_back(json::object{{"url", url}, {"reason", reason}});
        b["blocked"] = std::move(blocked);
        root["browser"] = std::move(b);
    }
    return json::serialize(root) + "\n";
}

}  // namespace wasmdev::check
