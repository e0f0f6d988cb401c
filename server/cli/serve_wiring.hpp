// What a command that starts a server plugs into it from the folders beside net/: the
// serve-time module diagnosis (docs/design.md#serve-diagnosis) is the doctor's
// ServedModules behind http::ModuleWatch. net/ knows only the http interface.
#pragma once
#include <filesystem>
#include <memory>

#include "server/http/services.hpp"

namespace wasmdev::doctor {
class ServedModules;
}

namespace wasmdev::cli {

// Owns the doctor's reader; must outlive the server it is given to (declare it first).
struct ModuleDiagnosis {
    std::unique_ptr<doctor::ServedModules> modules{};
    http::ModuleWatch watch{};  // calls into modules; give a copy to net::Server / run_server
    ModuleDiagnosis();
    ModuleDiagnosis(ModuleDiagnosis&&) noexcept;
    ~ModuleDiagnosis();
};

// The diagnosis for a server of root: warnings at warn level, notes at debug.
ModuleDiagnosis make_module_diagnosis(std::filesystem::path const& root);

}  // namespace wasmdev::cli
