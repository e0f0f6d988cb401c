// wasmdev's local CA and leaf certificate (server/tls/): which names the leaf covers, when it
// is issued again, the modes of the files it writes, and the refusal of a --cert/--key pair
// that does not belong together.
#include <doctest/doctest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/tls/certificate.hpp"
#include "server/tls/local_ca.hpp"
#include "server/tls/names.hpp"
#include "server/tls/reissue.hpp"
#include "tests/support/temp_tree.hpp"

using namespace wasmdev::tls;
namespace fs = std::filesystem;

namespace {

struct TempDir : wasmdev::test::TempTree {
    TempDir() : TempTree({}, "tls") {}
};

std::string slurp(fs::path const& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void spill(fs::path const& p, std::string const& text) { std::ofstream(p, std::ios::binary) << text; }

// The key as `openssl pkey -aes256` writes it: PEM, encrypted with a passphrase.
std::string encrypted_pem(EVP_PKEY* key, std::string const& passphrase) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, EVP_aes_256_cbc(), reinterpret_cast<unsigned char const*>(passphrase.data()),
                             int(passphrase.size()), nullptr, nullptr);
    char* data = nullptr;
    auto const n = BIO_get_mem_data(bio, &data);
    std::string out(data, std::size_t(n));
    BIO_free(bio);
    return out;
}

unsigned mode_of(fs::path const& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

std::time_t const now = 1'780'000'000;  // 2026-05-28
std::time_t const day = 24 * 3600;

}  // namespace

TEST_CASE(
    "leaf_names: localhost, both loopback addresses and the bind address; a wildcard bind names the machine's "
    "addresses") {
    std::vector<std::string> const machine{"127.0.0.1", "192.168.1.20", "fd00::5", "not an address"};
    struct Row {
        std::string_view bind;
        std::vector<std::string> names;
    };
    Row const rows[] = {
        {"127.0.0.1", {"127.0.0.1", "::1", "localhost"}},
        {"::1", {"127.0.0.1", "::1", "localhost"}},
        {"10.77.0.1", {"10.77.0.1", "127.0.0.1", "::1", "localhost"}},
        {"[fd00::0005]", {"127.0.0.1", "::1", "fd00::5", "localhost"}},
        {"0.0.0.0", {"127.0.0.1", "192.168.1.20", "::1", "fd00::5", "localhost"}},
        {"::", {"127.0.0.1", "192.168.1.20", "::1", "fd00::5", "localhost"}},
        {"example.org", {"127.0.0.1", "::1", "localhost"}},  // not an address: never a name in the certificate
    };
    for (auto const& row : rows) {
        CAPTURE(row.bind);
        CHECK(leaf_names(row.bind, machine) == row.names);
    }
}

TEST_CASE("leaf_names: the host names the server answers to, plain DNS names only, addresses canonical") {
    std::vector<std::string> const hosts{
        "mylaptop",        "mylaptop.local", "dev.example.test", "[::1]", "10.0.0.7", "a,IP:1.2.3.4",
        "bad name",        "-x.test",        "x-.test",          "a..b",  "",         "under_score.test",
        "dev.example.test"};
    CHECK(leaf_names("0.0.0.0", {"192.168.1.20"}, hosts) ==
          std::vector<std::string>{"10.0.0.7", "127.0.0.1", "192.168.1.20", "::1", "dev.example.test", "localhost",
                                   "mylaptop", "mylaptop.local"});
}

TEST_CASE("is_dns_name: LDH labels of 1-63 characters, at most 253 in all, never an address") {
    CHECK(is_dns_name("localhost"));
    CHECK(is_dns_name("my-laptop.local"));
    CHECK(is_dns_name("A1.example"));
    CHECK(is_dns_name(std::string(63, 'a') + ".test"));
    CHECK_FALSE(is_dns_name(std::string(64, 'a') + ".test"));
    CHECK_FALSE(is_dns_name(std::string(250, 'a').replace(60, 1, ".").replace(120, 1, ".").replace(180, 1, ".") +
                            ".test"));  // 255 characters
    for (auto bad : {"", ".", "a.", ".a", "a..b", "-a", "a-", "a-.b", "a b", "a,b", "a:b", "*.example", "a_b",
                     "127.0.0.1", "::1", "caf\xc3\xa9.test"}) {
        CAPTURE(bad);
        CHECK_FALSE(is_dns_name(bad));
    }
}

TEST_CASE("certificate_dir: XDG_CACHE_HOME when absolute, else ~/.cache, else nothing") {
    CHECK(certificate_dir("/x/cache", "/home/u") == fs::path("/x/cache/wasmdev/tls"));
    CHECK(certificate_dir("relative", "/home/u") == fs::path("/home/u/.cache/wasmdev/tls"));
    CHECK(certificate_dir("", "/home/u") == fs::path("/home/u/.cache/wasmdev/tls"));
    CHECK(certificate_dir(nullptr, "/home/u") == fs::path("/home/u/.cache/wasmdev/tls"));
    CHECK(certificate_dir(nullptr, nullptr).empty());
    CHECK(certificate_dir(nullptr, "rel").empty());
}

