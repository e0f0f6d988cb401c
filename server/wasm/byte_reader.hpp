// A bounded little-endian cursor over untrusted bytes: fixed-width integers, LEB128 and
// NUL-terminated strings, as the wasm binary format and DWARF encode them.
// Every read checks the bounds first; a failed read returns nullopt and leaves the cursor
// at the end, so a caller can never read past the span. Interpreting values is left to others.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace wasmdev::wasm {

class ByteReader {
public:
    ByteReader() = default;
    explicit ByteReader(std::span<std::uint8_t const> bytes) : bytes_(bytes) {}

    std::size_t offset() const { return pos_; }
    std::size_t size() const { return bytes_.size(); }
    std::size_t remaining() const { return bytes_.size() - pos_; }
    bool at_end() const { return pos_ >= bytes_.size(); }
    std::span<std::uint8_t const> bytes() const { return bytes_; }

    // Moves to an absolute offset; false (and at the end) when it lies past the span.
    bool seek(std::size_t offset) {
        if (offset > bytes_.size()) return fail(false);
        pos_ = offset;
        return true;
    }
    bool skip(std::uint64_t n) {
        if (n > remaining()) return fail(false);
        pos_ += std::size_t(n);
        return true;
    }

    std::optional<std::uint64_t> fixed(unsigned width) {  // width 1, 2, 4 or 8
        if (width > 8 || width > remaining()) return fail(std::optional<std::uint64_t>{});
        std::uint64_t v = 0;
        for (unsigned i = 0; i < width; ++i) v |= std::uint64_t(bytes_[pos_ + i]) << (8 * i);
        pos_ += width;
        return v;
    }
    std::optional<std::uint8_t> u8() {
        auto v = fixed(1);
        return v ? std::optional<std::uint8_t>(std::uint8_t(*v)) : std::nullopt;
    }
    std::optional<std::uint16_t> u16() {
        auto v = fixed(2);
        return v ? std::optional<std::uint16_t>(std::uint16_t(*v)) : std::nullopt;
    }
    std::optional<std::uint32_t> u32() {
        auto v = fixed(4);
        return v ? std::optional<std::uint32_t>(std::uint32_t(*v)) : std::nullopt;
    }
    std::optional<std::uint64_t> u64() { return fixed(8); }

    // Unsigned LEB128. More than 10 bytes, or bits beyond 64, is malformed: nullopt.
    std::optional<std::uint64_t> uleb() {
        std::uint64_t v = 0;
        for (unsigned shift = 0; shift < 70; shift += 7) {
            if (at_end()) return fail(std::optional<std::uint64_t>{});
            std::uint8_t b = bytes_[pos_++];
            std::uint64_t const low = b & 0x7f;
            if (shift == 63 && low > 1) return fail(std::optional<std::uint64_t>{});
            if (shift < 64) v |= low << shift;
            if ((b & 0x80) == 0) return v;
        }
        return fail(std::optional<std::uint64_t>{});
    }
    std::optional<std::int64_t> sleb() {
        std::uint64_t v = 0;
        unsigned shift = 0;
        for (; shift < 70; shift += 7) {
            if (at_end()) return fail(std::optional<std::int64_t>{});
            std::uint8_t b = bytes_[pos_++];
            if (shift < 64) v |= std::uint64_t(b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (shift + 7 < 64 && (b & 0x40)) v |= ~std::uint64_t(0) << (shift + 7);
                return std::int64_t(v);
            }
        }
        return fail(std::optional<std::int64_t>{});
    }

    // A NUL-terminated string (the NUL is consumed, not returned); nullopt without a NUL.
    std::optional<std::string_view> cstr() {
        for (std::size_t i = pos_; i < bytes_.size(); ++i) {
            if (bytes_[i] == 0) {
                std::string_view s(reinterpret_cast<char const*>(bytes_.data() + pos_), i - pos_);
                pos_ = i + 1;
                return s;
            }
        }
        return fail(std::optional<std::string_view>{});
    }

    // n bytes as a sub-span; nullopt when fewer remain.
    std::optional<std::span<std::uint8_t const>> take(std::uint64_t n) {
        if (n > remaining()) return fail(std::optional<std::span<std::uint8_t const>>{});
        auto s = bytes_.subspan(pos_, std::size_t(n));
        pos_ += std::size_t(n);
        return s;
    }

private:
    template <class T>
    T fail(T v) {
        pos_ = bytes_.size();
        return v;
    }

    std::span<std::uint8_t const> bytes_{};
    std::size_t pos_ = 0;
};

}  // namespace wasmdev::wasm
