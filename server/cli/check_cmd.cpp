// `wasmdev check URL`: fetches a deployed page and what it loads, as a browser would, and says
// per resource whether the browser will use it (status, MIME type, COOP/COEP/CORP, compression,
// caching, ranges), whether the page will be cross-origin isolated, and the fix for each
// problem (docs/check.md). Exit 0: the page would work; 1: it would not; 2: bad usage.
#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "server/browser/chromium.hpp"
#include "server/check/assess.hpp"
#include "server/check/browser_load.hpp"
#include "server/check/fetch.hpp"
#include "server/check/render.hpp"
#include "server/check/url.hpp"
#include "server/cli/commands.hpp"
#include "server/deploy/formats.hpp"

namespace wasmdev::cli {
namespace {

struct CheckOptions {
    std::string url{};
    bool json = false;
    bool browser = false;
    std::string browser_binary{};
    std::string format{};
    bool no_isolation = false;
    std::size_t max_resources = 200;
    double timeout_s = 120;
};

int run_check(CheckOptions const& o) {
    std::string error;
    if (!check::split_url(o.url, error)) {
        fmt::print(stderr, "wasmdev: error: URL {}: {}\n", o.url, error);
        return 2;
    }
    // No Chromium for --browser is bad usage, as for `wasmdev run`: said before any fetch.
    char const* env_browser = std::getenv("WASMDEV_BROWSER");
    char const* path = std::getenv("PATH");
    browser::Located located;
    if (o.browser) {
        located = browser::locate_browser(o.browser_binary, env_browser ? env_browser : "", path ? path : "");
        if (located.path.empty()) {
            // locate_browser speaks `run`'s flag (--browser PATH); check's is --browser-binary.
            auto why = located.error;
            for (std::string_view from : {"--browser PATH", "--browser "})
                if (auto at = why.find(from); at != std::string::npos)
                    why.replace(at, from.size(),
                                from == "--browser PATH" ? "--browser-binary PATH" : "--browser-binary ");
            fmt::print(stderr, "wasmdev: error: --browser: {}\n", why);
            return 2;
        }
    }
    check::Limits limits;
    limits.max_resources = o.max_resources;
    limits.total_timeout = std::chrono::milliseconds(static_cast<long long>(o.timeout_s * 1000));
    check::Context ctx;
    ctx.page_url = o.url;
    ctx.isolation_required = !o.no_isolation;
    ctx.deploy_format = o.format;
    auto report = check::assess(check::crawl(o.url, limits), ctx);
    if (o.browser) {
        auto loaded = check::load_in_browser(o.url, located.path, limits.total_timeout);
        report.has_browser = true;
        report.browser_error = loaded.error;
        report.browser_isolated = loaded.cross_origin_isolated;
        report.browser_blocked = loaded.blocked;
        if (!loaded.error.empty() || !loaded.blocked.empty() ||
            (ctx.isolation_required && !loaded.cross_origin_isolated))
            report.works = false;
    }
    auto out = o.json ? check::render_json(report) : check::render_text(report);
    std::fwrite(out.data(), 1, out.size(), stdout);
    return report.works ? 0 : 1;
}

}  // namespace

Command add_check_command(CLI::App& root) {
    auto o = std::make_shared<CheckOptions>();
    auto* cmd = root.add_subcommand("check",
                                    "Check a deployed page the way a browser will load it: types, "
                                    "cross-origin isolation, compression, caching, ranges");
    cmd->add_option("URL", o->url, "The page: http://HOST/PATH or https://HOST/PATH")->required();
    cmd->add_flag("--json", o->json, "The report as one JSON object on stdout");
    cmd->add_flag("--browser", o->browser,
                  "Also load the page in headless Chromium: its crossOriginIsolated and what it blocked");
    cmd->add_option("--browser-binary", o->browser_binary,
                    "The Chromium for --browser (default: $WASMDEV_BROWSER, then /usr/bin/chromium)");
    // The choices are deploy's table: a fix names a format `wasmdev deploy` writes.
    std::vector<std::string> formats;
    for (auto const& f : deploy::formats()) formats.emplace_back(f.name);
    cmd->add_option("--format", o->format, "The deploy format to name in fixes (default: guessed from the host)")
        ->check(CLI::IsMember(formats));
    cmd->add_flag("--no-isolation", o->no_isolation,
                  "The page needs no SharedArrayBuffer: missing cross-origin isolation is a note, not an error");
    cmd->add_option("--max-resources", o->max_resources, "Fetch at most N URLs, the page included (default 200)")
        ->check(CLI::Range(1, 10000));
    cmd->add_option("--timeout", o->timeout_s, "Stop fetching after S seconds in all (default 120)")
        ->check(CLI::PositiveNumber);
    cmd->footer(
        "Exit codes: 0 the page would work; 1 it would not (a problem is an error); 2 bad usage.\n"
        "docs/check.md has what is fetched, the bounds and every rule.");
    return {cmd, [o] { return run_check(*o); }};
}

}  // namespace wasmdev::cli
