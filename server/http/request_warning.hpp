// The serve-time warning line about one request: its target, then the note the handler left
// on the plan (a missing .wasm, a debug file a served module names). A terminal shows it, so
// both are escaped exactly as the access line escapes a target (append_log_escaped): the
// client's bytes are shown, never acted on. Pure; the session logs the line.
#pragma once
#include <string>
#include <string_view>

namespace wasmdev::http {

// "/app.wasm a .wasm was requested that does not exist: ...", escaped.
std::string request_warning(std::string_view target, std::string_view note);

}  // namespace wasmdev::http
