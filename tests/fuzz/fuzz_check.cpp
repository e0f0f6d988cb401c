// What `wasmdev check` reads from outside: a page and its scripts (the reference scanners),
// compressed bodies (bounded decoding), header fields (the judges) and DevTools events
// (check --browser). Nothing throws or crashes; every reference is a literal of the input no
// longer than the cap, the count is capped, decoding stops at its cap, and the report renders.
#include <boost/json/parse.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "server/check/decode.hpp"
#include "server/check/judge.hpp"
#include "server/check/network_events.hpp"
#include "server/check/render.hpp"
#include "server/check/scan.hpp"
#include "server/check/url.hpp"
#include "tests/fuzz/check.hpp"

using namespace wasmdev;
using fuzz::check;

namespace {

void check_refs(std::vector<check::Reference> const& refs, std::string_view in) {
    fuzz::check(refs.size() <= check::max_references, "at most max_references references", in);
    for (auto const& r : refs) {
        fuzz::check(!r.url.empty() && r.url.size() <= check::max_reference_length, "a reference is short", in);
        fuzz::check(in.find(r.url) != std::string_view::npos, "a reference is a literal of the input", in);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const in(reinterpret_cast<char const*>(data), size);
    check_refs(check::scan_html(in), in);
    check_refs(check::scan_script(in, true), in);
    check_refs(check::scan_script(in, false), in);

    for (std::string_view coding : {"gzip", "deflate", "br", "identity"}) {
        auto out = check::decode_body(coding, in, 4096);
        fuzz::check(!out || out->size() <= 4096, "decoding stops at its cap", in);
    }
    (void)check::decode_network_event(in);

    // The input's lines as header fields of a page, a worker and a cross-origin wasm.
    std::vector<check::Header> headers;
    std::string_view rest = in;
    while (!rest.empty() && headers.size() < 64) {
        auto [line, tail] = fuzz::split_once(rest);
        auto colon = line.find(':');
        if (colon != std::string_view::npos)
            headers.push_back({std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))});
        rest = tail;
    }
    check::Context ctx;
    ctx.page_url = "http://127.0.0.1:8000/";
    std::vector<check::Observed> all;
    for (auto kind : {check::Kind::page, check::Kind::worker, check::Kind::wasm}) {
        check::Observed o;
        o.kind = kind;
        o.url = kind == check::Kind::page ? ctx.page_url : "http://127.0.0.1:8000/x.wasm";
        o.cross_origin = kind == check::Kind::wasm;
        o.status = 200;
        o.headers = headers;
        (void)check::judge_resource(o, ctx);
        all.push_back(o);
    }
    check::Report report;
    report.page_url = ctx.page_url;
    report.problems = check::judge_isolation(all, ctx).problems;
    report.resources = all;
    (void)check::render_text(report);
    boost::system::error_code ec;
    (void)boost::json::parse(check::render_json(report), ec);
    fuzz::check(!ec, "the JSON report parses, whatever bytes the headers held", in);
    (void)check::resolve_url("http://127.0.0.1:8000/a/", in);
    (void)check::is_content_hashed(in);
    return 0;
}
