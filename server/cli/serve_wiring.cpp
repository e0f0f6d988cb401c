// The doctor's ServedModules behind http::ModuleWatch, for every command that serves.
#include "server/cli/serve_wiring.hpp"

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

#include "server/doctor/served_modules.hpp"

namespace wasmdev::cli {

ModuleDiagnosis::ModuleDiagnosis() = default;
ModuleDiagnosis::ModuleDiagnosis(ModuleDiagnosis&&) noexcept = default;
ModuleDiagnosis::~ModuleDiagnosis() = default;

ModuleDiagnosis make_module_diagnosis(std::filesystem::path const& root) {
    ModuleDiagnosis d;
    std::error_code ec;  // absolute() fails only without a current directory: root is used as given
    d.modules = std::make_unique<doctor::ServedModules>(
        std::filesystem::absolute(root, ec),
        doctor::ServedModules::Options{.warn = [](std::string const& line) { spdlog::warn("{}", line); },
                                       .note = [](std::string const& line) { spdlog::debug("{}", line); }});
    auto* m = d.modules.get();
    d.watch.served = [m](std::string_view path, std::string_view rel) { m->note_module(path, rel); };
    d.watch.not_found = [m](std::string_view path) { return m->on_not_found(path); };
    d.watch.modules_json = [m](std::string_view origin) { return m->modules_json(origin); };
    return d;
}

}  // namespace wasmdev::cli
