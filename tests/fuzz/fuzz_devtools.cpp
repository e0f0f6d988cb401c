// The DevTools pipe's bytes as a page and a browser could make them: framing (any split, any
// size), message decoding, console formatting, and the run-side readers of what a page reports
// (the binding's {"exit":N}, emrun's POST bodies, a paused URL under a --map prefix). Nothing
// throws or crashes, the framer holds at most its cap, a formatted line is bounded by its
// arguments, and a mapped URL never names a path above its directory.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "server/browser/console_text.hpp"
#include "server/browser/devtools_message.hpp"
#include "server/browser/frames.hpp"
#include "server/run/emrun.hpp"
#include "server/run/page_script.hpp"
#include "server/run/url_map.hpp"
#include "tests/fuzz/check.hpp"

using namespace wasmdev;
using fuzz::check;

namespace {

// A mapped URL's segments are plain names below DIR: no "..", ".", "" or separator.
void check_mapped(std::string_view url, std::string_view in) {
    static std::vector<run::UrlMap> const maps{{"https://unpkg.com/xterm@4.18.0/", "x"}, {"http://a.test/", "a"}};
    auto r = run::map_url(maps, url);
    if (r.match != run::MapMatch::mapped) return;
    std::size_t total = 0;
    for (auto const& s : r.url.segments) {
        check(!s.empty() && s != "." && s != "..", "a mapped segment is a name", in);
        check(s.find_first_of(std::string_view("/\\\0", 3)) == std::string::npos, "a mapped segment has no separator",
              in);
        total += s.size();
    }
    check(total <= url.size(), "a mapped path is no longer than its URL", in);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const in(reinterpret_cast<char const*>(data), size);
    std::size_t const cap = 4096;
    browser::FrameSplitter frames(cap);
    // Fed in uneven pieces, as reads from a pipe come.
    std::size_t at = 0, step = 1;
    while (at < in.size()) {
        auto piece = in.substr(at, step);
        frames.feed(piece, [&](std::string_view msg) {
            check(msg.size() <= cap, "a message never exceeds the cap", in);
            check(msg.find('\0') == std::string_view::npos, "a message holds no NUL", in);
            auto m = browser::decode_message(msg);
            if (auto const* c = std::get_if<browser::ConsoleCall>(&m.body)) {
                std::size_t total = 0;
                for (auto const& a : c->args) total += a.text.size() + 1;
                auto text = browser::console_text(c->args);
                check(text.size() <= total + 2 * c->args.size(), "a console line is bounded by its arguments", in);
            }
            if (auto const* b = std::get_if<browser::BindingCalled>(&m.body)) {
                auto r = run::read_report(b->payload);
                check(r.text.size() <= b->payload.size(), "a report's text is no longer than its payload", in);
            }
            if (auto const* r = std::get_if<browser::RequestPaused>(&m.body)) {
                auto p = run::parse_emrun_post(r->url, r->post_data);
                check(p.text.size() <= r->post_data.size() + r->url.size(),
                      "an emrun text is no longer than its request", in);
                check_mapped(r->url, in);
            }
        });
        check(frames.pending() <= cap, "the framer holds at most its cap", in);
        at += step;
        step = step * 3 % 61 + 1;
    }
    (void)run::exit_request(in);
    auto r = run::read_report(in);
    check(r.text.size() <= in.size(), "a report's text is no longer than its payload", in);
    (void)run::parse_emrun_post("http://localhost/stdio.html", in);
    check_mapped("https://unpkg.com/xterm@4.18.0/" + std::string(in), in);
    std::string error;
    (void)run::parse_url_map(in, error);
    check(run::fetch_pattern(in).size() <= 2 * in.size() + 1, "a pattern is bounded by its prefix", in);
    return 0;
}
