#include "server/tls/local_ca.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "server/fs/read_file.hpp"
#include "server/tls/certificate.hpp"
#include "server/tls/reissue.hpp"

namespace wasmdev::tls {
namespace {

namespace fs = std::filesystem;

// The whole file, or nullopt with errno's sentence in why.
// Keys and certificates are a few KiB.
std::optional<std::string> read_text(fs::path const& p, std::string& why) {
    return wasmdev::fs::read_file(p, 1 << 20, &why);
}

// Writes text to p with mode, atomically (a temporary file renamed over p): a reader never
// sees half a key, and a key is never readable by others, not even for a moment.
bool write_file(fs::path const& p, std::string const& text, mode_t mode, std::string& error) {
    auto const tmp = p.string() + ".tmp";
    ::unlink(tmp.c_str());  // left over from a crash
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        error = fmt::format("cannot write {}: {}", tmp, std::strerror(errno));
        return false;
    }
    bool ok = ::fchmod(fd, mode) == 0;  // the umask may have taken bits a certificate needs
    for (std::size_t done = 0; ok && done < text.size();) {
        auto const n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += std::size_t(n);
    }
    ok = ::fsync(fd) == 0 && ok;
    ok = ::close(fd) == 0 && ok;
    if (ok) ok = ::rename(tmp.c_str(), p.c_str()) == 0;
    if (!ok) {
        error = fmt::format("cannot write {}: {}", p.string(), std::strerror(errno));
        ::unlink(tmp.c_str());
    }
    return ok;
}

// Holds an exclusive flock on dir/.lock while alive.
struct DirLock {
    int fd = -1;
    explicit DirLock(fs::path const& dir) {
        fd = ::open((dir / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0) ::flock(fd, LOCK_EX);
    }
    ~DirLock() {
        if (fd >= 0) ::close(fd);  // releases the lock
    }
};

struct Ca {
    Cert cert;
    Key key;
};

// The CA in dir, created when neither of its files exists. A half-present or broken CA is
// an error: silently replacing it would break every device that trusts the old one.
std::optional<Ca> load_or_create_ca(fs::path const& dir, std::time_t now, std::string const& ca_name, bool& created,
                                    std::string& error) {
    auto const cert_path = dir / "ca.pem", key_path = dir / "ca-key.pem";
    std::error_code ec;
    bool const have_cert = fs::exists(cert_path, ec), have_key = fs::exists(key_path, ec);
    if (!have_cert && !have_key) {
        Ca ca{nullptr, make_key()};
        ca.cert = make_ca_cert(ca.key.get(), ca_name, now, ca_lifetime);
        if (!write_file(key_path, to_pem(ca.key.get()), 0600, error)) return std::nullopt;
        if (!write_file(cert_path, to_pem(ca.cert.get()), 0644, error)) return std::nullopt;
        created = true;
        return ca;
    }
    auto const fix = fmt::format("delete {} and {} to create a new local CA (then trust the new one again)",
                                 cert_path.string(), key_path.string());
    std::string why;
    auto cert_text = read_text(cert_path, why);
    auto key_text = cert_text ? read_text(key_path, why) : std::nullopt;
    Ca ca{cert_text ? cert_from_pem(*cert_text) : nullptr, key_text ? key_from_pem(*key_text) : nullptr};
    if (!ca.cert || !ca.key || X509_check_private_key(ca.cert.get(), ca.key.get()) != 1) {
        error = fmt::format("the local CA in {} is incomplete or damaged; {}", dir.string(), fix);
        return std::nullopt;
    }
    if (cert_not_after(ca.cert.get()) <= now + renew_before) {
        error = fmt::format("the local CA in {} has expired or expires within 30 days; {}", dir.string(), fix);
        return std::nullopt;
    }
    return ca;
}

LeafFacts read_leaf(fs::path const& cert_path, fs::path const& key_path, X509* ca) {
    LeafFacts facts;
    std::string why;
    auto cert_text = read_text(cert_path, why);
    auto key_text = read_text(key_path, why);
    if (!cert_text || !key_text) return facts;
    auto cert = cert_from_pem(*cert_text);
    auto key = key_from_pem(*key_text);
    facts.readable = cert && key && X509_check_private_key(cert.get(), key.get()) == 1;
    if (!facts.readable) return facts;
    facts.signed_by_ca = issued_by(cert.get(), ca);
    facts.names = cert_names(cert.get());
    facts.not_after = cert_not_after(cert.get());
    return facts;
}

}  // namespace

std::optional<LocalCertificates> ensure_local_certificates(fs::path const& dir, std::vector<std::string> const& names,
                                                           std::time_t now, std::string const& ca_name,
                                                           std::string& error) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        error = fmt::format("cannot create {}: {}", dir.string(), ec.message());
        return std::nullopt;
    }
    // The folder holds private keys: only its owner may list or enter it.
    if (::chmod(dir.c_str(), 0700) != 0) {
        error = fmt::format("cannot restrict {} to its owner: {}", dir.string(), std::strerror(errno));
        return std::nullopt;
    }
    DirLock lock(dir);

    LocalCertificates out;
    out.ca_cert = dir / "ca.pem";
    out.cert = dir / "localhost.pem";
    out.key = dir / "localhost-key.pem";
    out.names = names;
    auto ca = load_or_create_ca(dir, now, ca_name, out.ca_created, error);
    if (!ca) return std::nullopt;

    out.issued_because = reissue_reason(read_leaf(out.cert, out.key, ca->cert.get()), names, now);
    if (out.issued_because.empty()) return out;
    auto leaf_key = make_key();
    auto leaf = make_leaf_cert(leaf_key.get(), ca->cert.get(), ca->key.get(), names, now, leaf_lifetime);
    // The key first: a new certificate beside an old key would not load.
    if (!write_file(out.key, to_pem(leaf_key.get()), 0600, error)) return std::nullopt;
    if (!write_file(out.cert, to_pem(leaf.get()) + to_pem(ca->cert.get()), 0644, error)) return std::nullopt;
    return out;
}

std::string check_key_pair(fs::path const& cert_file, fs::path const& key_file) {
    std::string why;
    auto cert_text = read_text(cert_file, why);
    if (!cert_text) return fmt::format("cannot read --cert {}: {}", cert_file.string(), why);
    auto key_text = read_text(key_file, why);
    if (!key_text) return fmt::format("cannot read --key {}: {}", key_file.string(), why);
    auto cert = cert_from_pem(*cert_text);
    if (!cert) return fmt::format("--cert {} holds no PEM certificate", cert_file.string());
    auto key = key_from_pem(*key_text);
    if (!key)
        return fmt::format(
            "--key {} holds no PEM private key (an encrypted key is not supported: "
            "decrypt it with `openssl pkey -in KEY -out KEY.plain`)",
            key_file.string());
    bool const match = X509_check_private_key(cert.get(), key.get()) == 1;
    ERR_clear_error();
    if (!match)
        return fmt::format("--key {} does not belong to the certificate in --cert {}", key_file.string(),
                           cert_file.string());
    return {};
}

}  // namespace wasmdev::tls
