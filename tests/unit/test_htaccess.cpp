// The deployment configs: golden files for each format, and the properties that keep them
// honest (one policy, one MIME table, <IfModule> around every Apache directive, escaping).
// After an intended change, regenerate the golden files and commit them with the change:
//   WASMDEV_UPDATE_GOLDEN=1 build/tests/unit_tests -tc='htaccess*'
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "mime/mime.hpp"
#include "server/deploy/render.hpp"
#include "server/http/policy.hpp"
#include "tests/unit/golden.hpp"

using namespace wasmdev;

namespace {

using golden::check_golden;
using golden::lines_of;

deploy::RenderOptions options(std::string_view f, bool precompressed = false, bool cache = false) {
    deploy::RenderOptions o;
    o.format = f;
    o.precompressed = precompressed;
    o.cache = cache;
    return o;
}

std::string_view base_type(std::string_view type) { return type.substr(0, type.find(';')); }

}  // namespace

TEST_CASE("htaccess: golden files for each format with and without --precompressed --cache") {
    struct Row {
        std::string name;
        deploy::RenderOptions options;
    };
    Row const rows[] = {
        {"htaccess.expected", options("apache")},
        {"htaccess-precompressed-cache.expected", options("apache", true, true)},
        {"nginx.expected", options("nginx")},
        {"nginx-precompressed-cache.expected", options("nginx", true, true)},
        {"caddy.expected", options("caddy")},
        {"caddy-precompressed-cache.expected", options("caddy", true, true)},
    };
    for (auto const& row : rows) check_golden(row.name, deploy::render(row.options));
}

TEST_CASE("htaccess: every format renders the serve policy and the whole MIME table - no second list") {
    for (std::string_view format : {"apache", "nginx", "caddy"}) {
        for (bool extras : {false, true}) {
            CAPTURE(std::string_view(format));
            CAPTURE(extras);
            auto o = options(format, extras, extras);
            o.policy.coep = http::CoepMode::credentialless;
            o.policy.corp = http::CorpMode::cross_origin;
            o.policy.extra_headers = {{"X-Deployed-By", "wasmdev"}, {"cache-control", "max-age=60"}};
            auto const text = deploy::render(o);
            for (auto const& [name, value] : http::policy_headers(o.policy)) {
                CAPTURE(name);
                CHECK(text.find(std::string(name) + " \"" + value + "\"") != std::string::npos);
            }
            CHECK(text.find("require-corp") == std::string::npos);
            CHECK(text.find("same-site") == std::string::npos);
            CHECK(text.find("no-cache") == std::string::npos);  // replaced by --header, case-insensitively
            for (auto const& e : mime::table()) {
                CAPTURE(e.extension);
                CHECK(text.find(std::string(base_type(e.type))) != std::string::npos);
                CHECK(text.find(std::string(e.extension)) != std::string::npos);
            }
            // The seed README's outdated type; browsers expect text/javascript.
            CHECK(text.find("application/javascript") == std::string::npos);
        }
    }
}

TEST_CASE("htaccess: Apache sets every policy header with always and declares each build type exactly") {
    auto const text = deploy::render(options("apache"));
    auto const lines = lines_of(text);
    // Plain "Header set" reaches 2xx responses only: a 404 or an error would lose isolation.
    CHECK(text.find("Header set") == std::string::npos);
    for (auto const& [name, value] : http::policy_headers({})) {
        CAPTURE(name);
        CHECK(text.find("    Header always set " + std::string(name) + " \"" + value + "\"\n") != std::string::npos);
    }
    for (auto const& e : mime::table()) {
        if (!e.wasm_relevant) continue;
        CAPTURE(e.extension);
        auto const prefix = "    AddType " + std::string(base_type(e.type)) + " ";
        bool const declared = std::any_of(lines.begin(), lines.end(), [&](std::string const& l) {
            return l.rfind(prefix, 0) == 0 &&
                   (l + " ").find(" ." + std::string(e.extension) + " ") != std::string::npos;
        });
        CHECK(declared);
    }
    CHECK(text.find("AddType application/wasm .wasm\n") != std::string::npos);
    CHECK(text.find("AddType text/javascript .js .mjs .cjs\n") != std::string::npos);
    auto deflate = std::find_if(lines.begin(), lines.end(), [](auto const& l) {
        return l.find("AddOutputFilterByType DEFLATE") != std::string::npos;
    });
    REQUIRE(deflate != lines.end());
    for (auto const& e : mime::table()) {
        CAPTURE(e.extension);
        bool const by_type = (*deflate + " ").find(" " + std::string(base_type(e.type)) + " ") != std::string::npos;
        // octet-stream is compressed by name (.data), never by type: .pyc and unknown files stay as they are.
        if (e.type == mime::default_type)
            CHECK_FALSE(by_type);
        else if (e.compressible)
            CHECK(by_type);
    }
    CHECK(text.find("<FilesMatch \"(?i)\\.(data)$\">\n        SetOutputFilter DEFLATE") != std::string::npos);
}

