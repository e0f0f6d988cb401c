#include <fmt/format.h>

#include <boost/json.hpp>

#include "server/deploy/merge.hpp"
#include "server/text/ascii.hpp"

namespace wasmdev::deploy {
namespace {

namespace json = boost::json;

void write_pretty(json::value const& v, std::string& out, int indent) {
    auto const pad = [&](int n) { out.append(std::size_t(n) * 2, ' '); };
    if (auto const* o = v.if_object()) {
        if (o->empty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        std::size_t i = 0;
        for (auto const& kv : *o) {
            pad(indent + 1);
            out += json::serialize(json::string(kv.key()));
            out += ": ";
            write_pretty(kv.value(), out, indent + 1);
            out += ++i < o->size() ? ",\n" : "\n";
        }
        pad(indent);
        out += "}";
    } else if (auto const* a = v.if_array()) {
        if (a->empty()) {
            out += "[]";
            return;
        }
        out += "[\n";
        for (std::size_t i = 0; i < a->size(); ++i) {
            pad(indent + 1);
            write_pretty((*a)[i], out, indent + 1);
            out += i + 1 < a->size() ? ",\n" : "\n";
        }
        pad(indent);
        out += "]";
    } else {
        out += json::serialize(v);
    }
}

std::optional<json::value> parse(std::string_view text, std::string& error) {
    json::parse_options opts;
    opts.max_depth = max_user_json_depth;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec, {}, opts);
    if (ec) {
        error = ec.message();
        return std::nullopt;
    }
    return v;
}

// The rule's pattern: the key that names it and its value.
std::optional<std::pair<std::string, std::string>> pattern_of(json::object const& rule) {
    for (std::string_view key : {"source", "regex", "glob"})
        if (auto const* p = rule.if_contains(key); p && p->is_string())
            return std::pair{std::string(key), std::string(p->get_string())};
    return std::nullopt;
}

// Every rules array at `path` in `root` (several when an array of objects is on the way),
// created where missing. Nullopt and `error` when something else is in the way.
bool collect_arrays(json::value& at, std::vector<std::string_view> const& path, std::size_t step,
                    std::vector<json::array*>& out, std::string& error) {
    if (auto* a = at.if_array(); a && step > 0) {
        for (auto& element : *a)
            if (!collect_arrays(element, path, step, out, error)) return false;
        return true;
    }
    auto* o = at.if_object();
    if (!o) {
        error = fmt::format("\"{}\" is not an object", step ? path[step - 1] : std::string_view("the file"));
        return false;
    }
    auto const key = path[step];
    bool const last = step + 1 == path.size();
    auto* next = o->if_contains(key);
    if (!next) next = &((*o)[key] = last ? json::value(json::array{}) : json::value(json::object{}));
    if (!last) return collect_arrays(*next, path, step + 1, out, error);
    if (!next->is_array()) {
        error = fmt::format("\"{}\" is not an array", key);
        return false;
    }
    out.push_back(&next->get_array());
    return true;
}

std::vector<std::string_view> split_path(std::string_view dotted) {
    std::vector<std::string_view> out;
    for (std::size_t start = 0;;) {
        auto const dot = dotted.find('.', start);
        out.push_back(dotted.substr(start, dot - start));
        if (dot == std::string_view::npos) return out;
        start = dot + 1;
    }
}

// Adds each of our rules to `theirs`: a new pattern is appended; a pattern they have gets
// the headers it lacks; a header they set otherwise is a conflict.
void merge_rules(json::array& theirs, json::array const& ours, std::vector<std::string>& conflicts) {
    for (auto const& our_value : ours) {
        auto const& our_rule = our_value.get_object();
        auto const pattern = pattern_of(our_rule);
        json::object* same = nullptr;
        for (auto& their_value : theirs)
            if (auto* r = their_value.if_object(); r && pattern_of(*r) == pattern) same = r;
        if (!same) {
            theirs.push_back(our_value);
            continue;
        }
        auto* their_headers_value = same->if_contains("headers");
        if (!their_headers_value) their_headers_value = &((*same)["headers"] = json::array{});
        auto* their_headers = their_headers_value->if_array();
        if (!their_headers) {
            conflicts.push_back(fmt::format("the rule for {} \"{}\" has \"headers\" that is not an array",
                                            pattern->first, pattern->second));
            continue;
        }
        for (auto const& h : our_rule.at("headers").get_array()) {
            auto const& key = h.at("key").get_string();
            auto const& value = h.at("value").get_string();
            json::object const* found = nullptr;
            for (auto const& t : *their_headers)
                if (auto const* th = t.if_object())
                    if (auto const* k = th->if_contains("key");
                        k && k->is_string() && text::iequals(k->get_string(), key))
                        found = th;
            if (!found) {
                their_headers->push_back(h);
                continue;
            }
            auto const* their_value = found->if_contains("value");
            if (their_value && their_value->is_string() && their_value->get_string() == value) continue;
            conflicts.push_back(fmt::format(
                "your rule for {} \"{}\" sets {} to {}; wasmdev's policy says \"{}\" "
                "(yours is kept: change or remove it, then run this again)",
                pattern->first, pattern->second,
                std::string_view(found->at("key").get_string()),  // as they wrote it
                their_value ? json::serialize(*their_value) : std::string("nothing"), std::string_view(value)));
        }
    }
}

}  // namespace

std::string pretty_json(std::string_view text) {
    std::string error;
    auto v = parse(text, error);
    if (!v) return std::string(text);
    std::string out;
    write_pretty(*v, out, 0);
    return out + "\n";
}

MergeResult merge_json(std::string_view user, std::string_view ours, std::string_view rules_at,
                       std::string_view refused_beside) {
    MergeResult r;
    if (user.size() > max_user_config_bytes) {
        r.error =
            fmt::format("it is larger than {} bytes, which no hand-written host config is", max_user_config_bytes);
        return r;
    }
    std::string error;
    auto theirs = parse(user, error);
    if (!theirs) {
        r.error = fmt::format("it is not JSON ({})", error);
        return r;
    }
    if (!theirs->is_object()) {
        r.error = "its top level is not an object";
        return r;
    }
    if (!refused_beside.empty() && theirs->get_object().contains(refused_beside)) {
        r.error = fmt::format("it has \"{}\", which the host refuses beside \"{}\"; move those rules to \"{}\" first",
                              refused_beside, rules_at, rules_at);
        return r;
    }
    auto mine = parse(ours, error);
    if (!mine) {
        r.error = fmt::format("wasmdev made invalid JSON ({})", error);
        return r;
    }
    auto const path = split_path(rules_at);
    std::vector<json::array*> their_arrays, our_arrays;
    if (!collect_arrays(*theirs, path, 0, their_arrays, error)) {
        r.error = error;
        return r;
    }
    if (!collect_arrays(*mine, path, 0, our_arrays, error) || our_arrays.size() != 1) {
        r.error = "wasmdev's own rules are not where they belong";
        return r;
    }
    // Each site gets a copy of our rules: a file of a million empty sites must not become a
    // gigabyte. Firebase allows a few dozen sites per project.
    if (their_arrays.size() > max_rule_arrays) {
        r.error = fmt::format("it has {} places for rules; wasmdev merges into at most {}", their_arrays.size(),
                              max_rule_arrays);
        return r;
    }
    if (their_arrays.empty()) {
        r.error = fmt::format("\"{}\" is an empty array: there is no site to add the rules to", path.front());
        return r;
    }
    for (auto* a : their_arrays) merge_rules(*a, *our_arrays.front(), r.conflicts);
    write_pretty(*theirs, r.text, 0);
    r.text += "\n";
    return r;
}

}  // namespace wasmdev::deploy
