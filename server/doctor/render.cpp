#include "server/doctor/render.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "server/json/write.hpp"
#include "server/text/terminal_escape.hpp"

namespace wasmdev::doctor {
namespace {

struct Style {
    bool on = false;
    std::string paint(std::string_view code, std::string_view text) const {
        return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
    }
    std::string red(std::string_view t) const { return paint("31", t); }
    std::string yellow(std::string_view t) const { return paint("33", t); }
    std::string green(std::string_view t) const { return paint("32", t); }
    std::string bold(std::string_view t) const { return paint("1", t); }
    std::string dim(std::string_view t) const { return paint("2", t); }
};

std::string kind_text(DebugKind k) {
    switch (k) {
        case DebugKind::embedded_dwarf: return "embedded DWARF";
        case DebugKind::external_dwarf: return "separate DWARF file (external_debug_info)";
        case DebugKind::split_dwarf: return "split DWARF (.dwo/.dwp)";
        case DebugKind::source_map: return "source map (sourceMappingURL)";
    }
    return "";
}

std::string class_text(SourceClass c) {
    switch (c) {
        case SourceClass::reachable: return "reachable";
        case SourceClass::via_substitution: return "under ROOT by absolute path (needs the substitution)";
        case SourceClass::outside_root: return "absolute outside ROOT";
        case SourceClass::toolchain: return "toolchain";
        case SourceClass::missing: return "missing";
    }
    return "";
}

// Everything a report line quotes from the module (DWARF paths, section strings, names under
// ROOT) can hold ESC, OSC or BEL; printed raw, a crafted module could rewrite the terminal.
std::string esc(std::string_view s) { return text::escape_terminal(s); }

}  // namespace

std::string substitutions_json(std::vector<PathSubstitution> const& subs) {
    boost::json::array a;
    for (auto const& s : subs) a.push_back(boost::json::object{{"from", s.from}, {"to", s.to}});
    return json::write(a);
}

int overall_exit_code(std::vector<Report> const& reports) {
    for (auto const& r : reports)
        if (r.exit_code() != 0) return 1;
    return 0;
}

std::string render_text(std::vector<Report> const& reports, RenderOptions const& o) {
    Style st{o.color};
    std::string out;
    for (auto const& r : reports) {
        out += fmt::format("{}  {}\n", st.bold(esc(r.module)),
                           st.dim(fmt::format("{} bytes, {}, {}", r.size, r.mime_type, esc(r.module_url))));
        if (r.kinds.empty()) {
            out += "  debug info: none\n";
        } else {
            std::string kinds;
            for (auto k : r.kinds) kinds += (kinds.empty() ? "" : " + ") + kind_text(k);
            out += fmt::format("  debug info: {}{}\n", kinds,
                               r.dwarf_units ? fmt::format(" ({} compilation units)", r.dwarf_units) : std::string());
        }
        for (auto const& f : r.debug_files) {
            std::string mark = f.exists ? st.green("found  ") : f.optional ? st.dim("absent ") : st.red("MISSING");
            out += fmt::format("  {} {:<19} {}{}\n", mark, f.role, esc(f.url.empty() ? f.reference : f.url),
                               f.note.empty() ? "" : st.dim(" (" + esc(f.note) + ")"));
        }
        if (!r.sources.empty()) {
            auto c = [&](SourceClass k) { return r.counts[std::size_t(k)]; };
            out +=
                fmt::format("  sources: {} reachable, {} via substitution, {} outside ROOT, {} toolchain, {} missing\n",
                            c(SourceClass::reachable), c(SourceClass::via_substitution), c(SourceClass::outside_root),
                            c(SourceClass::toolchain), c(SourceClass::missing));
            for (auto cls : {SourceClass::missing, SourceClass::outside_root, SourceClass::via_substitution}) {
                std::size_t shown = 0;
                for (auto const& s : r.sources) {
                    if (s.cls != cls) continue;
                    if (shown == 0) out += fmt::format("    {}:\n", class_text(cls));
                    if (shown++ >= o.list_limit) continue;
                    out += fmt::format("      {}{}\n", esc(s.path), st.dim(s.url.empty() ? "" : "  -> " + esc(s.url)));
                }
                if (shown > o.list_limit)
                    out += fmt::format("      ... and {} more (--json lists all)\n", shown - o.list_limit);
            }
        }
        if (!r.substitutions.empty()) {
            out += "  path substitutions for the C/C++ DevTools extension's options (from -> to, first match wins):\n";
            out += "    " + esc(substitutions_json(r.substitutions)) + "\n";
        }
        if (!r.compiler_flag.empty()) out += "  or compile with: " + esc(r.compiler_flag) + "\n";
        for (auto const& f : r.findings) {
            std::string label = f.severity == Severity::error     ? st.red("error")
                                : f.severity == Severity::warning ? st.yellow("warning")
                                                                  : st.dim("note");
            out += fmt::format("  {}: {}\n", label, esc(f.message));
            if (!f.fix.empty()) out += fmt::format("    fix: {}\n", esc(f.fix));
        }
        out += r.exit_code() == 0 ? fmt::format("  {}\n\n", st.green("verdict: loads"))
                                  : fmt::format("  {}\n\n", st.red("verdict: something will not load"));
    }
    return out;
}

namespace {

boost::json::object module_object(Report const& r) {
    boost::json::array kinds, files, sources, findings;
    for (auto k : r.kinds) kinds.emplace_back(name_of(k));
    for (auto const& f : r.debug_files)
        files.push_back(boost::json::object{{"role", f.role},
                                            {"reference", f.reference},
                                            {"url", f.url},
                                            {"root_path", f.root_path},
                                            {"exists", f.exists},
                                            {"optional", f.optional},
                                            {"note", f.note}});
    for (auto const& s : r.sources)
        sources.push_back(boost::json::object{
            {"path", s.path}, {"url", s.url}, {"class", name_of(s.cls)}, {"root_path", s.root_path}, {"note", s.note}});
    boost::json::object counts;
    for (std::size_t i = 0; i < source_class_count; ++i) counts[name_of(SourceClass(i))] = r.counts[i];
    boost::json::array subs;
    for (auto const& s : r.substitutions) subs.push_back(boost::json::object{{"from", s.from}, {"to", s.to}});
    for (auto const& f : r.findings)
        findings.push_back(
            boost::json::object{{"severity", name_of(f.severity)}, {"message", f.message}, {"fix", f.fix}});
    return boost::json::object{{"module", r.module},
                               {"url", r.module_url},
                               {"size", r.size},
                               {"mime_type", r.mime_type},
                               {"kinds", kinds},
                               {"symbols_url", r.symbols_url},
                               {"debug_files", files},
                               {"counts", counts},
                               {"sources", sources},
                               {"substitutions", subs},
                               {"compiler_flag", r.compiler_flag},
                               {"dwarf_units", r.dwarf_units},
                               {"shared_memory", r.shared_memory},
                               {"findings", findings},
                               {"exit_code", r.exit_code()}};
}

}  // namespace

boost::json::object render_json_module(Report const& r) { return module_object(r); }

std::string render_json(std::vector<Report> const& reports, RenderOptions const& o) {
    boost::json::array modules;
    for (auto const& r : reports) modules.push_back(module_object(r));
    boost::json::object top{
        {"root", o.root}, {"url", o.root_url}, {"modules", modules}, {"exit_code", overall_exit_code(reports)}};
    return json::write_document(top);
}

}  // namespace wasmdev::doctor
