// Console routing and the --json line (see output.hpp).
#include "server/run/output.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace wasmdev::run {

Stream stream_for(std::string_view type) {
    if (type == "error" || type == "warning" || type == "assert" || type == "trace") return Stream::err;
    return Stream::out;
}

std::string_view stream_name(Stream s) { return s == Stream::err ? "stderr" : "stdout"; }

std::string json_line(Stream s, std::string_view url, double time_ms, std::string_view text) {
    boost::json::object o;
    o["stream"] = stream_name(s);
    o["url"] = url;
    o["time"] = time_ms;
    // Invalid UTF-8 cannot come from the browser (its JSON is UTF-8), but the serializer would
    // pass it through as it is anyway; the line stays one line because \n is escaped.
    o["text"] = text;
    auto line = boost::json::serialize(o);
    line += '\n';
    return line;
}

}  // namespace wasmdev::run
