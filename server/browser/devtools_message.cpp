// DevTools protocol messages into structs and commands into JSON (see devtools_message.hpp).
// Every field is read with a type check: a missing or odd field reads as empty.
#include "server/browser/devtools_message.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace wasmdev::browser {
namespace {

namespace json = boost::json;

json::value const* field(json::value const& v, std::string_view name) {
    auto const* o = v.if_object();
    if (!o) return nullptr;
    auto it = o->find(name);
    return it == o->end() ? nullptr : &it->value();
}

std::string str(json::value const& v, std::string_view name) {
    auto const* f = field(v, name);
    if (!f || !f->is_string()) return {};
    return std::string(f->get_string());
}

double num(json::value const& v, std::string_view name) {
    auto const* f = field(v, name);
    if (!f) return 0;
    if (f->is_double()) return f->get_double();
    if (f->is_int64()) return double(f->get_int64());
    if (f->is_uint64()) return double(f->get_uint64());
    return 0;
}

bool boolean(json::value const& v, std::string_view name) {
    auto const* f = field(v, name);
    return f && f->is_bool() && f->get_bool();
}

json::value const& member(json::value const& v, std::string_view name) {
    static json::value const null_value;
    auto const* f = field(v, name);
    return f ? *f : null_value;
}

// A preview's property value ("1", "'x'", "Object") the way DevTools writes it inline.
std::string preview_value(json::value const& prop) {
    auto type = str(prop, "type");
    auto value = str(prop, "value");
    if (type == "string") return "'" + value + "'";
    if (auto const* vp = field(prop, "valuePreview")) {
        (void)vp;
        return str(prop, "subtype") == "array" ? "Array" : "{…}";
    }
    return value;
}

// {a: 1, b: 'x'} or [1, 2, 3] from an ObjectPreview; "" when there is none.
std::string preview_text(json::value const& preview, bool is_array) {
    auto const* props = field(preview, "properties");
    if (!props || !props->is_array()) return {};
    std::string out = is_array ? "[" : "{";
    bool first = true;
    for (auto const& p : props->get_array()) {
        if (!first) out += ", ";
        first = false;
        if (!is_array) out += str(p, "name") + ": ";
        out += preview_value(p);
    }
    if (boolean(preview, "overflow")) out += first ? "…" : ", …";
    out += is_array ? "]" : "}";
    return out;
}

// The URL of the script that called: the stack's top frame.
std::string top_frame_url(json::value const& stack_trace) {
    auto const* frames = field(stack_trace, "callFrames");
    if (!frames || !frames->is_array() || frames->get_array().empty()) return {};
    return str(frames->get_array().front(), "url");
}

std::string format_stack(json::value const& stack_trace) {
    std::string out;
    auto const* frames = field(stack_trace, "callFrames");
    if (!frames || !frames->is_array()) return out;
    for (auto const& f : frames->get_array()) {
        auto fn = str(f, "functionName");
        auto where = str(f, "url") + ":" + std::to_string(long(num(f, "lineNumber")) + 1) + ":" +
                     std::to_string(long(num(f, "columnNumber")) + 1);
        out += "\n    at " + (fn.empty() ? where : fn + " (" + where + ")");
    }
    return out;
}

ExceptionThrown exception_of(json::value const& params) {
    ExceptionThrown e;
    auto const& d = member(params, "exceptionDetails");
    e.timestamp = num(params, "timestamp");
    e.url = str(d, "url");
    auto const& ex = member(d, "exception");
    std::string what = ex.is_object() ? remote_value_text(ex).text : std::string{};
    auto head = str(d, "text");  // "Uncaught", "Uncaught (in promise)"
    e.text = head.empty() ? what : what.empty() ? head : head + " " + what;
    // An Error's description carries its stack already; anything else thrown gets the frames.
    if (what.find("\n    at ") == std::string::npos) e.text += format_stack(member(d, "stackTrace"));
    if (e.url.empty()) e.url = top_frame_url(member(d, "stackTrace"));
    return e;
}

Body body_of(std::string_view method, json::value const& params) {
    if (method == "Runtime.consoleAPICalled") {
        ConsoleCall c;
        c.type = str(params, "type");
        c.timestamp = num(params, "timestamp");
        c.url = top_frame_url(member(params, "stackTrace"));
        if (auto const* args = field(params, "args"); args && args->is_array())
            for (auto const& a : args->get_array()) c.args.push_back(remote_value_text(a));
        return c;
    }
    if (method == "Runtime.exceptionThrown") return exception_of(params);
    if (method == "Target.attachedToTarget") {
        auto const& info = member(params, "targetInfo");
        return AttachedToTarget{str(params, "sessionId"), str(info, "type"), str(info, "url"),
                                boolean(params, "waitingForDebugger")};
    }
    if (method == "Target.detachedFromTarget") return DetachedFromTarget{str(params, "sessionId")};
    if (method == "Page.javascriptDialogOpening") return DialogOpening{str(params, "type"), str(params, "message")};
    if (method == "Fetch.requestPaused") {
        auto const& req = member(params, "request");
        return RequestPaused{str(params, "requestId"), str(req, "url"), str(req, "method"), str(req, "postData")};
    }
    if (method == "Runtime.bindingCalled") return BindingCalled{str(params, "name"), str(params, "payload")};
    if (method == "Inspector.targetCrashed") return TargetCrashed{};
    return Ignored{};
}

}  // namespace

RemoteValue remote_value_text(json::value const& o) {
    auto type = str(o, "type");
    auto subtype = str(o, "subtype");
    auto const* value = field(o, "value");
    if (type == "string") return {value && value->is_string() ? std::string(value->get_string()) : std::string{}, true};
    if (type == "undefined") return {"undefined", false};
    if (subtype == "null") return {"null", false};
    if (auto u = str(o, "unserializableValue"); !u.empty()) return {u, false};  // NaN, -0, Infinity, 12n
    if (type == "object") {
        if (auto const* p = field(o, "preview"); p && subtype != "error") {
            auto t = preview_text(*p, subtype == "array");
            if (!t.empty()) return {t, false};
        }
        return {str(o, "description"), false};
    }
    if (auto d = str(o, "description"); !d.empty()) return {d, false};
    if (value) return {json::serialize(*value), false};
    return {str(o, "description"), false};
}

Message decode_message(std::string_view text) {
    Message m;
    boost::system::error_code ec;
    json::parse_options opt;
    opt.max_depth = 64;  // deeper previews are not something the browser sends; bounds the recursion
    auto v = json::parse(text, ec, {}, opt);
    if (ec || !v.is_object()) return m;
    m.session_id = str(v, "sessionId");
    if (auto const* id = field(v, "id"); id && (id->is_int64() || id->is_uint64())) {
        Response r;
        r.id = id->is_int64() ? id->get_int64() : (long long)id->get_uint64();
        if (auto const* err = field(v, "error")) {
            r.error = str(*err, "message");
            if (r.error.empty()) r.error = "error";
        }
        auto const& result = member(v, "result");
        r.target_id = str(result, "targetId");
        r.session_id = str(result, "sessionId");
        r.error_text = str(result, "errorText");
        m.body = std::move(r);
        return m;
    }
    auto method = str(v, "method");
    if (method.empty()) return m;
    m.body = body_of(method, member(v, "params"));
    return m;
}

std::string encode_command(long long id, std::string_view method, json::object params, std::string_view session_id) {
    json::object o;
    o["id"] = id;
    o["method"] = method;
    o["params"] = std::move(params);
    if (!session_id.empty()) o["sessionId"] = session_id;
    return json::serialize(o);
}

}  // namespace wasmdev::browser
