// The small HTML error pages (docs/design.md#errors): status, reason phrase and a one-line cause.
// Every error status in the pipeline is rendered here and nowhere else.
#pragma once
#include <string>
#include <string_view>

namespace wasmdev::http {

std::string_view reason_phrase(unsigned status);

// HTML-escapes text for element content and attribute values.
std::string html_escape(std::string_view text);
// The same, appended to out.
void append_html_escaped(std::string& out, std::string_view text);

std::string render_error_page(unsigned status, std::string_view cause);

}  // namespace wasmdev::http
