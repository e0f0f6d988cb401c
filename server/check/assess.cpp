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
    // What was not fetched was not checked: the page itself missing fails the check; anything
    // else a limit left out is a warning, so a truncated walk never reads as a clean pass.
    bool const page_fetched = !crawl.resources.empty() && crawl.resources.front().kind == Kind::page;
    if (!page_fetched)
        r.problems.push_back(
            {Severity::error, ctx.page_url, "fetch",
             "the page was not fetched" + (crawl.skipped.empty() ? std::string() : ": " + crawl.skipped.front()),
             "make the page reachable, or allow more time (--timeout)"});
    for (auto const& s : crawl.skipped)
        if (page_fetched)
            r.problems.push_back({Severity::warning, ctx.page_url, "limits", "not checked: " + s,
                                  "raise --max-resources or --timeout to check the rest"});
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
