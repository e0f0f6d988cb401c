// Decoding of the DevTools protocol messages `run` listens to (console calls, exceptions,
// targets, dialogs, paused requests, binding calls, command responses) into plain structs,
// and encoding of the commands it sends. Pure: no pipe, no process. Every message comes from
// the browser (and so, in part, from the page): anything malformed or unexpected decodes to
// Ignored, never to an exception; the framing (frames.hpp) caps a message's size.
#pragma once
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace wasmdev::browser {

// A Runtime.RemoteObject as text: a string's own value, a number's or symbol's description,
// "undefined", "null", an object's preview ({a: 1}, [1, 2]) or description (a function, a Map).
struct RemoteValue {
    std::string text{};
    bool is_string = false;  // a JavaScript string: a format string when it comes first
};

struct Response {  // the answer to a command we sent
    long long id = 0;
    std::string error{};       // the protocol's error message; empty on success
    std::string target_id{};   // result.targetId (Target.createTarget)
    std::string session_id{};  // result.sessionId (Target.attachToTarget)
    std::string error_text{};  // result.errorText (Page.navigate: net::ERR_...)
};
struct ConsoleCall {     // Runtime.consoleAPICalled
    std::string type{};  // log, info, debug, error, warning, trace, assert, ...
    std::vector<RemoteValue> args{};
    double timestamp = 0;  // milliseconds since the epoch
    std::string url{};     // the script that called, from the stack's top frame
};
struct ExceptionThrown {  // Runtime.exceptionThrown: an uncaught exception or unhandled rejection
    std::string text{};   // "Uncaught Error: boom" and its stack, as DevTools shows it
    double timestamp = 0;
    std::string url{};
};
struct AttachedToTarget {  // Target.attachedToTarget (auto-attach: workers, frames)
    std::string session_id{};
    std::string target_type{};  // worker, service_worker, shared_worker, iframe, page
    std::string url{};
    bool waiting_for_debugger = false;
};
struct DetachedFromTarget {
    std::string session_id{};
};
struct DialogOpening {   // Page.javascriptDialogOpening
    std::string type{};  // alert, confirm, prompt, beforeunload
    std::string message{};
};
struct RequestPaused {  // Fetch.requestPaused
    std::string request_id{};
    std::string url{};
    std::string method{};
    std::string post_data{};
};
struct BindingCalled {  // Runtime.bindingCalled
    std::string name{};
    std::string payload{};
};
struct TargetCrashed {};  // Inspector.targetCrashed
struct Ignored {};

using Body = std::variant<Ignored, Response, ConsoleCall, ExceptionThrown, AttachedToTarget, DetachedFromTarget,
                          DialogOpening, RequestPaused, BindingCalled, TargetCrashed>;

struct Message {
    std::string session_id{};  // which target it concerns; empty: the browser itself
    Body body{};
};

Message decode_message(std::string_view json);

// A RemoteObject (as JSON) as text; exposed for the tests and the fuzz target.
RemoteValue remote_value_text(boost::json::value const& remote_object);

// {"id":ID,"method":METHOD,"params":PARAMS[,"sessionId":SESSION]}
std::string encode_command(long long id, std::string_view method, boost::json::object params,
                           std::string_view session_id = {});

}  // namespace wasmdev::browser
