#include "server/http/error_page.hpp"

#include <fmt/format.h>

namespace wasmdev::http {

std::string_view reason_phrase(unsigned status) {
    switch (status) {
        case 200: return "OK";
        case 204: return "No Content";
        case 206: return "Partial Content";
        case 301: return "Moved Permanently";
        case 304: return "Not Modified";
        case 307: return "Temporary Redirect";
        case 400: return "Bad Request";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 406: return "Not Acceptable";
        case 408: return "Request Timeout";
        case 412: return "Precondition Failed";
        case 413: return "Content Too Large";
        case 416: return "Range Not Satisfiable";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 503: return "Service Unavailable";
        case 505: return "HTTP Version Not Supported";
        default: return "Error";
    }
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_html_escaped(out, text);
    return out;
}

void append_html_escaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
}

std::string render_error_page(unsigned status, std::string_view cause) {
    auto reason = reason_phrase(status);
    return fmt::format(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0} {1}</title>"
        "<style>body{{font:15px/1.5 system-ui,sans-serif;margin:2em;color:#222}}code{{background:#eee;padding:0 "
        ".2em}}</style>"
        "</head>\n<body><h1>{0} {1}</h1>\n<p>{2}</p>\n<hr><p><small>wasmdev</small></p></body></html>\n",
        status, reason, html_escape(cause));
}

}  // namespace wasmdev::http
