// Golden-file tests of the deployment configs. After an intended change, regenerate with
//   WASMDEV_UPDATE_GOLDEN=1 build/tests/unit_tests -tc='render*'
// and commit the golden files with the change.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "mime/mime.hpp"
#include "server/htaccess/render.hpp"
#include "server/http/policy.hpp"

using namespace wasmdev;

namespace {

std::string golden_path(std::string const& name) { return std::string(WASMDEV_SOURCE_DIR) + "/tests/golden/" + name; }

void check_golden(std::string const& name, std::string const& actual) {
    CAPTURE(name);
    if (std::getenv("WASMDEV_UPDATE_GOLDEN")) {
        std::ofstream(golden_path(name), std::ios::binary) << actual;
        return;
    }
    std::ifstream in(golden_path(name), std::ios::binary);
    REQUIRE_MESSAGE(in, "missing golden file; run with WASMDEV_UPDATE_GOLDEN=1 to create it");
    std::ostringstream expected;
    expected << in.rdbuf();
    if (expected.str() != actual) {
        // Name the first differing line, so the failure says what changed.
        std::istringstream a(actual), e(expected.str());
        std::string la, le;
        int line = 1;
        while (std::getline(e, le) && std::getline(a, la) && la == le) ++line;
        FAIL_CHECK("output differs from tests/golden/" << name << " at line " << line << "\n  expected: " << le
                                                      << "\n  actual:   " << la
                                                      << "\n(intended? rerun with WASMDEV_UPDATE_GOLDEN=1)");
    }
}

}  // namespace

TEST_CASE("render: golden Apache .htaccess - default and --precompressed --cache") {
    htaccess::RenderOptions o;
    check_golden("htaccess.expected", htaccess::render(o));
    o.precompressed = true;
    o.cache = true;
    check_golden("htaccess-precompressed-cache.expected", htaccess::render(o));
}

TEST_CASE("render: golden nginx and Caddy snippets") {
    htaccess::RenderOptions o;
    o.format = htaccess::Format::nginx;
    check_golden("nginx.expected", htaccess::render(o));
    o.precompressed = true;
    o.cache = true;
    check_golden("nginx-precompressed-cache.expected", htaccess::render(o));
    o = {};
    o.format = htaccess::Format::caddy;
    check_golden("caddy.expected", htaccess::render(o));
}

TEST_CASE("render: every format follows the policy and the MIME table - no second list") {
    for (auto format : {htaccess::Format::apache, htaccess::Format::nginx, htaccess::Format::caddy}) {
        CAPTURE(int(format));
        htaccess::RenderOptions o;
        o.format = format;
        o.policy.coep = http::CoepMode::credentialless;
        o.policy.extra_headers = {{"X-Deployed-By", "wasmdev"}};
        auto text = htaccess::render(o);
        for (auto const& [name, value] : http::policy_headers(o.policy)) {
            CAPTURE(name);
            CHECK(text.find(name) != std::string::npos);
            CHECK(text.find("\"" + value + "\"") != std::string::npos);
        }
        CHECK(text.find("require-corp") == std::string::npos);
        for (auto const& e : mime::table()) {
            CAPTURE(e.extension);
            CHECK(text.find(std::string(e.extension)) != std::string::npos);
        }
        CHECK(text.find("application/javascript") == std::string::npos);  // the seed recipe's outdated type
    }
    htaccess::RenderOptions apache;
    auto text = htaccess::render(apache);
    CHECK(text.find("    Header set") == std::string::npos);  // 2xx only in Apache: always "Header always set"
    CHECK(text.find("AddType application/wasm .wasm\n") != std::string::npos);
}
