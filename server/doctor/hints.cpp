#include "server/doctor/hints.hpp"

#include <fmt/format.h>

#include "server/doctor/diagnose.hpp"
#include "server/doctor/facts.hpp"
#include "server/doctor/loader.hpp"
#include "server/doctor/render.hpp"
#include "server/doctor/url.hpp"

namespace wasmdev::doctor {

std::vector<ReferencedUrl> referenced_debug_urls(std::span<std::uint8_t const> module_bytes,
                                                 std::string_view module_url) {
    return referenced_debug_urls(read_module_facts(module_bytes), module_url);
}

std::vector<ReferencedUrl> referenced_debug_urls(ModuleFacts const& facts, std::string_view module_url) {
    std::vector<ReferencedUrl> out;
    auto base = parse_url(module_url);
    if (!base || !facts.is_wasm) return out;
    std::optional<Url> symbols;
    if (facts.external_debug_info) {
        symbols = resolve_source_path({}, *facts.external_debug_info, *base);
        if (symbols) out.push_back({"external_debug_info", symbols->href(), false});
    } else if (facts.has_dwarf) {
        symbols = *base;
    }
    if (symbols) out.push_back({"dwp", symbols->href() + ".dwp", true});
    if (facts.has_dwarf && !facts.external_debug_info)
        for (auto const& u : facts.dwarf.units)
            if (!u.dwo_name.empty() && !u.gnu_dwo && u.version >= 5)
                if (auto dwo = resolve_reference(u.dwo_name, *base)) out.push_back({"dwo", dwo->href(), false});
    if (facts.source_mapping_url)
        if (auto map = resolve_reference(*facts.source_mapping_url, *base))
            out.push_back({"source map", map->href(), false});
    return out;
}

ReplHint repl_hint(std::filesystem::path const& module_file, std::filesystem::path const& root,
                   std::string_view root_url) {
    ReplHint h;
    h.substitutions_json = "[]";
    auto url = parse_url(root_url);
    std::error_code ec;
    auto abs_root = std::filesystem::absolute(root, ec);
    auto rel = std::filesystem::relative(std::filesystem::absolute(module_file, ec), abs_root, ec).generic_string();
    auto bytes = read_whole_file(module_file);
    if (!url || ec || rel.empty() || rel.starts_with("..") || !bytes) {
        h.paragraph = fmt::format("wasmdev doctor could not read {} under {}.", module_file.string(), root.string());
        h.exit_code = 1;
        return h;
    }
    if (!url->path.ends_with("/")) url->path += '/';
    Context ctx{root_spellings(abs_root), *url};
    auto report = diagnose(rel, read_module_facts(*bytes), ctx, root_file_access(abs_root));
    h.exit_code = report.exit_code();
    h.substitutions_json = substitutions_json(report.substitutions);
    auto c = [&](SourceClass k) { return report.counts[std::size_t(k)]; };
    if (report.kinds.empty()) {
        h.paragraph = fmt::format("{} carries no debug info; a -debug profile should have -g.", rel);
    } else if (!report.substitutions.empty()) {
        h.paragraph = fmt::format(
            "DevTools C/C++ debugging: {} of {}'s {} source files have absolute paths under {}; paste {} into the "
            "C/C++ DevTools Support (DWARF) extension's path substitutions so DevTools fetches them from this "
            "server{}.",
            c(SourceClass::via_substitution), rel, report.sources.size(), ctx.root_dirs.front(), h.substitutions_json,
            report.compiler_flag.empty() ? "" : " (or rebuild with " + report.compiler_flag + ")");
    } else {
        h.paragraph = fmt::format("DevTools C/C++ debugging: {}'s {} source files resolve without path substitutions.",
                                  rel, report.sources.size());
    }
    auto const lost = c(SourceClass::missing) + c(SourceClass::outside_root);
    if (h.exit_code != 0 && lost > 0)
        h.paragraph += fmt::format(
            " {} source files are missing or outside the served tree; run `wasmdev doctor {}` for the list.", lost,
            module_file.string());
    else if (h.exit_code != 0)
        h.paragraph += fmt::format(" Something will not load; `wasmdev doctor {}` says what.", module_file.string());
    return h;
}

}  // namespace wasmdev::doctor
