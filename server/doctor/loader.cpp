#include "server/doctor/loader.hpp"

#include <algorithm>
#include <fstream>

#include "server/fs/read_file.hpp"

namespace wasmdev::doctor {
namespace fs = std::filesystem;

namespace {

bool has_hidden_segment(std::string const& rel) {
    std::size_t i = 0;
    while (i < rel.size()) {
        std::size_t j = rel.find('/', i);
        if (j == std::string::npos) j = rel.size();
        if (j > i && rel[i] == '.') return true;
        i = j + 1;
    }
    return false;
}

// The file rel names under root, when the server would serve it.
std::optional<fs::path> servable(fs::path const& root, fs::path const& canonical_root, std::string const& rel) {
    if (rel.empty() || rel.find('\0') != std::string::npos || has_hidden_segment(rel)) return std::nullopt;
    std::error_code ec;
    auto p = root / rel;
    auto c = fs::canonical(p, ec);
    if (ec) return std::nullopt;
    auto [a, b] = std::mismatch(canonical_root.begin(), canonical_root.end(), c.begin(), c.end());
    if (a != canonical_root.end()) return std::nullopt;  // a symlink leads out of ROOT
    if (!fs::is_regular_file(c, ec)) return std::nullopt;
    return c;
}

}  // namespace

std::optional<std::vector<std::uint8_t>> read_whole_file(fs::path const& p, std::uint64_t max_bytes) {
    return wasmdev::fs::read_file_bytes(p, max_bytes);
}

std::optional<std::vector<std::uint8_t>> read_module_parts(fs::path const& p, std::uint64_t max_bytes) {
    std::error_code ec;
    auto const size = fs::file_size(p, ec);
    if (ec || size > max_bytes) return std::nullopt;
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::vector<std::uint8_t> out(std::min<std::uint64_t>(size, 8));
    if (!in.read(reinterpret_cast<char*>(out.data()), std::streamsize(out.size()))) return std::nullopt;
    static constexpr std::uint8_t header[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    if (out.size() < 8 || !std::equal(out.begin(), out.end(), header)) return out;  // not a module: its start says so
    auto const whole = [&] { return read_whole_file(p, max_bytes); };
    std::uint64_t at = 8;
    while (at < size) {
        // A section header: its id, then its size as unsigned LEB128 (at most 5 bytes for a u32).
        std::uint8_t head[6];
        std::size_t n = 0;
        int c = in.get();
        if (c == EOF) return whole();
        head[n++] = std::uint8_t(c);
        std::uint64_t length = 0;
        for (unsigned shift = 0;; shift += 7) {
            c = in.get();
            if (c == EOF || n == sizeof head) return whole();
            head[n++] = std::uint8_t(c);
            length |= std::uint64_t(c & 0x7f) << shift;
            if (!(c & 0x80)) break;
        }
        at += n;
        if (length > size - at) return whole();
        std::uint8_t const id = head[0];
        bool const keep = id == 0 || id == 2 || id == 5;  // custom, import, memory
        if (keep) {
            out.insert(out.end(), head, head + n);
            auto const start = out.size();
            out.resize(start + std::size_t(length));
            if (!in.read(reinterpret_cast<char*>(out.data() + start), std::streamsize(length))) return whole();
        } else if (!in.seekg(std::streamoff(length), std::ios::cur)) {
            return whole();
        }
        at += length;
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> read_module_parts_under(fs::path const& root, std::string const& rel) {
    std::error_code ec;
    auto canonical_root = fs::canonical(root, ec);
    if (ec) canonical_root = root;
    auto p = servable(root, canonical_root, rel);
    if (!p) return std::nullopt;
    return read_module_parts(*p);
}

FileAccess root_file_access(fs::path const& root) {
    std::error_code ec;
    auto canonical_root = fs::canonical(root, ec);
    if (ec) canonical_root = root;
    FileAccess a;
    a.exists = [root, canonical_root](std::string const& rel) {
        return servable(root, canonical_root, rel).has_value();
    };
    a.read = [root, canonical_root](std::string const& rel) -> std::optional<std::vector<std::uint8_t>> {
        auto p = servable(root, canonical_root, rel);
        if (!p) return std::nullopt;
        return read_whole_file(*p);
    };
    return a;
}

ModuleList find_modules(fs::path const& dir, fs::path const& root, std::size_t limit) {
    ModuleList out;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    std::size_t visited = 0;
    for (; !ec && it != end; it.increment(ec)) {
        if (++visited > 200000 || out.relative.size() >= limit) {
            out.truncated = true;
            break;
        }
        auto const name = it->path().filename().string();
        std::error_code sec;
        if (!name.empty() && name[0] == '.') {
            if (it->is_directory(sec)) it.disable_recursion_pending();
            continue;
        }
        if (it->is_symlink(sec) && it->is_directory(sec)) {
            it.disable_recursion_pending();
            continue;
        }
        // NAME.debug.wasm is Emscripten's separate DWARF file: checked through the module naming it.
        if (name.size() > 5 && name.ends_with(".wasm") && !name.ends_with(".debug.wasm") && it->is_regular_file(sec)) {
            auto rel = fs::relative(it->path(), root, sec);
            if (!sec) out.relative.push_back(rel.generic_string());
        }
    }
    std::sort(out.relative.begin(), out.relative.end());
    return out;
}

std::vector<std::string> root_spellings(fs::path const& root) {
    std::vector<std::string> out;
    std::error_code ec;
    auto add = [&](fs::path p) {
        auto s = p.lexically_normal().generic_string();
        while (s.size() > 1 && s.back() == '/') s.pop_back();
        if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    };
    add(fs::absolute(root, ec));
    auto c = fs::canonical(root, ec);
    if (!ec) add(c);
    return out;
}

}  // namespace wasmdev::doctor