TEST_CASE(
    "reissue_reason: a good leaf is kept; new names, another CA, an unreadable leaf or 30 days left re-issue it") {
    std::vector<std::string> const wanted{"127.0.0.1", "::1", "localhost"};
    LeafFacts const good{true, true, {"localhost", "::1", "127.0.0.1"}, now + 200 * day};
    struct Row {
        std::string_view what;
        LeafFacts leaf;
        bool reissue;
    };
    Row const rows[] = {
        {"good, names in another order", good, false},
        {"31 days left", {true, true, good.names, now + 31 * day}, false},
        {"29 days left", {true, true, good.names, now + 29 * day}, true},
        {"expired", {true, true, good.names, now - day}, true},
        {"a name more", {true, true, {"localhost", "::1", "127.0.0.1", "10.77.0.1"}, now + 200 * day}, true},
        {"a name fewer", {true, true, {"localhost", "127.0.0.1"}, now + 200 * day}, true},
        {"another CA", {true, false, good.names, now + 200 * day}, true},
        {"unreadable", {false, false, {}, 0}, true},
    };
    for (auto const& row : rows) {
        CAPTURE(row.what);
        CHECK(reissue_reason(row.leaf, wanted, now).empty() == !row.reissue);
    }
}

TEST_CASE(
    "ensure_local_certificates: creates a CA once and a leaf it signed for the names, keys readable by the owner "
    "only") {
    TempDir tmp;
    auto const dir = tmp.path / "cache" / "wasmdev" / "tls";
    std::vector<std::string> const names{"10.77.0.1", "127.0.0.1", "::1", "localhost"};
    std::string error;
    auto first = ensure_local_certificates(dir, names, now, "wasmdev test CA", error);
    REQUIRE_MESSAGE(first, error);
    CHECK(first->ca_created);
    CHECK_FALSE(first->issued_because.empty());
    CHECK(mode_of(dir) == 0700);
    CHECK(mode_of(dir / "ca-key.pem") == 0600);
    CHECK(mode_of(first->key) == 0600);
    CHECK(mode_of(first->ca_cert) == 0644);
    CHECK(mode_of(first->cert) == 0644);

    auto ca = cert_from_pem(slurp(first->ca_cert));
    auto leaf = cert_from_pem(slurp(first->cert));
    REQUIRE(ca);
    REQUIRE(leaf);
    CHECK(issued_by(leaf.get(), ca.get()));
    auto got = cert_names(leaf.get());
    std::sort(got.begin(), got.end());
    CHECK(got == names);
    CHECK(cert_not_after(leaf.get()) == now + leaf_lifetime);
    CHECK(check_key_pair(first->cert, first->key).empty());
    // The chain the server sends: the leaf, then the CA (so a pin of the CA's key matches).
    CHECK(slurp(first->cert).ends_with(slurp(first->ca_cert)));

    SUBCASE("a second start with the same names reuses both") {
        auto const leaf_before = slurp(first->cert);
        auto again = ensure_local_certificates(dir, names, now + day, "wasmdev test CA", error);
        REQUIRE_MESSAGE(again, error);
        CHECK_FALSE(again->ca_created);
        CHECK(again->issued_because.empty());
        CHECK(slurp(again->cert) == leaf_before);
    }
    SUBCASE("another bind address re-issues the leaf, under the same CA") {
        auto const ca_before = slurp(first->ca_cert);
        std::vector<std::string> const other{"127.0.0.1", "192.168.7.7", "::1", "localhost"};
        auto again = ensure_local_certificates(dir, other, now + day, "wasmdev test CA", error);
        REQUIRE_MESSAGE(again, error);
        CHECK_FALSE(again->ca_created);
        CHECK(again->issued_because == "the names it covers changed");
        CHECK(slurp(again->ca_cert) == ca_before);
        auto names_now = cert_names(cert_from_pem(slurp(again->cert)).get());
        CHECK(std::find(names_now.begin(), names_now.end(), "192.168.7.7") != names_now.end());
        CHECK(mode_of(again->key) == 0600);
    }
    SUBCASE("a leaf that nears its expiry is re-issued") {
        auto again = ensure_local_certificates(dir, names, now + leaf_lifetime - 10 * day, "wasmdev test CA", error);
        REQUIRE_MESSAGE(again, error);
        CHECK(again->issued_because == "it expires soon");
    }
    SUBCASE("a damaged CA is an error that names the fix, never silently replaced") {
        spill(dir / "ca-key.pem", to_pem(make_key().get()));
        auto again = ensure_local_certificates(dir, names, now, "wasmdev test CA", error);
        CHECK_FALSE(again);
        CHECK(error.find("delete ") != std::string::npos);
    }
}

TEST_CASE("check_key_pair: refuses a missing file, a non-certificate, an encrypted or foreign key") {
    TempDir tmp;
    std::string error;
    auto made = ensure_local_certificates(tmp.path / "tls", {"localhost"}, now, "wasmdev test CA", error);
    REQUIRE_MESSAGE(made, error);
    spill(tmp.path / "other-key.pem", to_pem(make_key().get()));
    spill(tmp.path / "junk.pem", "not a certificate\n");
    spill(tmp.path / "encrypted-key.pem", encrypted_pem(key_from_pem(slurp(made->key)).get(), "secret"));
    REQUIRE(slurp(tmp.path / "encrypted-key.pem").starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    struct Row {
        fs::path cert, key;
        std::string_view says;
    };
    Row const rows[] = {
        {made->cert, made->key, ""},
        {tmp.path / "missing.pem", made->key, "cannot read --cert"},
        {made->cert, tmp.path / "missing.pem", "cannot read --key"},
        {tmp.path / "junk.pem", made->key, "holds no PEM certificate"},
        {made->cert, tmp.path / "junk.pem", "holds no PEM private key"},
        {made->cert, tmp.path / "encrypted-key.pem", "an encrypted key is not supported"},
        {made->cert, tmp.path / "other-key.pem", "does not belong to the certificate"},
        {made->cert, made->cert, "holds no PEM private key"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.cert);
        CAPTURE(row.key);
        auto const why = check_key_pair(row.cert, row.key);
        if (row.says.empty())
            CHECK(why.empty());
        else
            CHECK(why.find(row.says) != std::string::npos);
        CHECK(why.find('\n') == std::string::npos);
    }
}
