#include "server/wasm/memory.hpp"

#include "server/wasm/byte_reader.hpp"

namespace wasmdev::wasm {
namespace {

constexpr std::uint8_t import_section_id = 2;
constexpr std::uint8_t memory_section_id = 5;

// limits: flags, min, [max] (core spec 5.3.7; threads adds 0x02 shared, memory64 0x04).
// out changes only when the whole limits were read.
bool read_limits(ByteReader& r, MemoryInfo& result) {
    MemoryInfo out = result;
    auto flags = r.u8();
    auto min = flags ? r.uleb() : std::nullopt;
    if (!min) return false;
    out.min_pages = *min;
    out.shared = (*flags & 0x02) != 0;
    out.memory64 = (*flags & 0x04) != 0;
    if (*flags & 0x01) {
        auto max = r.uleb();
        if (!max) return false;
        out.max_pages = *max;
    }
    result = out;
    return true;
}

bool skip_name(ByteReader& r) {
    auto len = r.uleb();
    return len && r.skip(*len);
}

// Table limits share the encoding; a table's flags are read and dropped.
bool skip_limits(ByteReader& r) {
    MemoryInfo ignored;
    return read_limits(r, ignored);
}

}  // namespace

MemoryInfo read_memory(Module const& m) {
    MemoryInfo info;
    for (auto const& s : m.sections) {
        if (s.id == import_section_id) {
            ByteReader r(s.payload);
            auto count = r.uleb();
            for (std::uint64_t i = 0; count && i < *count && !r.at_end(); ++i) {
                if (!skip_name(r) || !skip_name(r)) return info;
                auto kind = r.u8();
                if (!kind) return info;
                switch (*kind) {
                    case 0x00:
                        if (!r.uleb()) return info;
                        break;  // func: type index
                    case 0x01:
                        if (!r.u8() || !skip_limits(r)) return info;
                        break;  // table: reftype, limits
                    case 0x02:  // memory
                        if (!read_limits(r, info)) return info;
                        info.present = info.imported = true;
                        return info;
                    case 0x03:
                        if (!r.u8() || !r.u8()) return info;
                        break;  // global: valtype, mut
                    case 0x04:
                        if (!r.u8() || !r.uleb()) return info;
                        break;             // tag: attribute, type
                    default: return info;  // unknown import kind: nothing after it can be read
                }
            }
        } else if (s.id == memory_section_id) {
            ByteReader r(s.payload);
            auto count = r.uleb();
            if (count && *count > 0 && read_limits(r, info)) info.present = true;
            return info;
        }
    }
    return info;
}

}  // namespace wasmdev::wasm
