#include "server/wasm/sections.hpp"

#include <fmt/format.h>

#include "server/wasm/byte_reader.hpp"

namespace wasmdev::wasm {

Module read_sections(std::span<std::uint8_t const> bytes) {
    Module m;
    ByteReader r(bytes);
    auto magic = r.u32();
    auto version = r.u32();
    if (!magic || *magic != 0x6d736100) {  // "\0asm"
        m.error = "not a WebAssembly module (no \\0asm magic)";
        return m;
    }
    if (!version || *version != 1) {
        m.error = version ? fmt::format("unsupported wasm binary version {}", *version)
                          : std::string("truncated wasm header");
        return m;
    }
    m.is_wasm = true;
    while (!r.at_end()) {
        std::size_t const at = r.offset();
        auto id = r.u8();
        auto size = r.uleb();
        if (!id || !size) {
            m.error = fmt::format("truncated section header at byte {}", at);
            return m;
        }
        if (*size > r.remaining()) {
            m.error = fmt::format("section {} at byte {} claims {} bytes, only {} remain", *id, at, *size, r.remaining());
            return m;
        }
        auto payload = *r.take(*size);
        Section s;
        s.id = *id;
        s.offset = r.offset() - payload.size();
        if (s.id == custom_section_id) {
            ByteReader pr(payload);
            auto len = pr.uleb();
            auto name = len ? pr.take(*len) : std::nullopt;
            if (!name) {
                m.error = fmt::format("custom section at byte {}: its name runs past the section", at);
                return m;
            }
            s.name.assign(reinterpret_cast<char const*>(name->data()), name->size());
            s.offset += pr.offset();
            s.payload = payload.subspan(pr.offset());
            if (find_custom(m, s.name)) m.warnings.push_back(fmt::format("duplicate custom section \"{}\" at byte {}; the first one counts", s.name, at));
        } else {
            s.payload = payload;
        }
        m.sections.push_back(std::move(s));
    }
    return m;
}

Section const* find_custom(Module const& m, std::string_view name) {
    for (auto const& s : m.sections)
        if (s.id == custom_section_id && s.name == name) return &s;
    return nullptr;
}

std::optional<std::string> read_url_payload(std::span<std::uint8_t const> payload) {
    ByteReader r(payload);
    auto len = r.uleb();
    auto text = len ? r.take(*len) : std::nullopt;
    if (!text) return std::nullopt;
    return std::string(reinterpret_cast<char const*>(text->data()), text->size());
}

}  // namespace wasmdev::wasm
