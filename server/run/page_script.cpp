// The injected script's text and the reading of its reports (see page_script.hpp).
#include "server/run/page_script.hpp"

#include "server/run/repl_bridge.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cmath>

namespace wasmdev::run {

std::string page_script(std::optional<std::vector<std::string>> const& args, std::string_view binding) {
    // The ARGs and the binding's name go in as JSON literals: any byte of an ARG stays data.
    std::string args_js = "null";
    if (args) {
        boost::json::array a;
        for (auto const& s : *args) a.emplace_back(s);
        args_js = boost::json::serialize(a);
    }
    std::string script = R"JS((() => {
  'use strict';
  if (globalThis.wasmdevRun) return;
  // Looked up when used: the binding can reach a new document after this script has run.
  const binding = BINDING;
  const report = (s) => { if (typeof globalThis[binding] === 'function') globalThis[binding](s); };
  const args = ARGS;
  let exited = false;
  const exit = (code) => {
    if (exited) return;
    exited = true;
    const n = Number(code);
    report(JSON.stringify({exit: Number.isFinite(n) ? Math.trunc(n) : 1}));
  };
REPL_BRIDGE
  Object.defineProperty(globalThis, 'wasmdevRun', {value: Object.freeze({exit, stdin: replStdin}), enumerable: false});
  const patch = (m) => {
    if (m === null || (typeof m !== 'object' && typeof m !== 'function')) return m;
    try {
      if (Object.prototype.hasOwnProperty.call(m, '__wasmdevRun')) return m;
      Object.defineProperty(m, '__wasmdevRun', {value: true});
      let theirs = m.quit;
      const quit = function (status, toThrow) {
        exit(status);
        if (typeof theirs === 'function') return theirs.apply(this, arguments);
        throw toThrow;
      };
      Object.defineProperty(m, 'quit', {get: () => quit, set: (f) => { theirs = f; }, enumerable: true, configurable: true});
      if (args !== null) {
        Object.defineProperty(m, 'arguments', {get: () => args.slice(), set: () => {}, enumerable: true, configurable: true});
      }
    } catch (e) {
      // A frozen or exotic object: the page keeps it as it is, and can still call wasmdevRun.exit.
    }
    return m;
  };
  // A MODULARIZE factory (any EXPORT_NAME) or an EXPORT_ES6 module never sees the global Module:
  // its runtime reads Module['quit'] and Module['arguments'] once, from the object the page
  // passes (or a fresh {}). An object without its own finds ours through Object.prototype:
  // non-enumerable, and writable (quit) or with a setter (arguments) that gives the object an
  // own property, so a page's assignment works as before. The global object gets its own
  // undefined ones, so that a bare `quit` or `arguments` at the top level stays undefined.
  const inherit = (name, get) => {
    try {
      Object.defineProperty(globalThis, name, {value: undefined, writable: true, configurable: true});
      Object.defineProperty(Object.prototype, name, {
        get, enumerable: false, configurable: true,
        set(v) { Object.defineProperty(this, name, {value: v, writable: true, enumerable: true, configurable: true}); },
      });
    } catch (e) {
      // A page that froze Object.prototype first: it can still call wasmdevRun.exit.
    }
  };
  const inheritedQuit = function (status, toThrow) {
    exit(status);
    throw toThrow;  // Emscripten's default for the web: unwinds to callMain, which catches it
  };
  inherit('quit', () => inheritedQuit);
  if (args !== null) inherit('arguments', () => args.slice());
  let current = patch({});
  Object.defineProperty(globalThis, 'Module', {
    get: () => current,
    set: (m) => { current = patch(m); },
    enumerable: true,
    configurable: true,
  });
})();
)JS";
    auto put = [&](std::string_view key, std::string const& value) {
        auto at = script.find(key);
        script.replace(at, key.size(), value);
    };
    put("BINDING", boost::json::serialize(boost::json::value(binding)));
    put("ARGS", args_js);
    put("REPL_BRIDGE", repl_bridge_script());
    return script;
}

PageReport read_report(std::string_view payload) {
    PageReport r;
    boost::system::error_code ec;
    auto v = boost::json::parse(payload, ec);
    if (ec || !v.is_object()) return r;
    auto const& o = v.get_object();
    if (o.size() != 1) return r;
    if (auto const* e = o.if_contains("exit")) {
        std::optional<int> code;
        if (e->is_int64())
            code = int(e->get_int64() & 0x7fffffff);
        else if (e->is_uint64())
            code = int(e->get_uint64() & 0x7fffffff);
        else if (e->is_double() && std::fabs(e->get_double()) < 1e18)
            code = int((long long)e->get_double() & 0x7fffffff);
        if (code) r = {PageReport::Kind::exit, *code, {}};
    } else if (auto const* t = o.if_contains("out"); t && t->is_string()) {
        r = {PageReport::Kind::out, 0, std::string(t->get_string())};
    } else if (auto const* t2 = o.if_contains("err"); t2 && t2->is_string()) {
        r = {PageReport::Kind::err, 0, std::string(t2->get_string())};
    } else if (auto const* s = o.if_contains("stdin"); s && s->is_bool() && s->get_bool()) {
        r.kind = PageReport::Kind::stdin_request;
    }
    return r;
}

std::optional<int> exit_request(std::string_view payload) {
    auto r = read_report(payload);
    if (r.kind != PageReport::Kind::exit) return std::nullopt;
    return r.code;
}

std::string stdin_answer(std::optional<std::string> const& line) {
    // The line goes in as a JSON literal: any byte of our stdin stays data.
    return "wasmdevRun.stdin(" + (line ? boost::json::serialize(boost::json::value(*line)) : std::string("null")) + ")";
}

}  // namespace wasmdev::run
