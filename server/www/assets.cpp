#include "server/www/assets.hpp"

namespace wasmdev::www {

Asset const* find_asset(std::string_view relative_path) {
    bool const is_dir = relative_path.empty() || relative_path.ends_with('/');
    for (auto const& a : assets()) {
        if (is_dir ? (a.path.starts_with(relative_path) && a.path.substr(relative_path.size()) == "index.html")
                   : a.path == relative_path)
            return &a;
    }
    return nullptr;
}

}  // namespace wasmdev::www
