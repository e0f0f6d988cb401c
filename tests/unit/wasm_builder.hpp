// Test helper: builds wasm modules and DWARF sections byte by byte, so the reader's tests
// can say exactly which byte is wrong. Used by test_wasm_*.cpp and test_doctor_*.cpp only.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>
#include <vector>

namespace wasmdev::test {

struct Bytes {
    std::vector<std::uint8_t> v{};

    Bytes& u8(std::uint64_t x) {
        v.push_back(std::uint8_t(x));
        return *this;
    }
    Bytes& fixed(std::uint64_t x, unsigned width) {
        for (unsigned i = 0; i < width; ++i) v.push_back(std::uint8_t(x >> (8 * i)));
        return *this;
    }
    Bytes& u16(std::uint64_t x) { return fixed(x, 2); }
    Bytes& u32(std::uint64_t x) { return fixed(x, 4); }
    Bytes& u64(std::uint64_t x) { return fixed(x, 8); }
    Bytes& uleb(std::uint64_t x) {
        do {
            std::uint8_t b = x & 0x7f;
            x >>= 7;
            v.push_back(std::uint8_t(b | (x ? 0x80 : 0)));
        } while (x);
        return *this;
    }
    Bytes& sleb(std::int64_t x) {
        for (;;) {
            std::uint8_t b = x & 0x7f;
            x >>= 7;
            bool done = (x == 0 && !(b & 0x40)) || (x == -1 && (b & 0x40));
            v.push_back(std::uint8_t(b | (done ? 0 : 0x80)));
            if (done) return *this;
        }
    }
    Bytes& raw(std::string_view s) {
        v.insert(v.end(), s.begin(), s.end());
        return *this;
    }
    Bytes& cstr(std::string_view s) {
        raw(s);
        v.push_back(0);
        return *this;
    }
    Bytes& name(std::string_view s) {
        uleb(s.size());
        return raw(s);
    }  // wasm name: LEB length + bytes
    Bytes& bytes(Bytes const& b) {
        v.insert(v.end(), b.v.begin(), b.v.end());
        return *this;
    }
    std::size_t size() const { return v.size(); }
};

// A custom section's payload: its name, then the content.
inline Bytes custom(std::string_view name, Bytes const& content) { return Bytes{}.name(name).bytes(content); }

// "\0asm", version 1, then each (id, payload) with its LEB128 size.
inline std::vector<std::uint8_t> module(std::initializer_list<std::pair<std::uint8_t, Bytes>> sections) {
    Bytes m;
    m.raw(std::string_view("\0asm", 4)).u32(1);
    for (auto const& [id, payload] : sections) m.u8(id).uleb(payload.size()).bytes(payload);
    return m.v;
}

// A DWARF unit or line table: 32-bit length then the body (64-bit: 0xffffffff and 8 bytes).
inline Bytes with_length(Bytes const& body, bool dwarf64 = false) {
    Bytes b;
    if (dwarf64)
        b.u32(0xffffffff).u64(body.size());
    else
        b.u32(body.size());
    return b.bytes(body);
}

}  // namespace wasmdev::test
