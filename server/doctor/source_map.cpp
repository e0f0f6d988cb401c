#include "server/doctor/source_map.hpp"

#include <boost/json/parse.hpp>

namespace wasmdev::doctor {

SourceMap parse_source_map(std::string_view text) {
    SourceMap m;
    boost::system::error_code ec;
    boost::json::parse_options opts;
    opts.max_depth = 16;
    auto v = boost::json::parse(text, ec, {}, opts);
    if (ec) {
        m.error = "not JSON (" + ec.message() + ")";
        return m;
    }
    auto const* obj = v.if_object();
    if (!obj) {
        m.error = "not a JSON object";
        return m;
    }
    if (auto const* root = obj->if_contains("sourceRoot"); root && root->is_string())
        m.source_root = std::string(root->get_string());
    auto const* sources = obj->if_contains("sources");
    if (!sources || !sources->is_array()) {
        m.error = obj->contains("sections") ? "an indexed map (\"sections\"), which this check does not read"
                                            : "no \"sources\" array";
        return m;
    }
    boost::json::array const* contents = nullptr;
    if (auto const* c = obj->if_contains("sourcesContent"); c && c->is_array()) contents = &c->get_array();
    auto const& arr = sources->get_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
        m.sources.push_back(arr[i].is_string() ? std::string(arr[i].get_string()) : std::string());
        m.has_content.push_back(contents && i < contents->size() && (*contents)[i].is_string());
    }
    return m;
}

}  // namespace wasmdev::doctor
