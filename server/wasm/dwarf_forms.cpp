#include "server/wasm/dwarf_forms.hpp"

namespace wasmdev::dwarf {
namespace {

std::optional<FormValue> unsigned_value(std::optional<std::uint64_t> v, ValueKind kind = ValueKind::unsigned_int) {
    if (!v) return std::nullopt;
    FormValue f;
    f.kind = kind;
    f.u = *v;
    return f;
}

std::optional<FormValue> skipped(wasm::ByteReader& r, std::optional<std::uint64_t> length) {
    if (!length || !r.skip(*length)) return std::nullopt;
    FormValue f;
    f.kind = ValueKind::block;
    f.u = *length;
    return f;
}

std::optional<FormValue> read_form_depth(wasm::ByteReader& r, std::uint64_t form, FormContext const& ctx,
                                         std::int64_t implicit_const, int depth) {
    switch (form) {
        case 0x01: return unsigned_value(r.fixed(ctx.addr_size));  // addr
        case 0x03: return skipped(r, r.fixed(2));                  // block2
        case 0x04: return skipped(r, r.fixed(4));                  // block4
        case 0x05: return unsigned_value(r.fixed(2));              // data2
        case 0x06: return unsigned_value(r.fixed(4));              // data4
        case 0x07: return unsigned_value(r.fixed(8));              // data8
        case 0x08: {                                               // string
            auto s = r.cstr();
            if (!s) return std::nullopt;
            FormValue f;
            f.kind = ValueKind::inline_string;
            f.text = *s;
            return f;
        }
        case 0x09: return skipped(r, r.uleb());        // block
        case 0x0a: return skipped(r, r.fixed(1));      // block1
        case 0x0b: return unsigned_value(r.fixed(1));  // data1
        case 0x0c: return unsigned_value(r.fixed(1));  // flag
        case 0x0d: {                                   // sdata
            auto v = r.sleb();
            if (!v) return std::nullopt;
            FormValue f;
            f.kind = ValueKind::signed_int;
            f.s = *v;
            return f;
        }
        case 0x0e: return unsigned_value(r.fixed(ctx.offset_size), ValueKind::strp);                    // strp
        case 0x0f: return unsigned_value(r.uleb());                                                     // udata
        case 0x10: return unsigned_value(r.fixed(ctx.version <= 2 ? ctx.addr_size : ctx.offset_size));  // ref_addr
        case 0x11: return unsigned_value(r.fixed(1));                                                   // ref1
        case 0x12: return unsigned_value(r.fixed(2));                                                   // ref2
        case 0x13: return unsigned_value(r.fixed(4));                                                   // ref4
        case 0x14: return unsigned_value(r.fixed(8));                                                   // ref8
        case 0x15: return unsigned_value(r.uleb());                                                     // ref_udata
        case 0x16: {                                                                                    // indirect
            auto actual = r.uleb();
            // A chain of indirect forms is legal but pointless; bound it so a crafted one cannot recurse deeply.
            if (!actual || depth > 4) return std::nullopt;
            return read_form_depth(r, *actual, ctx, implicit_const, depth + 1);
        }
        case 0x17: return unsigned_value(r.fixed(ctx.offset_size));   // sec_offset
        case 0x18: return skipped(r, r.uleb());                       // exprloc
        case 0x19: return unsigned_value(std::uint64_t(1));           // flag_present
        case 0x1a: return unsigned_value(r.uleb(), ValueKind::strx);  // strx
        case 0x1b: return unsigned_value(r.uleb());                   // addrx
        case 0x1c: return unsigned_value(r.fixed(4));                 // ref_sup4
        case 0x1d: return unsigned_value(r.fixed(ctx.offset_size));   // strp_sup (another file's strings)
        case 0x1e: return skipped(r, std::uint64_t(16));              // data16
        case 0x1f: return unsigned_value(r.fixed(ctx.offset_size), ValueKind::line_strp);  // line_strp
        case 0x20: return unsigned_value(r.fixed(8));                                      // ref_sig8
        case 0x21: {                                                                       // implicit_const
            FormValue f;
            f.kind = ValueKind::signed_int;
            f.s = implicit_const;
            return f;
        }
        case 0x22: return unsigned_value(r.uleb());                     // loclistx
        case 0x23: return unsigned_value(r.uleb());                     // rnglistx
        case 0x24: return unsigned_value(r.fixed(8));                   // ref_sup8
        case 0x25: return unsigned_value(r.fixed(1), ValueKind::strx);  // strx1
        case 0x26: return unsigned_value(r.fixed(2), ValueKind::strx);  // strx2
        case 0x27: return unsigned_value(r.fixed(3), ValueKind::strx);  // strx3
        case 0x28: return unsigned_value(r.fixed(4), ValueKind::strx);  // strx4
        case 0x29: return unsigned_value(r.fixed(1));                   // addrx1
        case 0x2a: return unsigned_value(r.fixed(2));                   // addrx2
        case 0x2b: return unsigned_value(r.fixed(3));                   // addrx3
        case 0x2c: return unsigned_value(r.fixed(4));                   // addrx4
        case 0x1f01: return unsigned_value(r.uleb());                   // GNU_addr_index (pre-v5 split DWARF)
        case 0x1f02: return unsigned_value(r.uleb(), ValueKind::strx);  // GNU_str_index
        case 0x1f20: return unsigned_value(r.fixed(ctx.offset_size));   // GNU_ref_alt
        case 0x1f21: return unsigned_value(r.fixed(ctx.offset_size));   // GNU_strp_alt (a .dwz file's strings)
        default: return std::nullopt;
    }
}

}  // namespace

std::optional<FormValue> read_form(wasm::ByteReader& r, std::uint64_t form, FormContext const& ctx,
                                   std::int64_t implicit_const) {
    return read_form_depth(r, form, ctx, implicit_const, 0);
}

}  // namespace wasmdev::dwarf
