// Planning, dry-run rendering and execution of a build. The order follows wasm_build.py's
// main(): --clean, the native build Python, Emscripten ports, then each op in turn.
#include "server/cpython/pipeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

namespace wasmdev::cpython {

namespace fs = std::filesystem;

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

namespace {

// make_plan's state: the request, what disk will look like as the steps run, and the plan
// so far. Each member function adds the steps of one part of wasm_build.py's main().
class BuilddirPlanner {
public:
    BuilddirPlanner(Request const& req, CPythonLayout const& layout, Toolchain const& tc, FsState const& initial)
        : req_(req),
          layout_(layout),
          tc_(tc),
          p_(*req.profile),
          state_(initial),
          settings_(req.settings),
          native_settings_(req.settings),
          prefix_(ports_prefix(layout, p_)) {
        if (is_emscripten(p_.host) && (req.ports_src || state_.ports_prefix)) {
            settings_.ports_prefix = prefix_;
            plan_.offline_ports = true;
        }
        native_settings_.configure_args.clear();  // extra configure/make arguments stay with the target
        native_settings_.make_vars.clear();
        wasi_prepared_ = !is_wasi(p_.host) || state_.setup_local;
    }

    Plan plan(std::vector<Op> const& ops) {
        if (req_.every_profile) {
            clean_every_profile();
            return std::move(plan_);
        }
        auto has_op = [&](Op op) { return std::find(ops.begin(), ops.end(), op) != ops.end(); };
        if (req_.clean && state_.target_makefile) make_step(p_, true, "clean", {"clean"});
        if (has_op(Op::build) && !target_is_native()) {
            build_python_steps();
            if (is_emscripten(p_.host) && !has_op(Op::emports)) ports_steps(false);
        }
        if (target_is_native() && (has_op(Op::build) || has_op(Op::configure))) plan_.needs_native = true;
        for (auto op : ops)
            if (!plan_op(op)) break;
        return std::move(plan_);
    }

private:
    bool target_is_native() const { return p_.host == Host::native; }
    BuildSettings const& target_settings() const { return target_is_native() ? req_.settings : settings_; }

    void add(std::string_view profile, std::string name, std::vector<Action> actions) {
        plan_.steps.push_back({std::string(profile), std::move(name), std::move(actions)});
    }

    // wasm_build.py's "hack for WASI": Modules/Setup.local must exist before configure/make.
    void prepare(std::vector<Action>& actions) {
        if (wasi_prepared_) return;
        actions.push_back(file_action(Action::Kind::touch, layout_.srcdir / "Modules" / "Setup.local"));
        wasi_prepared_ = true;
    }

    void configure_step(BuildProfile const& prof, bool is_target) {
        std::vector<Action> a{file_action(Action::Kind::mkdir, layout_.profile_dir(prof.name))};
        if (is_target) prepare(a);
        a.push_back(run_action(
            configure_command(prof, layout_, tc_, is_target ? target_settings() : native_settings_, is_target)));
        add(prof.name, "configure", std::move(a));
        (is_target ? state_.target_makefile : state_.native_makefile) = true;
    }

    void make_step(BuildProfile const& prof, bool is_target, std::string name, std::vector<std::string> targets,
                   bool interactive = false) {
        std::vector<Action> a;
        if (is_target) prepare(a);
        a.push_back(run_action(
            make_command(prof, layout_, tc_, is_target ? target_settings() : native_settings_, targets, is_target),
            interactive));
        add(prof.name, std::move(name), std::move(a));
    }

    // The build Python a cross build needs: cleaned with --clean, built when missing.
    void build_python_steps() {
        auto const& native = native_profile();
        if (req_.clean && state_.native_makefile) {
            make_step(native, false, "clean", {"clean"});
            state_.native_python = false;
        }
        if (state_.native_python) {
            plan_.notes.push_back(fmt::format("build Python {} exists, not rebuilt (--clean rebuilds it)",
                                              (layout_.profile_dir(native.name) / python_exe(Host::native)).string()));
            return;
        }
        plan_.needs_native = true;
        if (!state_.native_makefile) configure_step(native, false);
        make_step(native, false, "make", {});
        state_.native_python = true;
    }

    void ports_steps(bool force) {
        if (req_.ports_src) {
            offline_ports_steps(force);
            return;
        }
        if (state_.ports_prefix && !force) {
            plan_.notes.push_back(fmt::format("using the offline ports in {}", prefix_.string()));
            return;
        }
        plan_.needs_ports = true;
        auto tmp = layout_.builddir() / "emports" / ("check-" + std::string(p_.name));
        std::vector<Action> a;
        a.push_back(run_action(embuilder_command(p_, layout_, tc_, settings_, force)));
        a.push_back(file_action(Action::Kind::mkdir, tmp));
        a.push_back(file_action(Action::Kind::write_file, tmp / "main.c", "int main(void) { return 0; }\n"));
        a.push_back(run_action(emcc_ports_command(p_, layout_, tc_, settings_, tmp)));
        a.push_back(file_action(Action::Kind::remove_tree, tmp));
        add(p_.name, "emports", std::move(a));
    }

