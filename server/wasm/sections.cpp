#include "server/wasm/sections.hpp"

#include <fmt/format.h>

#include <string_view>
#include <unordered_set>

#include "server/wasm/byte_reader.hpp"
#include "server/wasm/problem_log.hpp"

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
    // Names seen so far (views into `bytes`): a duplicate is found in O(1), not by a scan of
    // every earlier section (a module of 2 million 4-byte sections took minutes).
    std::unordered_set<std::string_view> custom_names;
    ProblemLog warnings;
    bool over = false;  // sections were checked but not kept
    auto finish = [&] {
        m.warnings = warnings.lines();
        if (over)
            m.warnings.push_back(fmt::format("{} sections; only the first {} are read", m.section_count, max_sections));
    };
    while (!r.at_end()) {
        std::size_t const at = r.offset();
        auto id = r.u8();
        auto size = r.uleb();
        if (!id || !size) {
            m.error = fmt::format("truncated section header at byte {}", at);
            finish();
            return m;
        }
        if (*size > r.remaining()) {
            m.error =
                fmt::format("section {} at byte {} claims {} bytes, only {} remain", *id, at, *size, r.remaining());
            finish();
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
                finish();
                return m;
            }
            std::string_view const name_view(reinterpret_cast<char const*>(name->data()), name->size());
            ++m.section_count;
            if (m.sections.size() >= max_sections) {
                over = true;
                continue;
            }
            if (!custom_names.insert(name_view).second) {
                // One kind whatever the name: a crafted module could give every duplicate a name
                // of its own; the line kept still names the first.
                warnings.add(
                    fmt::format("duplicate custom section \"{}\" at byte {}; the first one counts", name_view, at),
                    "duplicate custom section");
                continue;  // never found by find_custom: the first one counts
            }
            s.name.assign(name_view);
            s.offset += pr.offset();
            s.payload = payload.subspan(pr.offset());
        } else {
            ++m.section_count;
            if (m.sections.size() >= max_sections) {
                over = true;
                continue;
            }
            s.payload = payload;
        }
        m.sections.push_back(std::move(s));
    }
    finish();
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