TEST_CASE("htaccess: every Apache directive sits inside an IfModule so a missing module never gives 500") {
    for (bool extras : {false, true}) {
        CAPTURE(extras);
        auto const lines = lines_of(deploy::render(options("apache", extras, extras)));
        int depth = 0;
        for (auto const& raw : lines) {
            auto const line = raw.substr(std::min(raw.find_first_not_of(' '), raw.size()));
            if (line.empty() || line[0] == '#') continue;
            if (line.rfind("<IfModule ", 0) == 0)
                ++depth;
            else if (line == "</IfModule>")
                --depth;
            else {
                CAPTURE(line);
                CHECK(depth > 0);
            }
        }
        CHECK(depth == 0);
    }
}

TEST_CASE("htaccess: header values are escaped for each config syntax") {
    struct Row {
        std::string_view format;
        std::string_view expected;
    };
    // The value as given: 50% {ok} "q" C:\dir
    Row const rows[] = {
        {"apache", R"(Header always set X-Check "50%% {ok} \"q\" C:\\\\dir")"},
        {"nginx", R"(add_header X-Check "50% {ok} \"q\" C:\\dir" always;)"},
        // Caddy unescapes "\{" twice (once when it provisions the handler, once per request).
        {"caddy", R"(X-Check "50% \\{ok\\} \"q\" C:\dir")"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.format);
        auto o = options(row.format);
        o.policy.extra_headers = {{"X-Check", R"(50% {ok} "q" C:\dir)"}};
        CHECK_FALSE(deploy::unrenderable(o));
        CHECK(deploy::render(o).find(row.expected) != std::string::npos);
    }
}

TEST_CASE("htaccess: values a format cannot express are refused with a reason") {
    struct Row {
        std::string_view format;
        std::string name, value;
        bool refused;
    };
    Row const rows[] = {
        {"nginx", "X-Host", "$host", true},
        {"apache", "X-Host", "$host", false},
        {"caddy", "X-Host", "$host", false},
        {"caddy", "-X-Drop", "1", true},
        {"caddy", "X-Tick", "a`b", false},  // double-quoted
        {"apache", "X-Tick", "a`b", false},
        {"nginx", "X-Plain", "same-origin", false},
        // Names that are HTTP tokens but mean something to a config syntax are quoted, not refused.
        {"nginx", "#X-Hash", "1", false},
        {"nginx", "'X-Quote", "1", false},
        {"nginx", "X$Name", "1", false},  // add_header takes its name literally
        {"apache", "'X-Quote", "1", false},
        {"caddy", "#X-Hash", "1", false},
        {"caddy", "+X-Add", "1", true},
        // Apache: ${NAME} is replaced on every config line, expr= makes the value an expression.
        {"apache", "X-Env", "${HOME}", true},
        {"apache", "X-Expr", "expr=%{REQUEST_URI}", true},
        {"apache", "X-Expr", "EXPR=1", true},
        {"apache", "X-Dollar", "$ {x} $x", false},
        {"nginx", "X-Env", "${HOME}", true},
        // Caddy replaces {$NAME} anywhere in the file when it reads it, comments included.
        {"caddy", "X-Env", "{$HOME}", true},
        {"caddy", "X-Env", "{ $HOME }", false},
        {"caddy", "X-Both", "`\\\"", true},      // a backtick and a backslash before a quote
        {"caddy", "X-Latin1", "caf\xe9", true},  // adapted to JSON: invalid UTF-8 becomes U+FFFD
        {"apache", "X-Latin1", "caf\xe9", false},
        {"nginx", "X-Empty", "", true},  // nginx drops a header whose value is empty
        {"apache", "X-Empty", "", false},
        {"caddy", "X-Empty", "", false},
        // A control character is no HTTP field value (RFC 9110 §5.5); tab is.
        {"apache", "X-Ctl", "a\x01b", true},
        {"nginx", "X-Ctl", "a\x7f", true},
        {"caddy", "X-Ctl", "a\x1b[31m", true},
        {"nginx", "X-Tab", "a\tb", false},
        // Line limits: nginx reads a parameter of at most ~4 KB, Apache a line of at most 8 KB.
        {"nginx", "X-Long", std::string(3900, 'a'), false},
        {"nginx", "X-Long", std::string(4100, 'a'), true},
        {"apache", "X-Long", std::string(4100, 'a'), false},
        {"apache", "X-Long", std::string(9000, 'a'), true},
        {"caddy", "X-Long", std::string(9000, 'a'), false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.format);
        CAPTURE(row.name);
        CAPTURE(row.value);
        auto o = options(row.format);
        o.policy.extra_headers = {{row.name, row.value}};
        auto why = deploy::unrenderable(o);
        CHECK(bool(why) == row.refused);
        // One line that names the header, so a user with several --header flags sees which one.
        if (why) {
            CHECK(why->find(row.name) != std::string::npos);
            CHECK(why->find('\n') == std::string::npos);
        }
    }
}