    void offline_ports_steps(bool force) {
        if (state_.ports_prefix && !force) {
            plan_.notes.push_back(
                fmt::format("offline ports already built in {} (--clean rebuilds them)", prefix_.string()));
            return;
        }
        auto offline = offline_ports_actions(p_, layout_, tc_, settings_, *req_.ports_src);
        if (!offline.amalgamation.empty()) add(p_.name, "sqlite3 amalgamation", std::move(offline.amalgamation));
        offline.build.insert(offline.build.begin(), file_action(Action::Kind::remove_tree, prefix_ / "obj"));
        add(p_.name, "emports", std::move(offline.build));
        state_.ports_prefix = true;
    }

    void clean_every_profile() {
        std::vector<Action> rm;
        for (auto const& prof : all_profiles())
            rm.push_back(file_action(Action::Kind::remove_tree, layout_.profile_dir(prof.name)));
        rm.push_back(file_action(Action::Kind::remove_tree, layout_.builddir() / "emports"));
        add("all profiles", "cleanall", std::move(rm));
    }

    void cleanall_step() {
        std::vector<Action> rm{file_action(Action::Kind::remove_tree, layout_.profile_dir(p_.name))};
        if (is_emscripten(p_.host)) rm.push_back(file_action(Action::Kind::remove_tree, prefix_));
        add(p_.name, "cleanall", std::move(rm));
        state_.target_makefile = false;
        state_.ports_prefix = false;
    }

    // The steps of one op; false (with plan_.error) when it cannot apply to this profile.
    bool plan_op(Op op) {
        if (op_info(op).runs_python) {
            if (is_browser(p_)) {
                plan_.error = fmt::format(
                    "{} runs Python, which a browser build ({}) cannot do here: use a node or "
                    "wasi profile, or `repl` to open it in a browser",
                    op_name(op), p_.name);
                return false;
            }
            make_step(p_, true, std::string(op_name(op)), make_targets_for(op, p_, target_settings()));
            return true;
        }
        switch (op) {
            case Op::build:
                if (!state_.target_makefile) configure_step(p_, true);
                make_step(p_, true, "make", {});
                break;
            case Op::configure: configure_step(p_, true); break;
            case Op::compile: make_step(p_, true, "compile", {}); break;
            case Op::repl:
            case Op::run:  // run: the page headless instead of served to a person; outside a browser both run python
                if (is_browser(p_)) {
                    plan_.serve_browser = true;
                    plan_.run_headless = plan_.run_headless || op == Op::run;
                } else {
                    make_step(p_, true, std::string(op_name(op)), make_targets_for(op, p_, target_settings()), true);
                }
                break;
            case Op::clean:
                if (state_.target_makefile)
                    make_step(p_, true, "clean", {"clean"});
                else
                    plan_.notes.push_back(
                        fmt::format("{} has no Makefile: nothing to clean", layout_.profile_dir(p_.name).string()));
                break;
            case Op::cleanall: cleanall_step(); break;
            case Op::emports:
                if (!is_emscripten(p_.host)) {
                    plan_.error = fmt::format(
                        "emports builds Emscripten's zlib, bzip2 and sqlite3; {} is not an "
                        "Emscripten profile",
                        p_.name);
                    return false;
                }
                ports_steps(req_.clean);
                break;
            case Op::pythoninfo:
            case Op::test:
            case Op::hostrunnertest: break;  // runs_python, above
        }
        return true;
    }

    Request const& req_;
    CPythonLayout const& layout_;
    Toolchain const& tc_;
    BuildProfile const& p_;
    FsState state_;  // what disk will look like as the steps run
    BuildSettings settings_;
    BuildSettings native_settings_;
    fs::path prefix_;
    bool wasi_prepared_ = true;
    Plan plan_{};
};

}  // namespace

Plan make_plan(Request const& req, CPythonLayout const& layout, Toolchain const& tc, FsState const& initial) {
    BuilddirPlanner planner(req, layout, tc, initial);
    return planner.plan(req.ops.empty() ? std::vector<Op>{Op::build} : req.ops);
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
    if (plan.header.empty())
        out +=
            "# checkout " + comment_text(layout.srcdir.string()) + " (Python " + comment_text(layout.version) + ")\n";
    for (auto const& h : plan.header) out += "# " + comment_text(h) + "\n";
    if (!req.every_profile && is_emscripten(req.profile->host)) {
        auto const& em = tc.emscripten;
        out += "# " +
               comment_text(fmt::format("Emscripten {} at {} ({}){}", em.version.empty() ? "?" : em.version,
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
        out += "\n# " +
               comment_text(fmt::format("then: serve {} and open http://127.0.0.1:8000/{}", layout.srcdir.string(),
                                        plan.serve_page.empty()
                                            ? "builddir/" + std::string(req.profile->name) + "/python.html"
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

std::string render_summary(Plan const& plan, RunResult const& r, Progress const& progress,
                           fs::path const& profile_dir) {
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
            out += fmt::format("  [{}/{}] {:<{}}  {:>8}\n", i + 1, t.size(), t[i].title, width,
                               format_duration(t[i].elapsed));
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
        out +=
            "hint: this step downloads; on a machine without internet pass --deps-src DIR with libffi-* and "
            "mpdecimal-* source trees (apt-get source libffi mpdecimal) to build them here\n";
    if (step.name == "emports" && !plan.offline_ports)
        out +=
            "hint: if Emscripten cannot download or build its ports (offline, or a frozen cache), pass --ports-src DIR "
            "with zlib, bzip2 and sqlite3 sources (apt-get source zlib bzip2 sqlite3) to build them with emcc\n";
    return out;
}

}  // namespace wasmdev::cpython
