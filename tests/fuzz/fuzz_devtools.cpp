// The DevTools pipe's bytes as a page and a browser could make them: framing (any split, any
// size), message decoding, console formatting, and the run-side readers of what a page reports
// (the binding's {"exit":N}, emrun's POST bodies). Nothing throws or crashes, the framer holds
// at most its cap, and a formatted line is bounded by its arguments.
#include <cstdint>
#include <string>
#include <variant>

#include "server/browser/console_text.hpp"
#include "server/browser/devtools_message.hpp"
#include "server/browser/frames.hpp"
#include "server/run/emrun.hpp"
#include "server/run/page_script.hpp"
#include "tests/fuzz/check.hpp"

using namespace wasmdev;
using fuzz::check;

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
    return 0;
}
