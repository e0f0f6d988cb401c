// The report of `wasmdev check`: one line per resource (status, kind, type, coding, size,
// URL), then every problem with its fix, the cross-origin isolation verdict and the result;
// or the same as one JSON object (--json, Boost.JSON). Every string from the server is
// escaped for a terminal. Decides nothing: the judges did.
#pragma once
#include <string>
#include <vector>

#include "server/check/judge.hpp"
#include "server/check/resource.hpp"

namespace wasmdev::check {

struct Report {
    std::string page_url{};
    std::vector<Observed> resources{};
    std::vector<Problem> problems{};
    std::vector<std::string> skipped{};
    bool isolated = false;
    bool works = false;
    // --browser: what headless Chromium said; has_browser false when it was not asked.
    bool has_browser = false;
    bool browser_isolated = false;
    std::vector<std::pair<std::string, std::string>> browser_blocked{};  // URL, blockedReason
    std::string browser_error{};
};

std::string render_text(Report const& r);
std::string render_json(Report const& r);

}  // namespace wasmdev::check