namespace {

// Header names and values that are valid HTTP (token names, field values) but mean something to
// a config syntax: comment and quote characters, braces, semicolons, placeholders, backslash
// escapes, a directive to inject. Every format must render them so its server sends them as is.
http::HeaderList const hostile_headers = {
    {"#X-Hash", "# not a comment"},
    {"'X-Quote", "it's \"quoted\" 'twice'"},
    {"`X-Tick", "`back` ticks"},
    {"~X|Pipe^*&%.!", "name of symbols"},
    {"defer", "a Caddy keyword as a name"},
    {"X-Inject", "1\" always; add_header X-Injected \"yes"},
    {"X-Brace", "} header X-Injected yes {"},
    {"X-Placeholder", "{http.request.uri} {uri} {env.HOME} %{REQUEST_URI}e %t %%"},
    {"X-Backslash", "C:\\dir\\ \\n \\t \\\\ \\\" \\{ \\}"},
    {"X-Semicolon", "a; b; } {"},
    {"X-Utf8", "caf\u00e9 \u96ea \u202e tab\there"},
    {"X-Trailing", "ends with a backslash\\"},
    {"Cache-Control", "max-age=60, \"quoted\\\""},
};

}  // namespace

TEST_CASE("htaccess: golden files with hostile header names and values in each format") {
    struct Row {
        std::string name;
        std::string_view format;
    };
    Row const rows[] = {
        {"htaccess-hostile.expected", "apache"},
        {"nginx-hostile.expected", "nginx"},
        {"caddy-hostile.expected", "caddy"},
    };
    for (auto const& row : rows) {
        auto o = options(row.format, true, true);
        o.policy.extra_headers = hostile_headers;
        auto why = deploy::unrenderable(o);
        CHECK_MESSAGE(!why, *why);
        check_golden(row.name, deploy::render(o));
    }
}

