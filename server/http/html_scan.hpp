// A small HTML tokenizer for live reload (docs/reload.md, "Where the tag goes"): the real
// <head>, <html>, doctype and <meta> tags of a page, skipping what a browser does not take for
// tags (comments, attribute values, raw text, RCDATA). One pass, linear, no allocation.
// What to do with what it finds is reload.cpp's.
#pragma once
#include <cstddef>
#include <string_view>

namespace wasmdev::http {

struct HtmlScan {
    static constexpr std::size_t none = std::string_view::npos;
    std::size_t after_head = none;     // just after the first <head ...> start tag's '>'
    std::size_t after_html = none;     // just after the first <html ...> start tag's '>'
    std::size_t after_doctype = none;  // just after the first <!doctype ...>'s '>'
    bool opts_out = false;             // a <meta name="wasmdev-reload" content="off">
    bool declares_charset = false;     // a <meta charset> or http-equiv Content-Type with charset=
    std::string_view charset{};        // the first such declaration's label, trimmed
};

// The page as a browser's tokenizer sees it (HTML Living Standard §13.2.5, in the states that
// decide what is a tag): tag names case-insensitive and ended by whitespace, '/' or '>' (so
// <header> is not <head>); attribute values quoted with " or ' may hold '>'; comments end at
// "-->" (or "--!>", or at once as "<!-->"); <script>, <style>, <xmp>, <iframe>, <noembed>,
// <noframes>, <noscript> hold raw text and <textarea>, <title> RCDATA up to their own end
// tag; <plaintext> holds the rest. A tag the page ends inside of does not count. Not
// modelled: a script's "<!--<script>" double escape, and foreign (SVG, MathML) content.
HtmlScan scan_html(std::string_view html);

}  // namespace wasmdev::http
