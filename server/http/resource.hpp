// The stages a file and an embedded asset share once the representation is chosen
// (docs/design.md#decide-then-act): the validator it is named by, the 200's head, the conditionals (304 /
// 412) and the 406. Pure: nothing here reads, opens or compresses anything.
#pragma once
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/config.hpp"
#include "server/http/representation.hpp"
#include "server/http/request.hpp"

namespace wasmdev::http {

// A resource as the stages after resolve() see it: what it is, the version its validators
// name, and what it can be sent as. A file and an embedded asset differ only in these
// values and in where their bytes come from (attach_*_body).
struct Resource {
    std::string_view type{};
    std::uint64_t id = 0;  // inode, or a hash of embedded bytes
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    bool is_file = false;  // Last-Modified, Accept-Ranges and ranges are for files
    std::vector<ContentCoding> sidecar_codings{};
    std::vector<std::shared_ptr<OpenFile const>> sidecar_files{};  // same order
    Offer offer() const { return {sidecar_codings, compressible}; }
    bool compressible = false;
    std::int64_t ctime_ns = 0;  // in the validator: mtime can be set back, ctime cannot
};

std::time_t seconds(std::int64_t ns);

ResponsePlan not_acceptable(Resource const& res, Config const& cfg);

// The version a representation's validators name: a sidecar is a file of its own.
std::string etag_of(Resource const& res, Representation rep);

// Stage: the 200's head for this representation; the body comes last, if at all.
ResponsePlan representation_head(Resource const& res, Representation rep, std::string etag, Config const& cfg);

// Content-Encoding describes a body: a 200 (or its HEAD) has it, a 304 does not (RFC 9110 §15.4.5).
void add_content_encoding(ResponsePlan& p, Representation rep);

// Stage: If-Match / If-None-Match / If-(Un)Modified-Since (RFC 9110 §13.2.2). A 304 is the
// head with no body; a 412 an error page with the current ETag. nullopt: go on.
std::optional<ResponsePlan> answer_conditionals(RequestHead const& req, Resource const& res, std::string_view etag,
                                                ResponsePlan& head, Config const& cfg);

}  // namespace wasmdev::http
