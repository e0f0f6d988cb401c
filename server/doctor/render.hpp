// The doctor's reports as a person reads them in a terminal (optionally coloured) and as JSON
// for tools. Formatting only: the verdicts come from diagnose().
#pragma once
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "server/doctor/diagnose.hpp"

namespace wasmdev::doctor {

struct RenderOptions {
    bool color = false;
    std::size_t list_limit = 10;  // text: sources listed per failing class before "... and N more"
    std::string root{};           // ROOT as shown to the user
    std::string root_url{};
};

std::string render_text(std::vector<Report> const& reports, RenderOptions const& o);
std::string render_json(std::vector<Report> const& reports, RenderOptions const& o);
// One element of render_json's "modules" array (the self-check page's list keeps it).
boost::json::object render_json_module(Report const& r);

// The extension's options JSON for these substitutions: [{"from": ..., "to": ...}].
std::string substitutions_json(std::vector<PathSubstitution> const& subs);

// 0 when every report is 0, else 1.
int overall_exit_code(std::vector<Report> const& reports);

}  // namespace wasmdev::doctor
