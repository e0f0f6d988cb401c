// The injected script's text and the reading of its reports (see page_script.hpp).
#include "server/run/page_script.hpp"

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
  Object.defineProperty(globalThis, 'wasmdevRun', {value: Object.freeze({exit}), enumerable: false});
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
    return script;
}

std::optional<int> exit_request(std::string_view payload) {
    boost::system::error_code ec;
    auto v = boost::json::parse(payload, ec);
    if (ec || !v.is_object()) return std::nullopt;
    auto const* e = v.get_object().if_contains("exit");
    if (!e) return std::nullopt;
    if (e->is_int64()) return int(e->get_int64() & 0x7fffffff);
    if (e->is_uint64()) return int(e->get_uint64() & 0x7fffffff);
    if (e->is_double() && std::fabs(e->get_double()) < 1e18) return int((long long)e->get_double() & 0x7fffffff);
    return std::nullopt;
}

}  // namespace wasmdev::run
