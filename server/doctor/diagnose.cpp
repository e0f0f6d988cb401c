#include "server/doctor/diagnose.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "mime/mime.hpp"
#include "server/doctor/source_map.hpp"
#include "server/doctor/toolchain.hpp"

namespace wasmdev::doctor {
namespace {

struct Diagnosis {
    Report& r;
    Context const& ctx;
    FileAccess const& files;
    std::set<std::string> roots_used{};  // prefixes that map to ROOT: its spellings, or where the build ran

    // Findings past max_findings are counted, not kept: the reader already gives one line per
    // kind of problem, and this bounds what is left (one per missing .dwo, say).
    static constexpr std::size_t max_findings = 100;
    std::size_t findings_dropped = 0;
    Severity dropped_worst = Severity::info;

    void add(Severity s, std::string message, std::string fix = {}) {
        if (r.findings.size() >= max_findings) {
            ++findings_dropped;
            dropped_worst = std::max(dropped_worst, s);
            return;
        }
        r.findings.push_back({s, std::move(message), std::move(fix)});
    }

    // The count of what add() dropped, as severe as the worst of it: the verdict stays right.
    void finish() {
        if (findings_dropped > 0)
            r.findings.push_back({dropped_worst, fmt::format("... and {} more findings", findings_dropped), ""});
    }

    // Looks a URL up on the server: fills url, root_path, exists.
    DebugFile locate(std::string role, std::string reference, std::optional<Url> const& url) {
        DebugFile f;
        f.role = std::move(role);
        f.reference = std::move(reference);
        if (!url) {
            f.note = "not a URL DevTools can form";
            return f;
        }
        f.url = url->href();
        auto rp = to_root_path(*url, ctx.root_url);
        if (!rp.servable) {
            f.note = rp.reason;
            return f;
        }
        f.root_path = rp.relative;
        f.exists = files.exists && files.exists(rp.relative);
        return f;
    }

    // A DWARF path, as resolveSourcePathToURL(pathSubstitutions = [], path, symbolsURL) gives it.
    Source classify_dwarf(std::string const& path, Url const& symbols_url) {
        Source s;
        s.path = path;
        if (auto const* t = match_toolchain(path)) {
            s.cls = SourceClass::toolchain;
            s.note = std::string(t->origin);
            return s;
        }
        auto url = resolve_source_path({}, path, symbols_url);
        if (!url) {
            s.cls = SourceClass::missing;
            s.note = "not a URL DevTools can form";
            return s;
        }
        s.url = url->href();
        if (url->scheme == "file") {
            for (auto const& root : ctx.root_dirs) {
                if (path.size() > root.size() + 1 && path.starts_with(root) && path[root.size()] == '/') {
                    s.root_path = path.substr(root.size() + 1);
                    bool const found = files.exists && files.exists(s.root_path);
                    s.cls = found ? SourceClass::via_substitution : SourceClass::missing;
                    s.note = found ? "absolute path under ROOT: DevTools asks for file://, the substitution maps it to "
                                     "the server"
                                   : "absolute path under ROOT, but no such file";
                    if (found) roots_used.insert(root);
                    return s;
                }
            }
            s.cls = SourceClass::outside_root;
            s.note = "absolute path outside ROOT: DevTools asks for a file:// URL the server cannot answer";
            return s;
        }
        auto rp = to_root_path(*url, ctx.root_url);
        if (!rp.servable) {
            s.cls = rp.on_server ? SourceClass::missing : SourceClass::outside_root;
            s.note = rp.reason;
            return s;
        }
        s.root_path = rp.relative;
        s.cls = files.exists && files.exists(rp.relative) ? SourceClass::reachable : SourceClass::missing;
        if (s.cls == SourceClass::missing) s.note = "the server answers 404";
        return s;
    }

