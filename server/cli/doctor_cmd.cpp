// `wasmdev doctor [PATH] [--root DIR] [--url URL] [--json]` (docs/doctor.md): reads a .wasm
// (or every .wasm below a directory), asks server/doctor/ what DevTools will make of it when
// ROOT is served at URL, and prints the reports. Exit 0 loads, 1 something will not, 2 bad usage.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "server/cli/commands.hpp"
#include "server/doctor/diagnose.hpp"
#include "server/doctor/facts.hpp"
#include "server/doctor/loader.hpp"
#include "server/doctor/render.hpp"
#include "server/doctor/url.hpp"

namespace wasmdev::cli {
namespace {

namespace fs = std::filesystem;

struct DoctorOptions {
    std::string path = ".";
    std::string root{};
    std::string url = "http://127.0.0.1:8000/";
    bool json = false;
    // Filled while parsing.
    fs::path abs_path{};
    fs::path abs_root{};
    doctor::Url root_url{};
};

bool is_under(fs::path const& p, fs::path const& dir) {
    auto rel = p.lexically_relative(dir);
    return !rel.empty() && *rel.begin() != "..";
}

// Checks the flags; a bad value is a usage error (exit 2) naming it.
void validate(DoctorOptions& o) {
    std::error_code ec;
    if (!fs::exists(o.path, ec)) throw CLI::ValidationError("PATH", "'" + o.path + "' does not exist");
    o.abs_path = fs::absolute(o.path, ec).lexically_normal();
    if (!o.root.empty()) {
        if (!fs::is_directory(o.root, ec)) throw CLI::ValidationError("--root", "'" + o.root + "' is not a directory");
        o.abs_root = fs::absolute(o.root, ec).lexically_normal();
    } else {
        // The current directory when PATH is inside it (as `wasmdev serve` would serve it);
        // else the module's directory, or PATH itself for a directory.
        auto cwd = fs::current_path(ec).lexically_normal();
        o.abs_root = is_under(o.abs_path, cwd) || o.abs_path == cwd ? cwd
                     : fs::is_directory(o.abs_path, ec)             ? o.abs_path
                                                                    : o.abs_path.parent_path();
    }
    while (o.abs_root.has_relative_path() && o.abs_root.filename().empty()) o.abs_root = o.abs_root.parent_path();
    if (o.abs_path != o.abs_root && !is_under(o.abs_path, o.abs_root))
        throw CLI::ValidationError("--root",
                                   "'" + o.path + "' is not under ROOT " + o.abs_root.string() + "; pass --root");
    auto u = doctor::parse_url(o.url);
    if (!u || (u->scheme != "http" && u->scheme != "https"))
        throw CLI::ValidationError(
            "--url", "wants the http(s) URL ROOT is served at, like http://127.0.0.1:8000/, got '" + o.url + "'");
    if (!u->path.ends_with("/")) u->path += '/';
    o.root_url = *u;
}

bool use_color() {
    char const* no_color = std::getenv("NO_COLOR");
    return ::isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

int run(DoctorOptions const& o) {
    std::vector<std::string> modules;
    std::error_code ec;
    if (fs::is_directory(o.abs_path, ec)) {
        auto found = doctor::find_modules(o.abs_path, o.abs_root);
        modules = found.relative;
        if (found.truncated)
            fmt::print(stderr, "wasmdev doctor: stopped after {} modules below {}; pass a narrower PATH\n",
                       modules.size(), o.path);
        if (modules.empty()) {
            fmt::print(stderr, "wasmdev doctor: no .wasm file below {}\n", o.path);
            return 1;
        }
    } else {
        modules.push_back(o.abs_path.lexically_relative(o.abs_root).generic_string());
    }

    doctor::Context ctx{doctor::root_spellings(o.abs_root), o.root_url};
    auto files = doctor::root_file_access(o.abs_root);
    std::vector<doctor::Report> reports;
    for (auto const& rel : modules) {
        auto bytes = doctor::read_whole_file(o.abs_root / rel);
        if (!bytes) {
            doctor::Report r;
            r.module = rel;
            r.module_url = doctor::url_for(o.root_url, rel).href();
            r.findings.push_back(
                {doctor::Severity::error, "cannot read the file (permissions, or larger than 1 GiB)", ""});
            reports.push_back(std::move(r));
            continue;
        }
        reports.push_back(doctor::diagnose(rel, doctor::read_module_facts(*bytes), ctx, files));
    }
    doctor::RenderOptions ro;
    ro.color = !o.json && use_color();
    ro.root = o.abs_root.string();
    ro.root_url = o.root_url.href();
    auto text = o.json ? doctor::render_json(reports, ro) : doctor::render_text(reports, ro);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return doctor::overall_exit_code(reports);
}

}  // namespace

Command add_doctor_command(CLI::App& root) {
    auto o = std::make_shared<DoctorOptions>();
    auto* cmd = root.add_subcommand("doctor",
                                    "Explain why a wasm build will not load, isolate or debug in DevTools "
                                    "(debug files, source paths, MIME type, threads)");
    cmd->add_option("PATH", o->path, "A .wasm file, or a directory: every .wasm below it")->capture_default_str();
    cmd->add_option("--root", o->root,
                    "The directory the server serves (default: the current directory when PATH "
                    "is inside it, else PATH's directory)");
    cmd->add_option("--url", o->url, "The URL ROOT is served at")->capture_default_str();
    cmd->add_flag("--json", o->json, "Print one JSON document for tools instead of the text report");
    // Runs inside parse(), so a ValidationError here becomes main's one-line exit 2.
    cmd->callback([o] { validate(*o); });
    return {cmd, [o] { return run(*o); }};
}

}  // namespace wasmdev::cli
