// Console routing and the --json line (see output.hpp).
#include "server/run/output.hpp"

#include <boost/json/object.hpp>

#include "server/json/write.hpp"

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
    o["text"] = text;
    return json::write_document(o);  // one line: \n inside a string is escaped
}

}  // namespace wasmdev::run