    void check_dwarf(dwarf::DwarfInfo const& info, Url const& symbols_url, std::string const& holder) {
        r.dwarf_units += info.units.size();
        for (auto const& p : info.problems) add(Severity::warning, holder + ": DWARF: " + p);

        // DevTools always asks for <symbols URL>.dwp (MEMFSResourceLoader.ts); 404 is normal
        // unless the build used split DWARF without a .dwp.
        auto dwp_url = symbols_url;
        dwp_url.path += ".dwp";
        auto dwp = locate("dwp", "", dwp_url);
        dwp.optional = true;
        dwp.note = dwp.exists ? "holds the split units" : "404 is normal when the build has no .dwp";
        bool const have_dwp = dwp.exists;
        r.debug_files.push_back(dwp);

        // .dwo files: DWARFSymbols.ts fetches new URL(DW_AT_dwo_name, symbolsURL) lazily, and the
        // symbols backend lists them only for DWARF 5 units (WasmModule.cc GetSourceScripts).
        std::size_t gnu = 0, missing_dwo = 0;
        std::string first_missing;
        bool split = false;
        for (auto const& u : info.units) {
            if (u.dwo_name.empty()) continue;
            split = true;
            if (u.gnu_dwo || u.version < 5) {
                ++gnu;
                continue;
            }
            auto f = locate("dwo", u.dwo_name, resolve_reference(u.dwo_name, symbols_url));
            f.optional = have_dwp;
            if (!f.exists && !have_dwp && missing_dwo++ == 0)
                first_missing = fmt::format("split DWARF object {} is not on the server ({})", u.dwo_name,
                                            f.url.empty() ? f.note : f.url);
            r.debug_files.push_back(std::move(f));
        }
        // One finding for all of them: a build with a thousand units misses a thousand .dwo files.
        if (missing_dwo > 0)
            add(Severity::error,
                missing_dwo == 1 ? first_missing
                                 : fmt::format("{} (and {} more split DWARF objects)", first_missing, missing_dwo - 1),
                "serve them beside the debug file, or bundle the .dwo files into " + dwp.url + " with llvm-dwp");
        if (split) r.kinds.push_back(DebugKind::split_dwarf);
        if (gnu > 0 && !have_dwp)
            add(Severity::error,
                fmt::format(
                    "{} unit(s) use DWARF 4 GNU split DWARF (DW_AT_GNU_dwo_name): DevTools fetches .dwo files only "
                    "for DWARF 5 units, so their variables and types will not load",
                    gnu),
                "build with -gdwarf-5 -gsplit-dwarf (Emscripten 3.1.6's wasm-emscripten-finalize aborts on DWARF 5: "
                "use a newer emsdk), or drop -gsplit-dwarf");

        std::set<std::string> seen;
        for (auto const& u : info.units)
            for (auto const& path : u.files)
                if (seen.insert(path).second) r.sources.push_back(classify_dwarf(path, symbols_url));
        map_builds_from_elsewhere();
    }

    // A build made in another place — a container, a chroot, CI — names its sources under that
    // place's path (/src/cpython/Python/ceval.c) while ROOT holds the same tree. A path
    // substitution maps any prefix, so when the tail of such a path is a file under ROOT, the
    // prefix before it is the build's tree: DevTools then fetches the file from this server.
    // A prefix counts when it maps two files or more (one could be a coincidence, stdio.h).
    void map_builds_from_elsewhere() {
        constexpr std::size_t max_paths = 20000;
        std::map<std::string, std::vector<std::pair<std::size_t, std::string>>> by_prefix;
        std::size_t tried = 0;
        for (std::size_t i = 0; i < r.sources.size() && tried < max_paths; ++i) {
            auto const& s = r.sources[i];
            if (s.cls != SourceClass::outside_root || !s.path.starts_with('/') || !files.exists) continue;
            ++tried;
            // The longest tail under ROOT: the first '/' from the left after which the rest exists.
            // At most max_cuts lookups per path: a crafted 4 KiB path of 2000 segments would
            // cost 2000 file-system lookups each, and where a build ran is rarely 12 levels deep.
            constexpr std::size_t max_cuts = 12;
            std::size_t cuts = 0;
            for (std::size_t cut = s.path.find('/', 1); cut != std::string::npos && cuts++ < max_cuts;
                 cut = s.path.find('/', cut + 1)) {
                auto tail = s.path.substr(cut + 1);
                if (tail.empty() || tail.starts_with("../") || tail.find("/../") != std::string::npos) break;
                if (files.exists(tail)) {
                    by_prefix[s.path.substr(0, cut)].emplace_back(i, std::move(tail));
                    break;
                }
            }
        }
        for (auto& [prefix, hits] : by_prefix) {
            if (hits.size() < 2) continue;
            roots_used.insert(prefix);
            for (auto& [i, tail] : hits) {
                auto& s = r.sources[i];
                s.cls = SourceClass::via_substitution;
                s.root_path = std::move(tail);
                s.note = "built in " + prefix +
                         " (elsewhere: a container, chroot or CI); the same file is under ROOT, "
                         "and the substitution maps it to the server";
            }
        }
    }

    void suggest_substitutions(Url const& symbols_url) {
        if (roots_used.empty()) return;
        std::string to = ctx.root_url.href();
        for (auto const& root : roots_used) r.substitutions.push_back({root + "/", to});
        // Relative paths resolve against the URL of the file holding the DWARF, so the prefix
        // map must lead from that file's directory back to ROOT.
        auto rp = to_root_path(symbols_url, ctx.root_url);
        if (!rp.servable) return;
        std::size_t depth = 0;
        for (char c : rp.relative) depth += c == '/';
        std::string up = ".";
        for (std::size_t i = 0; i < depth; ++i) up = i == 0 ? ".." : up + "/..";
        std::string flag;
        for (auto const& root : roots_used)
            flag += (flag.empty() ? "" : " ") + fmt::format("-ffile-prefix-map={}={}", root, up);
        r.compiler_flag = flag;
    }

