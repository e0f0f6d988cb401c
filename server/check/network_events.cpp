// Decoding of the Network/Page events check --browser reads (network_events.hpp).
#include "server/check/network_events.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace wasmdev::check {
namespace {

namespace json = boost::json;

json::value const* field(json::value const* v, std::string_view name) {
    if (!v) return nullptr;
    auto const* o = v->if_object();
    if (!o) return nullptr;
    auto it = o->find(name);
    return it == o->end() ? nullptr : &it->value();
}

std::string str(json::value const* v, std::string_view name) {
    auto const* f = field(v, name);
    return f && f->is_string() ? std::string(f->get_string()) : std::string();
}

}  // namespace

NetworkEvent decode_network_event(std::string_view text) {
    NetworkEvent e;
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) return e;
    e.session_id = str(&v, "sessionId");
    auto method = str(&v, "method");
    auto const* params = field(&v, "params");
    if (method == "Network.requestWillBeSent") {
        RequestSent r{str(params, "requestId"), str(field(params, "request"), "url")};
        if (!r.request_id.empty()) e.body = std::move(r);
    } else if (method == "Network.loadingFailed") {
        LoadingFailed f;
        f.request_id = str(params, "requestId");
        auto blocked = str(params, "blockedReason");
        auto cors = str(field(params, "corsErrorStatus"), "corsError");
        f.blocked = !blocked.empty() || !cors.empty();
        f.reason = !blocked.empty() ? blocked : !cors.empty() ? "CORS: " + cors : str(params, "errorText");
        if (!f.request_id.empty()) e.body = std::move(f);
    } else if (method == "Page.loadEventFired") {
        e.body = LoadEvent{};
    } else if (auto const* id = field(&v, "id"); id && id->is_int64()) {
        auto const* value = field(field(field(&v, "result"), "result"), "value");
        if (value && value->is_bool()) e.body = EvaluatedBool{id->get_int64(), value->get_bool()};
    }
    return e;
}

}  // namespace wasmdev::check
