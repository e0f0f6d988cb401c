// The live-reload page tokenizer (server/http/html_scan.cpp), pure: which <head>, <html>,
// doctype and <meta> tags are real tags, as a browser's tokenizer would read the page.
#include <doctest/doctest.h>

#include <string>

#include "server/http/html_scan.hpp"

using namespace wasmdev::http;

namespace {
// The page up to a position the scan found; "(none)" when it found nothing.
std::string up_to(std::string_view html, std::size_t at) {
    return at == HtmlScan::none ? "(none)" : std::string(html.substr(0, at));
}
}  // namespace

TEST_CASE("scan_html (reload): finds the first real <head>, <html> and doctype, whatever text looks like them") {
    struct Row {
        std::string_view what;
        std::string_view html;
        std::string_view head;
        std::string_view html_tag;
        std::string_view doctype;
    };
    Row const rows[] = {
        {"a plain page", "<!DOCTYPE html><html><head>", "<!DOCTYPE html><html><head>", "<!DOCTYPE html><html>",
         "<!DOCTYPE html>"},
        {"an end tag is not a start tag", "</head><head>", "</head><head>", "(none)", "(none)"},
        {"'<' in text", "a < b <3 <head>", "a < b <3 <head>", "(none)", "(none)"},
        {"an abrupt comment <!-->", "<!--><head>", "<!--><head>", "(none)", "(none)"},
        {"an abrupt comment <!--->", "<!---><head>", "<!---><head>", "(none)", "(none)"},
        {"a comment ended by --!>", "<!-- x --!><head>", "<!-- x --!><head>", "(none)", "(none)"},
        {"a bogus comment <?xml ...>", "<?xml version=\"1.0\"?><html>", "(none)", "<?xml version=\"1.0\"?><html>",
         "(none)"},
        {"an end tag with a quoted '>'", "<script></script x='>'><head>", "<script></script x='>'><head>", "(none)",
         "(none)"},
        {"'</scriptx' does not end a script", "<script></scriptx><head></script><head>",
         "<script></scriptx><head></script><head>", "(none)", "(none)"},
        {"noscript holds raw text", "<noscript><head></noscript><head>", "<noscript><head></noscript><head>", "(none)",
         "(none)"},
        {"plaintext holds the rest", "<plaintext><head>", "(none)", "(none)", "(none)"},
        {"an unquoted attribute ends at '>'", "<html lang=en><head>", "<html lang=en><head>", "<html lang=en>",
         "(none)"},
        {"an unclosed quote: no tag", "<html title=\"x><head>", "(none)", "(none)", "(none)"},
        {"tab and form feed end a tag name", "<head\tid=a><html\f>", "<head\tid=a>", "<head\tid=a><html\f>", "(none)"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.what);
        auto const scan = scan_html(row.html);
        CHECK(up_to(row.html, scan.after_head) == row.head);
        CHECK(up_to(row.html, scan.after_html) == row.html_tag);
        CHECK(up_to(row.html, scan.after_doctype) == row.doctype);
    }
}

TEST_CASE("scan_html (reload): the first charset declaration of a real <meta>, and the opt-out") {
    struct Row {
        std::string_view html;
        bool declares;
        std::string_view charset;
        bool opts_out;
    };
    Row const rows[] = {
        {"<meta charset=utf-8>", true, "utf-8", false},
        {"<meta charset=' Shift_JIS '>", true, "Shift_JIS", false},
        {"<meta http-equiv=Content-Type content=\"text/html; charset = 'euc-jp'\">", true, "euc-jp", false},
        {"<meta http-equiv=refresh content=\"0; charset=x\">", false, "", false},
        {"<meta content=\"text/html;charset=koi8-r\" http-equiv=\"content-type\">", true, "koi8-r", false},
        {"<meta charset=utf-8><meta charset=big5>", true, "utf-8", false},
        {"<script>'<meta charset=big5>'</script>", false, "", false},
        {"<META NAME=WASMDEV-RELOAD CONTENT=OFF>", false, "", true},
        {"<meta name=' wasmdev-reload ' content='off '>", false, "", true},
        {"<meta name=wasmdev-reload content=off", false, "", false},  // the page ends inside the tag
    };
    for (auto const& row : rows) {
        CAPTURE(row.html);
        auto const scan = scan_html(row.html);
        CHECK(scan.declares_charset == row.declares);
        CHECK(scan.charset == row.charset);
        CHECK(scan.opts_out == row.opts_out);
    }
}

TEST_CASE("scan_html (reload) stays linear on hostile pages") {
    // Many unclosed constructs: each must be given up at the end, not rescanned per start.
    for (std::string_view unit : {"<!--", "<script>", "<a b='", "</scrip", "<meta", "<!-- -", "--"}) {
        CAPTURE(unit);
        std::string page;
        for (int i = 0; i < 200000; ++i) page += unit;
        auto const scan = scan_html(page);
        CHECK(scan.after_head == HtmlScan::none);
    }
}
