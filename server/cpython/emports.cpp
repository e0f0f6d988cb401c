// Offline ports: the same libraries Emscripten's ports build, compiled from local sources.
#include "server/cpython/emports.hpp"

#include <algorithm>

namespace wasmdev::cpython {

namespace fs = std::filesystem;

namespace {

char const* const zlib_sources[] = {"adler32", "compress", "crc32",   "deflate", "gzclose",
                                    "gzlib",   "gzread",   "gzwrite", "infback", "inffast",
                                    "inflate", "inftrees", "trees",   "uncompr", "zutil"};
char const* const bzip2_sources[] = {"blocksort", "huffman",    "crctable", "randtable",
                                     "compress",  "decompress", "bzlib"};

bool has(fs::path const& dir, char const* a, char const* b) {
    std::error_code ec;
    return fs::is_regular_file(dir / a, ec) && fs::is_regular_file(dir / b, ec);
}

bool is_zlib(fs::path const& d) { return has(d, "zlib.h", "adler32.c"); }
bool is_bzip2(fs::path const& d) { return has(d, "bzlib.h", "blocksort.c"); }
bool is_sqlite_tree(fs::path const& d) { return has(d, "configure", "tool/mksqlite3c.tcl"); }

std::string stamp_name() { return "wasmdev-emports.txt"; }

}  // namespace

bool is_sqlite_amalgamation(fs::path const& dir) { return has(dir, "sqlite3.c", "sqlite3.h"); }

std::optional<PortsSources> find_ports_sources(fs::path const& dir, std::string& error) {
    PortsSources src;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        error = "--ports-src " + dir.string() + " is not a directory";
        return std::nullopt;
    }
    auto consider = [&](fs::path const& d) {
        if (src.zlib.empty() && is_zlib(d)) src.zlib = d;
        if (src.bzip2.empty() && is_bzip2(d)) src.bzip2 = d;
        if (src.sqlite3.empty() && (is_sqlite_amalgamation(d) || is_sqlite_tree(d))) src.sqlite3 = d;
    };
    consider(dir);
    std::vector<fs::path> children;
    for (auto const& e : fs::directory_iterator(dir, ec))
        if (e.is_directory(ec)) children.push_back(e.path());
    std::sort(children.begin(), children.end());
    for (auto const& c : children) consider(c);
    std::vector<std::string> missing;
    if (src.zlib.empty()) missing.push_back("zlib (zlib.h, adler32.c)");
    if (src.bzip2.empty()) missing.push_back("bzip2 (bzlib.h, blocksort.c)");
    if (src.sqlite3.empty()) missing.push_back("sqlite3 (sqlite3.c or a source tree)");
    if (!missing.empty()) {
        error = "--ports-src " + dir.string() + " has no source tree for ";
        for (std::size_t i = 0; i < missing.size(); ++i) error += (i ? ", " : "") + missing[i];
        error += "; apt-get source zlib bzip2 sqlite3 there gives all three";
        return std::nullopt;
    }
    for (auto* p : {&src.zlib, &src.bzip2, &src.sqlite3}) *p = fs::absolute(*p).lexically_normal();
    return src;
}

fs::path ports_prefix(CPythonLayout const& layout, BuildProfile const& p) {
    return layout.builddir() / "emports" / p.name;
}

bool ports_prefix_complete(fs::path const& prefix) {
    std::error_code ec;
    for (auto rel : {"wasmdev-emports.txt", "lib/libz.a", "lib/libbz2.a", "lib/libsqlite3.a", "include/zlib.h",
                     "include/bzlib.h", "include/sqlite3.h"})
        if (!fs::exists(prefix / rel, ec)) return false;
    return true;
}

std::vector<std::string> offline_port_cflags(BuildProfile const& p) {
    std::vector<std::string> f{is_debug(p) ? "-O0" : "-O2"};
    if (p.dynamic_linking.value_or(false)) f.push_back("-fPIC");
    if (p.pthreads.value_or(false)) f.push_back("-pthread");
    if (p.host == Host::wasm64_emscripten) f.push_back("-sMEMORY64=1");
    return f;
}

