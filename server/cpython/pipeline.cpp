// Planning, dry-run rendering and execution of a build. The order follows wasm_build.py's
// main(): --clean, the native build Python, Emscripten ports, then each op in turn.
#include "server/cpython/pipeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

namespace wasmdev::cpython {

namespace fs = std::filesystem;

bool is_op(std::string_view word) {
    return std::find(std::begin(all_ops), std::end(all_ops), word) != std::end(all_ops);
}

FsState probe_state(CPythonLayout const& layout, BuildProfile const& p) {
    std::error_code ec;
    FsState s;
    auto native_dir = layout.profile_dir(native_profile().name);
    s.native_python = fs::exists(native_dir / python_exe(Host::native), ec);
    s.native_makefile = fs::exists(native_dir / "Makefile", ec);
    s.target_makefile = fs::exists(layout.profile_dir(p.name) / "Makefile", ec);
    s.ports_prefix = ports_prefix_complete(ports_prefix(layout, p));
    s.setup_local = fs::exists(layout.srcdir / "Modules" / "Setup.local", ec);
    return s;
}

namespace {

Action run_action(Command c, bool interactive = false) {
    Action a;
    a.cmd = std::move(c);
    a.interactive = interactive;
    return a;
}

Action file_action(Action::Kind kind, fs::path path, std::string content = {}) {
    Action a;
    a.kind = kind;
    a.path = std::move(path);
    a.content = std::move(content);
    return a;
}

}  // namespace

Plan make_plan(Request const& req, CPythonLayout const& layout, Toolchain const& tc, FsState const& initial) {
    Plan plan;
    auto const& p = *req.profile;
    auto const& native = native_profile();
    auto state = initial;  // what disk will look like as the steps run
    std::vector<std::string> ops = req.ops.empty() ? std::vector<std::string>{"build"} : req.ops;
    auto has_op = [&](std::string_view op) { return std::find(ops.begin(), ops.end(), op) != ops.end(); };
    auto add = [&](std::string_view profile, std::string name, std::vector<Action> actions) {
        plan.steps.push_back({std::string(profile), std::move(name), std::move(actions)});
    };

    if (req.every_profile) {
        std::vector<Action> rm;
        for (auto const& prof : all_profiles()) rm.push_back(file_action(Action::Kind::remove_tree, layout.profile_dir(prof.name)));
        rm.push_back(file_action(Action::Kind::remove_tree, layout.builddir() / "emports"));
        add("all profiles", "cleanall", std::move(rm));
        return plan;
    }

    BuildSettings settings = req.settings;
    auto prefix = ports_prefix(layout, p);
    if (is_emscripten(p.host) && (req.ports_src || state.ports_prefix)) {
        settings.ports_prefix = prefix;
        plan.offline_ports = true;
    }
    BuildSettings native_settings = req.settings;  // extra configure/make arguments stay with the target
    native_settings.configure_args.clear();
    native_settings.make_vars.clear();
    bool const target_is_native = p.host == Host::native;
    auto const& ts = target_is_native ? req.settings : settings;

    // wasm_build.py's "hack for WASI": Modules/Setup.local must exist before configure/make.
    bool wasi_prepared = !is_wasi(p.host) || state.setup_local;
    auto prepare = [&](std::vector<Action>& actions) {
        if (!wasi_prepared) {
            actions.push_back(file_action(Action::Kind::touch, layout.srcdir / "Modules" / "Setup.local"));
            wasi_prepared = true;
        }
    };
    auto configure_step = [&](BuildProfile const& prof, bool is_target) {
        std::vector<Action> a{file_action(Action::Kind::mkdir, layout.profile_dir(prof.name))};
        if (is_target) prepare(a);
        a.push_back(run_action(configure_command(prof, layout, tc, is_target ? ts : native_settings, is_target)));
        add(prof.name, "configure", std::move(a));
        if (is_target)
            state.target_makefile = true;
        else
            state.native_makefile = true;
    };
    auto make_step = [&](BuildProfile const& prof, bool is_target, std::string name, std::vector<std::string> targets,
                         bool interactive = false) {
        std::vector<Action> a;
        if (is_target) prepare(a);
        a.push_back(run_action(make_command(prof, layout, tc, is_target ? ts : native_settings, targets, is_target),
                               interactive));
        add(prof.name, std::move(name), std::move(a));
    };
    auto ports_steps = [&](bool force) {
        if (req.ports_src) {
            if (state.ports_prefix && !force) {
                plan.notes.push_back(fmt::format("offline ports already built in {} (--clean rebuilds them)", prefix.string()));
                return;
            }
            auto offline = offline_ports_actions(p, layout, tc, settings, *req.ports_src);
            if (!offline.amalgamation.empty()) add(p.name, "sqlite3 amalgamation", std::move(offline.amalgamation));
            offline.build.insert(offline.build.begin(), file_action(Action::Kind::remove_tree, prefix / "obj"));
            add(p.name, "emports", std::move(offline.build));
            state.ports_prefix = true;
            return;
        }
        if (state.ports_prefix && !force) {
            plan.notes.push_back(fmt::format("using the offline ports in {}", prefix.string()));
            return;
        }
        plan.needs_ports = true;
        auto tmp = layout.builddir() / "emports" / ("check-" + std::string(p.name));
        std::vector<Action> a;
        a.push_back(run_action(embuilder_command(p, layout, tc, settings, force)));
        a.push_back(file_action(Action::Kind::mkdir, tmp));
        a.push_back(file_action(Action::Kind::write_file, tmp / "main.c", "int main(void) { return 0; }\n"));
        a.push_back(run_action(emcc_ports_command(p, layout, tc, settings, tmp)));
        a.push_back(file_action(Action::Kind::remove_tree, tmp));
        add(p.name, "emports", std::move(a));
    };

    if (req.clean && state.target_makefile) make_step(p, true, "clean", {"clean"});

    if (has_op("build") && !target_is_native) {
        if (req.clean && state.native_makefile) {
            make_step(native, false, "clean", {"clean"});
            state.native_python = false;
        }
        if (!state.native_python) {
            plan.needs_native = true;
            if (!state.native_makefile) configure_step(native, false);
            make_step(native, false, "make", {});
            state.native_python = true;
        } else {
            plan.notes.push_back(fmt::format("build Python {} exists, not rebuilt (--clean rebuilds it)",
                                             (layout.profile_dir(native.name) / python_exe(Host::native)).string()));
        }
        if (is_emscripten(p.host) && !has_op("emports")) ports_steps(false);
    }
    if (target_is_native && (has_op("build") || has_op("configure"))) plan.needs_native = true;

    for (auto const& op : ops) {
        if (op == "build") {
            if (!state.target_makefile) configure_step(p, true);
            make_step(p, true, "make", {});
        } else if (op == "configure") {
            configure_step(p, true);
        } else if (op == "compile") {
            make_step(p, true, "compile", {});
        } else if (op == "pythoninfo" || op == "test" || op == "hostrunnertest") {
            if (is_browser(p)) {
                plan.error = fmt::format("{} runs Python, which a browser build ({}) cannot do here: use a node or wasi "
                                         "profile, or `repl` to open it in a browser",
                                         op, p.name);
                return plan;
            }
            make_step(p, true, op, make_targets_for(op, p, ts));
        } else if (op == "repl" || op == "run") {
            // run: the page headless instead of served to a person; outside a browser both run python.
            if (is_browser(p)) {
                plan.serve_browser = true;
                plan.run_headless = plan.run_headless || op == "run";
            } else {
                make_step(p, true, op, make_targets_for("repl", p, ts), true);
            }
        } else if (op == "clean") {
            if (state.target_makefile)
                make_step(p, true, "clean", {"clean"});
            else
                plan.notes.push_back(fmt::format("{} has no Makefile: nothing to clean", layout.profile_dir(p.name).string()));
        } else if (op == "cleanall") {
            std::vector<Action> rm{file_action(Action::Kind::remove_tree, layout.profile_dir(p.name))};
            if (is_emscripten(p.host)) rm.push_back(file_action(Action::Kind::remove_tree, prefix));
            add(p.name, "cleanall", std::move(rm));
            state.target_makefile = false;
            state.ports_prefix = false;
        } else if (op == "emports") {
            if (!is_emscripten(p.host)) {
                plan.error = fmt::format("emports builds Emscripten's zlib, bzip2 and sqlite3; {} is not an Emscripten "
                                         "profile",
                                         p.name);
                return plan;
            }
            ports_steps(req.clean);
        }
    }
    return plan;
}

namespace {

// One command, wrapped like the README writes long ones: assignments and each option on
// its own continuation line.
std::string format_command(Command const& c, std::string const& indent) {
    auto one_line = render_command(c);
    if (one_line.size() + indent.size() <= 100) return indent + one_line + "\n";
    std::string out;
    for (auto const& [k, v] : c.assignments) out += indent + k + "=" + shell_quote(v) + " \\\n";
    std::size_t i = 0;
    std::string head;
    for (; i < c.argv.size(); ++i) {
        auto const& w = c.argv[i];
        if (i > 1 && (w.starts_with("--") || w.find('=') != std::string::npos)) break;
        head += (head.empty() ? "" : " ") + shell_quote(w);
    }
    out += (c.assignments.empty() ? indent : indent + "  ") + head;
    auto cont = c.assignments.empty() ? indent + "    " : indent + "      ";
    for (; i < c.argv.size(); ++i) out += " \\\n" + cont + shell_quote(c.argv[i]);
    return out + "\n";
}

}  // namespace

std::string render_plan(Plan const& plan, Request const& req, CPythonLayout const& layout, Toolchain const& tc) {
    std::string out;
    out += fmt::format("# wasmdev build {} --dry-run: {} step{}, nothing has been run.\n",
                       req.every_profile ? std::string("cleanall") : std::string(req.profile->name), plan.steps.size(),
                       plan.steps.size() == 1 ? "" : "s");
    // Every value in a comment goes through comment_text(): a newline in a path must not
    // end the comment and turn the rest into a command.
    if (plan.header.empty()) out += "# checkout " + comment_text(layout.srcdir.string()) + " (Python " + comment_text(layout.version) + ")\n";
    for (auto const& h : plan.header) out += "# " + comment_text(h) + "\n";
    if (!req.every_profile && is_emscripten(req.profile->host)) {
        auto const& em = tc.emscripten;
        out += "# " + comment_text(fmt::format("Emscripten {} at {} ({}){}", em.version.empty() ? "?" : em.version,
                                               em.root.string(), em.source, em.frozen_cache ? ", frozen cache" : "")) +
               "\n";
    }
    if (!req.every_profile && is_wasi(req.profile->host))
        out += "# " + comment_text("WASI SDK " + (req.wasi_sdk ? *req.wasi_sdk : tc.wasi_sdk).string()) + "\n";
    for (auto const& n : plan.notes) out += "# note: " + comment_text(n) + "\n";
    for (std::size_t k = 0; k < plan.steps.size(); ++k) {
        auto const& step = plan.steps[k];
        out += fmt::format("\n# [{}/{}] {}\n(\n", k + 1, plan.steps.size(), comment_text(step.title()));
        auto first_run = std::find_if(step.actions.begin(), step.actions.end(),
                                      [](Action const& a) { return a.kind == Action::Kind::run; });
        if (first_run != step.actions.end())
            for (auto const& e : first_run->cmd.env) out += "  " + render_env_change(e) + "\n";
        fs::path cwd;
        for (auto const& a : step.actions) {
            if (a.kind != Action::Kind::run) {
                out += "  " + render_action(a) + "\n";
                continue;
            }
            if (a.cmd.cwd != cwd) {
                cwd = a.cmd.cwd;
                out += "  cd " + shell_quote(cwd.string()) + "\n";
            }
            out += format_command(a.cmd, "  ");
        }
        out += ")\n";
    }
    if (plan.serve_browser)
        out += "\n# " + comment_text(fmt::format("then: serve {} and open http://127.0.0.1:8000/{}", layout.srcdir.string(),
                                                 plan.serve_page.empty() ? "builddir/" + std::string(req.profile->name) + "/python.html"
                                                                         : plan.serve_page)) +
               "\n";
    return out;
}

namespace {

std::string do_file_action(Action const& a) {
    std::error_code ec;
    using K = Action::Kind;
    switch (a.kind) {
        case K::mkdir: fs::create_directories(a.path, ec); break;
        case K::copy: fs::copy_file(a.from, a.path, fs::copy_options::overwrite_existing, ec); break;
        case K::copy_tree:
            fs::create_directories(a.path, ec);
            if (!ec) fs::copy(a.from, a.path, fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
            break;
        case K::remove_tree: fs::remove_all(a.path, ec); break;
        case K::touch: {
            std::ofstream f(a.path, std::ios::app);
            if (!f) return "cannot create " + a.path.string();
            break;
        }
        case K::write_file: {
            std::ofstream f(a.path, std::ios::trunc | std::ios::binary);
            f << a.content;
            if (!f.flush()) return "cannot write " + a.path.string();
            break;
        }
        case K::run: break;
    }
    if (ec) return render_action(a) + ": " + ec.message();
    return {};
}

}  // namespace

RunResult execute_plan(Plan const& plan, Environment const& base_env, ProcessRunner const& runner, Progress& progress) {
    RunResult r;
    auto n = plan.steps.size();
    for (std::size_t k = 0; k < n; ++k) {
        auto const& step = plan.steps[k];
        progress.begin_step(k + 1, n, step);
        bool ok = true;
        for (auto const& a : step.actions) {
            if (interrupt_requested()) {
                r.interrupted = true;
                ok = false;
            }
            if (!ok) break;
            progress.begin_action(a);
            if (a.kind != Action::Kind::run) {
                if (auto err = do_file_action(a); !err.empty()) {
                    progress.output(err + "\n");
                    r.error = err;
                    ok = false;
                }
            } else {
                auto env = apply_env(base_env, a.cmd.env);
                for (auto const& [key, value] : a.cmd.assignments) env[key] = value;
                RunOptions opts;
                opts.interactive = a.interactive;
                if (a.interactive) {
                    progress.clear_status();
                } else {
                    opts.on_output = [&progress](std::string_view chunk) { progress.output(chunk); };
                    opts.on_tick = [&progress] { progress.tick(); };
                }
                auto res = runner.run(a.cmd.argv, a.cmd.cwd, env, opts);
                if (res.spawn_failed) progress.output(res.error + "\n");
                if (!res.ok() || res.interrupted) {
                    r.process = res;
                    r.interrupted = res.interrupted;
                    ok = false;
                }
            }
            if (!ok) r.failed_action = a;
        }
        progress.end_step(ok);
        if (!ok) {
            r.ok = false;
            r.failed_step = k + 1;
            return r;
        }
    }
    return r;
}

std::string render_summary(Plan const& plan, RunResult const& r, Progress const& progress, fs::path const& profile_dir) {
    std::string out;
    auto const& t = progress.timings();
    if (r.ok) {
        std::chrono::steady_clock::duration total{};
        std::size_t width = 0;
        for (auto const& s : t) width = std::max(width, s.title.size());
        for (auto const& s : t) total += s.elapsed;
        out += fmt::format("wasmdev build: {} step{} done in {}\n", t.size(), t.size() == 1 ? "" : "s",
                           format_duration(total));
        for (std::size_t i = 0; i < t.size(); ++i)
            out += fmt::format("  [{}/{}] {:<{}}  {:>8}\n", i + 1, t.size(), t[i].title, width, format_duration(t[i].elapsed));
        auto artifacts = find_artifacts(profile_dir);
        if (!artifacts.empty()) {
            out += fmt::format("artifacts in {}:\n", profile_dir.string());
            for (auto const& a : artifacts) out += fmt::format("  {:<24} {:>10}\n", a.name, format_size(a.size));
        }
        out += fmt::format("log: {}\n", progress.log_path().string());
        return out;
    }
    auto const& step = plan.steps[r.failed_step - 1];
    auto where = fmt::format("step {}/{} ({})", r.failed_step, plan.steps.size(), step.title());
    if (r.interrupted) {
        out += fmt::format("interrupted: {} was stopped by Ctrl-C\n", where);
    } else if (!r.error.empty()) {
        out += fmt::format("error: {} failed: {}\n", where, r.error);
    } else if (r.process.spawn_failed) {
        out += fmt::format("error: {} failed: {}\n", where, r.process.error);
    } else if (r.process.term_signal) {
        out += fmt::format("error: {} failed: killed by signal {} (exit code {})\n", where, r.process.term_signal,
                           r.process.exit_code);
    } else {
        out += fmt::format("error: {} failed with exit code {}\n", where, r.process.exit_code);
    }
    if (r.failed_action.kind == Action::Kind::run) {
        out += fmt::format("  command: {}\n", render_command(r.failed_action.cmd));
        out += fmt::format("  in:      {}\n", r.failed_action.cmd.cwd.string());
    }
    out += fmt::format("  log:     {}\n", progress.log_path().string());
    if (!r.interrupted && !progress.tail().empty()) {
        out += "  last output:\n";
        std::size_t pos = 0;
        auto const& tail = progress.tail();
        // The last 15 lines are usually where the compiler or configure says why.
        std::vector<std::string_view> lines;
        while (pos < tail.size()) {
            auto e = tail.find('\n', pos);
            if (e == std::string::npos) e = tail.size();
            lines.emplace_back(tail.data() + pos, e - pos);
            pos = e + 1;
        }
        auto from = lines.size() > 15 ? lines.size() - 15 : 0;
        for (auto i = from; i < lines.size(); ++i) out += fmt::format("    | {}\n", lines[i]);
    }
    if (step.name == "make-libffi" || step.name == "make-mpdec" || step.name == "install-emscripten")
        out += "hint: this step downloads; on a machine without internet pass --deps-src DIR with libffi-* and "
               "mpdecimal-* source trees (apt-get source libffi mpdecimal) to build them here\n";
    if (step.name == "emports" && !plan.offline_ports)
        out += "hint: if Emscripten cannot download or build its ports (offline, or a frozen cache), pass --ports-src DIR "
               "with zlib, bzip2 and sqlite3 sources (apt-get source zlib bzip2 sqlite3) to build them with emcc\n";
    return out;
}

}  // namespace wasmdev::cpython