    void check_source_map(std::string const& reference, Url const& module_url) {
        r.kinds.push_back(DebugKind::source_map);
        auto map = locate("source map", reference, resolve_reference(reference, module_url));
        Url map_url;
        if (auto u = parse_url(map.url)) map_url = *u;
        bool const found = map.exists;
        r.debug_files.push_back(map);
        if (!found) {
            add(Severity::error,
                fmt::format("the source map {} is not on the server ({})", reference,
                            map.url.empty() ? map.note : map.url + (map.note.empty() ? "" : ": " + map.note)),
                "emcc -gsource-map writes NAME.wasm.map beside the module; --source-map-base sets the URL it is named "
                "by");
            return;
        }
        auto bytes = files.read ? files.read(map.root_path) : std::nullopt;
        if (!bytes) {
            add(Severity::error, "the source map " + map.root_path + " cannot be read");
            return;
        }
        auto sm = parse_source_map(std::string_view(reinterpret_cast<char const*>(bytes->data()), bytes->size()));
        if (!sm.error.empty()) {
            add(Severity::error, "the source map " + map.root_path + " is " + sm.error);
            return;
        }
        std::set<std::string> seen;
        for (std::size_t i = 0; i < sm.sources.size(); ++i) {
            std::string path = sm.sources[i];
            if (!sm.source_root.empty()) path = sm.source_root + (sm.source_root.ends_with("/") ? "" : "/") + path;
            if (!seen.insert(path).second) continue;
            Source s;
            s.path = path;
            // Source map sources are URLs relative to the map (ECMA-426 §6): "/x" is origin-relative.
            if (auto const* t = match_toolchain(sm.sources[i])) {
                s.cls = SourceClass::toolchain;
                s.note = std::string(t->origin);
            } else if (sm.has_content[i]) {
                s.cls = SourceClass::reachable;
                s.note = "its text is embedded in the map (sourcesContent)";
            } else if (auto url = resolve_reference(path, map_url)) {
                s.url = url->href();
                auto rp = to_root_path(*url, ctx.root_url);
                s.root_path = rp.relative;
                if (!rp.servable) {
                    s.cls = rp.on_server ? SourceClass::missing : SourceClass::outside_root;
                    s.note = rp.reason;
                } else {
                    s.cls = files.exists && files.exists(rp.relative) ? SourceClass::reachable : SourceClass::missing;
                    if (s.cls == SourceClass::missing) s.note = "the server answers 404";
                }
            } else {
                s.cls = SourceClass::missing;
                s.note = "not a URL DevTools can form";
            }
            r.sources.push_back(std::move(s));
        }
    }
};

std::string mib(std::uint64_t bytes) { return fmt::format("{:.1f} MiB", double(bytes) / (1 << 20)); }

}  // namespace

std::string_view name_of(DebugKind k) {
    switch (k) {
        case DebugKind::embedded_dwarf: return "embedded_dwarf";
        case DebugKind::external_dwarf: return "external_dwarf";
        case DebugKind::split_dwarf: return "split_dwarf";
        case DebugKind::source_map: return "source_map";
    }
    return "";
}

std::string_view name_of(SourceClass c) {
    switch (c) {
        case SourceClass::reachable: return "reachable";
        case SourceClass::via_substitution: return "via_substitution";
        case SourceClass::outside_root: return "outside_root";
        case SourceClass::toolchain: return "toolchain";
        case SourceClass::missing: return "missing";
    }
    return "";
}

std::string_view name_of(Severity s) {
    switch (s) {
        case Severity::info: return "info";
        case Severity::warning: return "warning";
        case Severity::error: return "error";
    }
    return "";
}

int Report::exit_code() const {
    for (auto const& f : findings)
        if (f.severity == Severity::error) return 1;
    return 0;
}

Report diagnose(std::string_view module_relative, ModuleFacts const& facts, Context const& ctx,
                FileAccess const& files) {
    Report r;
    Diagnosis d{r, ctx, files};
    r.module = std::string(module_relative);
    Url const module_url = url_for(ctx.root_url, module_relative);
    r.module_url = module_url.href();
    r.size = facts.size;
    r.mime_type = std::string(mime::type_for(module_relative));

    // instantiateStreaming / compileStreaming refuse any other Content-Type, and relative debug
    // URLs resolve only for modules compiled from a URL.
    if (r.mime_type != "application/wasm")
        d.add(
            Severity::error,
            fmt::format("served as {}, not application/wasm: WebAssembly.instantiateStreaming refuses it", r.mime_type),
            "name the module NAME.wasm");
    if (!facts.is_wasm) {
        d.add(Severity::error, "not a WebAssembly module: " + facts.read_error);
        d.finish();
        return r;
    }
    if (!facts.read_error.empty())
        d.add(Severity::error, "malformed module (" + facts.read_error + "): the browser will refuse to compile it");
    for (auto const& w : facts.warnings) d.add(Severity::warning, w);

    // Which file holds the DWARF (DWARFSymbols.ts newModuleInfo: symbolsURL).
    if (facts.external_debug_info) {
        r.kinds.push_back(DebugKind::external_dwarf);
        auto url = resolve_source_path({}, *facts.external_debug_info, module_url);
        auto f = d.locate("external_debug_info", *facts.external_debug_info, url);
        if (url) r.symbols_url = url->href();
        bool const found = f.exists;
        r.debug_files.push_back(f);
        if (!found) {
            std::string where = f.url.empty() ? f.note : f.url + (f.note.empty() ? "" : " (" + f.note + ")");
            std::string fix =
                facts.external_debug_info->starts_with("/")
                    ? "a leading '/' makes DevTools use file://; link with -gseparate-dwarf=NAME.debug.wasm "
                      "(relative to the module) or -sSEPARATE_DWARF_URL=<an http URL>"
                    : "put the debug file there, or relink with -sSEPARATE_DWARF_URL=<its URL>";
            d.add(Severity::error, "the separate DWARF file is not on the server: " + where, fix);
        } else if (auto bytes = files.read ? files.read(f.root_path) : std::nullopt) {
            auto debug = read_module_facts(*bytes);
            if (!debug.is_wasm || !debug.has_dwarf)
                d.add(Severity::error, "the separate DWARF file " + f.root_path + " holds no DWARF (.debug_info)");
            else
                d.check_dwarf(debug.dwarf, *url, f.root_path);
        } else {
            d.add(Severity::error, "the separate DWARF file " + f.root_path + " cannot be read");
        }
        if (facts.has_dwarf)
            d.add(Severity::info, "the module has DWARF of its own as well; DevTools reads the external file instead");
        if (url) d.suggest_substitutions(*url);
    } else if (facts.has_dwarf) {
        r.kinds.push_back(DebugKind::embedded_dwarf);
        r.symbols_url = r.module_url;
        d.check_dwarf(facts.dwarf, module_url, r.module);
        d.suggest_substitutions(module_url);
    }
    if (facts.source_mapping_url) d.check_source_map(*facts.source_mapping_url, module_url);

    for (auto const& s : r.sources) ++r.counts[std::size_t(s.cls)];
    auto count = [&](SourceClass c) { return r.counts[std::size_t(c)]; };
    if (r.kinds.empty())
        d.add(Severity::info, "no debug info: DevTools shows disassembly only",
              "compile and link with -g (or -gseparate-dwarf, -gsource-map)");
    if (count(SourceClass::via_substitution) > 0)
        d.add(Severity::warning,
              fmt::format("{} source file(s) have absolute build paths (under ROOT, or where the build ran): DevTools "
                          "asks for file:// URLs and shows them only "
                          "with the path substitution below (or when it may read your disk)",
                          count(SourceClass::via_substitution)),
              r.compiler_flag.empty() ? "paste the substitution into the C/C++ DevTools extension's options"
                                      : "paste the substitution, or rebuild with " + r.compiler_flag);
    if (count(SourceClass::outside_root) > 0)
        d.add(Severity::error,
              fmt::format("{} project source file(s) are outside ROOT: the server cannot answer for them",
                          count(SourceClass::outside_root)),
              "serve a directory that contains the sources and the build (e.g. the checkout root)");
    if (count(SourceClass::missing) > 0)
        d.add(Severity::error,
              fmt::format("{} project source file(s) resolve to files the server does not have",
                          count(SourceClass::missing)),
              "check the paths below; files generated during the build may have been deleted");

    r.shared_memory = facts.memory.shared;
    if (facts.memory.shared)
        d.add(Severity::info,
              "threads: the module uses shared memory, so the page must be cross-origin isolated (COOP same-origin + "
              "COEP)",
              "wasmdev serve sends both on every response; for another server see `wasmdev htaccess`");
    if (facts.size >= huge_module_bytes) {
        bool const dwarf_inside = facts.has_dwarf && !facts.external_debug_info;
        d.add(Severity::info,
              fmt::format("{}: wasmdev serve compresses it (zstd, br or gzip) unless --no-compress; serve it "
                          "compressed elsewhere too{}",
                          mib(facts.size),
                          dwarf_inside ? "; its DWARF is embedded, so every page load downloads it" : ""),
              dwarf_inside ? "link with -gseparate-dwarf to keep the DWARF out of the page's download" : "");
    }
    d.finish();
    return r;
}

}  // namespace wasmdev::doctor
