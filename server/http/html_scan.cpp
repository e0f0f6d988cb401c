#include "server/http/html_scan.hpp"

#include "server/text/ascii.hpp"

namespace wasmdev::http {
namespace {

using text::iequals;
using text::istarts_with;
constexpr auto npos = std::string_view::npos;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_alpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

std::string_view trim_space(std::string_view s) { return text::trim(s, " \t\n\r\f"); }

// The position just after the comment whose text starts at `from` (after "<!--"), or the end.
std::size_t end_of_comment(std::string_view html, std::size_t from) {
    if (html.substr(from, 1) == ">") return from + 1;   // <!-->
    if (html.substr(from, 2) == "->") return from + 2;  // <!--->
    for (auto at = html.find("--", from); at != npos; at = html.find("--", at + 1)) {
        if (html.substr(at + 2, 1) == ">") return at + 3;
        if (html.substr(at + 2, 2) == "!>") return at + 4;
    }
    return html.size();
}

// The position of the end tag "</name" (followed by whitespace, '/' or '>') that ends a raw
// text or RCDATA element whose content starts at `from`, or the end of the page.
std::size_t end_of_raw_text(std::string_view html, std::size_t from, std::string_view name) {
    for (auto at = html.find("</", from); at != npos; at = html.find("</", at + 2)) {
        auto const after = at + 2 + name.size();
        if (after >= html.size()) break;
        char const c = html[after];
        if (iequals(html.substr(at + 2, name.size()), name) && (is_space(c) || c == '/' || c == '>')) return at;
    }
    return html.size();
}

// Reads the tag whose name starts at `from`: sets `name`, calls on_attribute(name, value) for
// each attribute in order, and returns the position just after its '>', or npos when the page
// ends inside it.
template <class OnAttribute>
std::size_t read_tag(std::string_view html, std::size_t from, std::string_view& name, OnAttribute&& on_attribute) {
    auto const n = html.size();
    auto i = from;
    while (i < n && !is_space(html[i]) && html[i] != '/' && html[i] != '>') ++i;
    name = html.substr(from, i - from);
    for (;;) {
        // Before an attribute: a '/' not followed by '>' is read as whitespace.
        while (i < n && (is_space(html[i]) || html[i] == '/')) ++i;
        if (i >= n) return npos;
        if (html[i] == '>') return i + 1;
        auto const name_start = i++;  // a first '=' belongs to the name
        while (i < n && !is_space(html[i]) && html[i] != '/' && html[i] != '>' && html[i] != '=') ++i;
        auto const attribute = html.substr(name_start, i - name_start);
        while (i < n && is_space(html[i])) ++i;
        std::string_view value;
        if (i < n && html[i] == '=') {
            ++i;
            while (i < n && is_space(html[i])) ++i;
            if (i >= n) return npos;
            if (html[i] == '"' || html[i] == '\'') {
                auto const close = html.find(html[i], i + 1);
                if (close == npos) return npos;
                value = html.substr(i + 1, close - i - 1);
                i = close + 1;
            } else {
                auto const start = i;
                while (i < n && !is_space(html[i]) && html[i] != '>') ++i;
                value = html.substr(start, i - start);
            }
        }
        on_attribute(attribute, value);
    }
}

// The charset= label in an http-equiv Content-Type's content ("text/html; charset=utf-8"),
// as the encoding standard's "extract a character encoding from a meta element" reads it.
std::string_view charset_in_content(std::string_view content) {
    for (std::size_t at = 0; at + 7 <= content.size(); ++at) {
        if (!iequals(content.substr(at, 7), "charset")) continue;
        auto i = at + 7;
        while (i < content.size() && is_space(content[i])) ++i;
        if (i >= content.size() || content[i] != '=') continue;
        ++i;
        while (i < content.size() && is_space(content[i])) ++i;
        if (i >= content.size()) return {};
        if (content[i] == '"' || content[i] == '\'') {
            auto const close = content.find(content[i], i + 1);
            return close == npos ? std::string_view{} : content.substr(i + 1, close - i - 1);
        }
        auto const start = i;
        while (i < content.size() && !is_space(content[i]) && content[i] != ';') ++i;
        return content.substr(start, i - start);
    }
    return {};
}

// The attributes of a <meta> that matter here; the first of a repeated name counts.
struct Meta {
    std::string_view name, content, charset, http_equiv;
    bool has_name = false, has_content = false, has_charset = false, has_http_equiv = false;
    void add(std::string_view attribute, std::string_view value) {
        auto take = [&](std::string_view wanted, std::string_view& field, bool& has) {
            if (!has && iequals(attribute, wanted)) field = value, has = true;
        };
        take("name", name, has_name);
        take("content", content, has_content);
        take("charset", charset, has_charset);
        take("http-equiv", http_equiv, has_http_equiv);
    }
};

void note_meta(Meta const& m, HtmlScan& scan) {
    if (iequals(trim_space(m.name), "wasmdev-reload") && iequals(trim_space(m.content), "off")) scan.opts_out = true;
    if (scan.declares_charset) return;
    if (m.has_charset) {
        scan.declares_charset = true;
        scan.charset = trim_space(m.charset);
    } else if (iequals(trim_space(m.http_equiv), "content-type")) {
        if (auto label = charset_in_content(m.content); !label.empty()) {
            scan.declares_charset = true;
            scan.charset = trim_space(label);
        }
    }
}

bool is_raw_text(std::string_view name) {
    for (std::string_view raw :
         {"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title"})
        if (iequals(name, raw)) return true;
    return false;
}

}  // namespace

HtmlScan scan_html(std::string_view html) {
    HtmlScan scan;
    auto const n = html.size();
    for (std::size_t i = 0; i < n;) {
        auto const lt = html.find('<', i);
        if (lt == npos || lt + 1 >= n) break;
        i = lt + 1;
        char const c = html[i];
        if (c == '!' && html.substr(i + 1, 2) == "--") {
            i = end_of_comment(html, i + 3);
            continue;
        }
        if (c == '!' || c == '?') {  // a doctype, or a bogus comment (<![CDATA[, <?xml): up to the next '>'
            auto const close = html.find('>', i);
            if (close == npos) break;
            if (scan.after_doctype == HtmlScan::none && istarts_with(html.substr(i + 1), "doctype"))
                scan.after_doctype = close + 1;
            i = close + 1;
            continue;
        }
        bool const end_tag = c == '/';
        if (end_tag && lt + 2 < n && !is_alpha(html[lt + 2])) {  // "</>" is dropped, "</3" a bogus comment
            auto const close = html.find('>', lt + 2);
            if (close == npos) break;
            i = close + 1;
            continue;
        }
        if (end_tag) ++i;
        if (i >= n || !is_alpha(html[i])) continue;  // a '<' in text
        std::string_view name;
        Meta meta;  // read_tag sets the name before it reads the attributes
        auto const after = read_tag(html, i, name, [&](std::string_view attribute, std::string_view value) {
            if (iequals(name, "meta")) meta.add(attribute, value);
        });
        if (after == npos) break;  // the page ends inside a tag: not a tag yet
        i = after;
        if (end_tag) continue;
        if (iequals(name, "meta")) note_meta(meta, scan);
        if (scan.after_head == HtmlScan::none && iequals(name, "head")) scan.after_head = after;
        if (scan.after_html == HtmlScan::none && iequals(name, "html")) scan.after_html = after;
        if (iequals(name, "plaintext")) break;
        if (is_raw_text(name)) i = end_of_raw_text(html, i, name);
    }
    return scan;
}

}  // namespace wasmdev::http
