// The report from a walk (assess.hpp).
#include "server/check/assess.hpp"

#include <algorithm>

#include "server/check/url.hpp"

namespace wasmdev::check {

Report assess(Crawl crawl, Context ctx) {
    Report r;
    r.page_url = ctx.page_url;
    if (ctx.deploy_format.empty() && !crawl.resources.empty()) {
        auto const& page = crawl.resources.front();
        ctx.deploy_format = suggest_format(combined_header(page.headers, "Server").value_or(""), host_of(page.url));
    }
    for (auto const& o : crawl.resources) {
        auto ps = judge_resource(o, ctx);
        r.problems.insert(r.problems.end(), ps.begin(), ps.end());
    }
    auto iso = judge_isolation(crawl.resources, ctx);
    r.isolated = iso.isolated;
    r.problems.insert(r.problems.end(), iso.problems.begin(), iso.problems.end());
    // Errors first, then warnings, then notes; within a severity, in the order found.
    std::stable_sort(r.problems.begin(), r.problems.end(),
                     [](auto const& a, auto const& b) { return int(a.severity) < int(b.severity); });
    r.works = page_works(r.problems);
    r.resources = std::move(crawl.resources);
    r.skipped = std::move(crawl.skipped);
    return r;
}

}  // namespace wasmdev::check