OfflinePorts offline_ports_actions(BuildProfile const& p, CPythonLayout const& layout, Toolchain const& tc,
                                   BuildSettings const& s, PortsSources const& src) {
    OfflinePorts result;
    using K = Action::Kind;
    auto prefix = ports_prefix(layout, p);
    auto obj = prefix / "obj";
    auto env = profile_env(p, layout, tc, s);
    auto emcc = tc.emscripten.emcc.empty() ? std::string("emcc") : tc.emscripten.emcc.string();
    auto emar = tc.emscripten.emar.empty() ? std::string("emar") : tc.emscripten.emar.string();
    auto cflags = offline_port_cflags(p);
    std::vector<Action> out;
    auto mkdir = [&](fs::path const& d) { out.push_back({K::mkdir, {}, d}); };
    auto run = [&](std::vector<std::string> argv, fs::path const& cwd, EnvChanges const& e) {
        Action a;
        a.cmd.argv = std::move(argv);
        a.cmd.cwd = cwd;
        a.cmd.env = e;
        out.push_back(std::move(a));
    };
    auto copy = [&](fs::path const& from, fs::path const& to) {
        Action a;
        a.kind = K::copy;
        a.from = from;
        a.path = to;
        out.push_back(std::move(a));
    };
    auto library = [&](std::string const& name, fs::path const& dir, auto const& files, std::vector<std::string> defs,
                       std::string const& archive) {
        auto odir = obj / name;
        mkdir(odir);
        std::vector<std::string> ar{emar, "rcs", (prefix / "lib" / archive).string()};
        for (std::string f : files) {
            std::vector<std::string> argv{emcc};
            argv.insert(argv.end(), cflags.begin(), cflags.end());
            argv.insert(argv.end(), defs.begin(), defs.end());
            argv.insert(argv.end(), {"-c", (dir / (f + ".c")).string(), "-o", (odir / (f + ".o")).string()});
            run(std::move(argv), odir, env);
            ar.push_back((odir / (f + ".o")).string());
        }
        run(std::move(ar), odir, env);
    };

    mkdir(prefix / "include");
    mkdir(prefix / "lib");
    // Emscripten's zlib port defines these too; without them gz*.c lack read/write prototypes.
    library("zlib", src.zlib, zlib_sources, {"-DHAVE_UNISTD_H", "-DHAVE_STDARG_H"}, "libz.a");
    copy(src.zlib / "zlib.h", prefix / "include" / "zlib.h");
    copy(src.zlib / "zconf.h", prefix / "include" / "zconf.h");
    library("bzip2", src.bzip2, bzip2_sources, {}, "libbz2.a");
    copy(src.bzip2 / "bzlib.h", prefix / "include" / "bzlib.h");

    fs::path amalgamation = src.sqlite3;
    if (!is_sqlite_amalgamation(src.sqlite3)) {
        // A full source tree: its configure and `make sqlite3.c` (tclsh) make the amalgamation natively.
        // Beside obj/, which the emports step starts by emptying.
        amalgamation = prefix / "sqlite3-amalgamation";
        result.build = std::move(out);
        out.clear();
        mkdir(amalgamation);
        auto native_env = profile_env(native_profile(), layout, tc, s);
        run({(src.sqlite3 / "configure").string(), "--disable-tcl", "--disable-readline"}, amalgamation, native_env);
        run({"make", "sqlite3.c"}, amalgamation, native_env);
        result.amalgamation = std::move(out);
        out = std::move(result.build);
    }
    // The options Emscripten's sqlite3 port uses; threads only for pthreads profiles.
    std::vector<std::string> sqlite_defs{
        "-DSQLITE_OMIT_LOAD_EXTENSION", "-DSQLITE_DISABLE_LFS", "-DLONGDOUBLE_TYPE=double",
        p.pthreads.value_or(false) ? "-DSQLITE_THREADSAFE=1" : "-DSQLITE_THREADSAFE=0"};
    std::vector<std::string> one{"sqlite3"};
    library("sqlite3", amalgamation, one, sqlite_defs, "libsqlite3.a");
    copy(amalgamation / "sqlite3.h", prefix / "include" / "sqlite3.h");

    Action stamp;
    stamp.kind = K::write_file;
    stamp.path = prefix / stamp_name();
    stamp.content = "profile " + std::string(p.name) + "\nzlib " + src.zlib.string() + "\nbzip2 " + src.bzip2.string() +
                    "\nsqlite3 " + src.sqlite3.string() + "\ncflags " + shell_join(cflags) + "\n";
    out.push_back(std::move(stamp));
    result.build = std::move(out);
    return result;
}

}  // namespace wasmdev::cpython