TEST_CASE("htaccess: each hostile header is one line of the format's header directive, never a comment or two") {
    for (std::string_view format : {"apache", "nginx", "caddy"}) {
        CAPTURE(std::string_view(format));
        auto plain = options(format, true, true);
        auto hostile = plain;
        hostile.policy.extra_headers = hostile_headers;
        auto const before = lines_of(deploy::render(plain));
        auto const after = lines_of(deploy::render(hostile));
        // Each extra header adds one line per place the policy is written (nginx writes it
        // twice with --cache), plus the comment lines that name the command.
        auto const comment = [](std::string const& l) { return l.find_first_not_of(' ') == l.find('#'); };
        std::size_t comments_before = 0, comments_after = 0;
        for (auto const& l : before) comments_before += comment(l);
        for (auto const& l : after) comments_after += comment(l);
        std::size_t const places = format == "nginx" ? 2 : 1;
        std::size_t const added = hostile_headers.size() - 1;  // Cache-Control replaces the policy's
        CHECK(after.size() - comments_after == before.size() - comments_before + places * added);
        // And each of those lines is the format's header directive, whatever the name starts with.
        std::string_view const directive = format == "apache"  ? "Header always set "
                                           : format == "nginx" ? "add_header "
                                                               : "";
        std::size_t directives_before = 0, directives_after = 0;
        for (auto const& l : before) directives_before += l.find(directive) != std::string::npos && !comment(l);
        for (auto const& l : after) directives_after += l.find(directive) != std::string::npos && !comment(l);
        if (!directive.empty()) CHECK(directives_after == directives_before + places * added);
    }
}

TEST_CASE("htaccess: a long command line is named over several comment lines, one --header each") {
    auto o = options("apache");
    for (int i = 0; i < 40; ++i)
        o.policy.extra_headers.emplace_back("X-Header-" + std::to_string(i), std::string(300, 'v'));
    REQUIRE_FALSE(deploy::unrenderable(o));
    auto const text = deploy::render(o);
    for (auto const& l : lines_of(text)) {
        CAPTURE(l.substr(0, 80));
        CHECK(l.size() <= 8000);  // Apache refuses longer lines in .htaccess (500 for the directory)
    }
    CHECK(text.find("#     --header 'X-Header-39: " + std::string(300, 'v') + "'\n") != std::string::npos);
}

TEST_CASE("htaccess: the --cache pattern matches content-hashed names only") {
    struct Row {
        std::string_view name;
        bool hashed;
    };
    Row const rows[] = {
        {"app.3f2a9c1e.js", true},    {"python-1a2b3c4d5e.wasm", true},
        {"app.0123abcd.js.gz", true}, {"python.0123ABCD.data", true},
        {"python.wasm", false},       {"python.js", false},
        {"app.3f2a9c1.js", false},    {"deadbeefcafe", false},
        {"app.ghijklmn.js", false},   {"python311.zip", false},
        {"loader.mjs", false},        {"a_0123abcd.js", false},
    };
    std::regex const pattern(std::string(deploy::hashed_asset_regex()));
    for (auto const& row : rows) {
        CAPTURE(row.name);
        CHECK(std::regex_search(std::string(row.name), pattern) == row.hashed);
    }
}

TEST_CASE("htaccess: --cache never gives an error response a year of caching") {
    auto const apache = deploy::render(options("apache", false, true));
    CHECK(apache.find("Cache-Control \"public, max-age=31536000, immutable\" \"expr=%{REQUEST_STATUS} -lt 400\"") !=
          std::string::npos);
    auto const nginx = deploy::render(options("nginx", false, true));
    CHECK(nginx.find("add_header Cache-Control \"public, max-age=31536000, immutable\";") != std::string::npos);
    auto const caddy = deploy::render(options("caddy", false, true));
    CHECK(caddy.find("handle_errors {\n    header Cache-Control \"no-cache\"\n}") != std::string::npos);
}

TEST_CASE("htaccess: the header comment names the command that regenerates the file") {
    auto o = options("nginx", true, true);
    o.policy.coep = http::CoepMode::off;
    o.policy.corp = http::CorpMode::same_origin;
    o.policy.extra_headers = {{"X-A", "it's"}};
    CHECK(deploy::render(o).find("# Written by `wasmdev htaccess --format nginx --precompressed --cache --coep off "
                                 "--corp same-origin --header 'X-A: it'\\''s'`") != std::string::npos);
    CHECK(deploy::render(options("apache")).find("# Written by `wasmdev htaccess`;") != std::string::npos);
}

TEST_CASE("htaccess: the compression threshold comes from the serve config") {
    auto o = options("nginx");
    o.policy.min_compress_bytes = 4096;
    CHECK(deploy::render(o).find("gzip_min_length 4096;") != std::string::npos);
    o.format = "caddy";
    CHECK(deploy::render(o).find("minimum_length 4096\n") != std::string::npos);
}
