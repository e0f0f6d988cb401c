// Shell rendering of plan steps: single quotes unless a word is plainly safe.
#include "server/cpython/step.hpp"

#include "server/text/ascii.hpp"

namespace wasmdev::cpython {
namespace {

// For text inside "...": $, `, " and \ lose their meaning.
std::string double_quote_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '$' || c == '`' || c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

std::string shell_join(std::vector<std::string> const& argv) {
    std::string out;
    for (auto const& a : argv) {
        if (!out.empty()) out += ' ';
        out += shell_quote(a);
    }
    return out;
}

std::string render_command(Command const& cmd) {
    std::string out;
    for (auto const& [k, v] : cmd.assignments) out += k + "=" + shell_quote(v) + " ";
    return out + shell_join(cmd.argv);
}

std::string render_env_change(EnvChange const& c) {
    // The CLI refuses such names; a plan built otherwise still never prints a live command.
    if (!is_shell_identifier(c.name)) return "# not a shell variable name, not set: " + comment_text(c.name);
    switch (c.op) {
        case EnvChange::Op::set: return "export " + c.name + "=" + shell_quote(c.value);
        case EnvChange::Op::unset: return "unset " + c.name;
        case EnvChange::Op::set_default:
            return "export " + c.name + "=\"${" + c.name + ":-" + double_quote_escape(c.value) + "}\"";
        case EnvChange::Op::prepend_path:
            return "export " + c.name + "=" + shell_quote(c.value) + "\"${" + c.name + ":+:$" + c.name + "}\"";
    }
    return {};
}

std::string render_action(Action const& a) {
    using K = Action::Kind;
    switch (a.kind) {
        case K::run: return render_command(a.cmd);
        case K::mkdir: return "mkdir -p " + shell_quote(a.path.string());
        case K::copy: return "cp " + shell_quote(a.from.string()) + " " + shell_quote(a.path.string());
        case K::copy_tree:
            return "mkdir -p " + shell_quote(a.path.string()) + " && cp -R " + shell_quote((a.from / ".").string()) +
                   " " + shell_quote(a.path.string());
        case K::remove_tree: return "rm -rf " + shell_quote(a.path.string());
        case K::touch: return "touch " + shell_quote(a.path.string());
        case K::write_file: {
            std::string body = a.content;
            if (!body.empty() && body.back() == '\n') body.pop_back();
            return "printf '%s\\n' " + shell_quote(body) + " > " + shell_quote(a.path.string());
        }
    }
    return {};
}

std::string comment_text(std::string_view text) { return text::escape_controls(text); }

bool is_shell_identifier(std::string_view name) {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

}  // namespace wasmdev::cpython
