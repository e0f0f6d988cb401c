#include "server/http/serialize.hpp"

#include <charconv>

#include "server/http/error_page.hpp"

namespace wasmdev::http {

bool status_has_body(unsigned status) { return status >= 200 && status != 204 && status != 304; }

void serialize_head(ResponsePlan const& plan, unsigned version, bool keep_alive, std::string_view date,
                    std::string& out) {
    out.clear();
    char num[24];
    auto put_number = [&](std::uint64_t n) {
        auto [end, ec] = std::to_chars(num, num + sizeof num, n);
        out.append(num, end);
    };
    out += "HTTP/1.1 ";
    put_number(plan.status);
    out += ' ';
    out += reason_phrase(plan.status);
    out += "\r\nServer: wasmdev\r\n";
    if (!date.empty()) {
        out += "Date: ";
        out += date;
        out += "\r\n";
    }
    for (auto const& [name, value] : plan.headers) {
        out += name;
        out += ": ";
        out += value;
        out += "\r\n";
    }
    if (status_has_body(plan.status)) {
        if (plan.content_length) {
            out += "Content-Length: ";
            put_number(*plan.content_length);
            out += "\r\n";
        } else {
            out += "Transfer-Encoding: chunked\r\n";
        }
    }
    // HTTP/1.1 keeps connections open unless told; HTTP/1.0 closes unless told.
    if (!keep_alive)
        out += "Connection: close\r\n";
    else if (version < 11)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
}

}  // namespace wasmdev::http
