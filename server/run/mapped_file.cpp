// Answering a mapped request from its DIR (see mapped_file.hpp).
#include "server/run/mapped_file.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstring>

#include "mime/mime.hpp"
#include "server/fs/resolve.hpp"

namespace wasmdev::run {

MappedAnswer answer_mapped(std::filesystem::path const& dir, MappedUrl const& url, std::string_view method) {
    MappedAnswer a;
    auto fail = [&](int status, std::string problem) {
        a.status = status;
        a.problem = std::move(problem);
        return a;
    };
    if (method != "GET") return fail(405, fmt::format("{} is not answered (GET only)", method));
    if (url.names_directory || url.segments.empty()) return fail(404, "names a directory, not a file");
    auto r = fs::resolve(dir, url.segments, false);
    if (r.kind == fs::ResolveKind::forbidden) {
        // resolve's sentence for a link names serve's --follow-symlinks, which run does not have.
        bool const link_out = r.cause.find("symlink") != std::string::npos;
        return fail(403, link_out ? "a symlink leads outside the mapped directory" : r.cause);
    }
    if (r.kind != fs::ResolveKind::file || !r.file) {
        std::string relative;
        for (auto const& s : url.segments) relative += (relative.empty() ? "" : "/") + s;
        return fail(404, fmt::format("no file {}", (dir / relative).string()));
    }
    if (r.file->size > max_mapped_bytes)
        return fail(500, fmt::format("{} is larger than {} MiB", r.path, max_mapped_bytes >> 20));
    // From the descriptor resolve opened: the file checked is the file read.
    std::string body(std::size_t(r.file->size), '\0');
    std::size_t got = 0;
    while (got < body.size()) {
        auto n = ::pread(r.file->fd, body.data() + got, body.size() - got, off_t(got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(500, fmt::format("cannot read {}: {}", r.path, std::strerror(errno)));
        if (n == 0) break;  // shrank since fstat: what is there
        got += std::size_t(n);
    }
    body.resize(got);
    a.content_type = std::string(mime::type_for(url.segments.back()));
    a.body = std::move(body);
    return a;
}

}  // namespace wasmdev::run
