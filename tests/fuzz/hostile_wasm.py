#!/usr/bin/env python3
"""Writes hostile wasm modules that once made the DWARF reader blow up in memory or time
(docs/doctor.md, "Bounds"). Generated rather than committed: the full-size ones are MBs.
Usage: hostile_wasm.py KIND OUT [--scale N]   KIND: line_amplify, abbrev_rescan, strp_rescan,
dup_sections, many_units, or all (OUT is then a directory). --scale divides the size.
       hostile_wasm.py corpus CORPUS_DIR   writes scale-4096 copies (small, same code paths)
into the doctor, wasm_sections and dwarf seed corpora (dwarf: its split-sections format).
The unit tests build the same shapes in C++ (tests/unit/hostile_modules.hpp)."""
import os
import struct
import sys


def uleb(x):
    out = bytearray()
    while True:
        b = x & 0x7F
        x >>= 7
        out.append(b | (0x80 if x else 0))
        if not x:
            return bytes(out)


def name(s):
    b = s.encode()
    return uleb(len(b)) + b


def custom(section, payload):
    body = name(section) + payload
    return b"\0" + uleb(len(body)) + body


def module(*sections):
    return b"\0asm\x01\0\0\0" + b"".join(sections)


def cu_abbrev(code, attrs):
    """One abbreviation: code, DW_TAG_compile_unit, no children, (attr, form) pairs."""
    out = uleb(code) + uleb(0x11) + b"\0"
    for a, f in attrs:
        out += uleb(a) + uleb(f)
    return out + b"\0\0"


def cu_v4(abbrev_offset, code, attr_bytes=b""):
    body = struct.pack("<HIB", 4, abbrev_offset, 4) + uleb(code) + attr_bytes
    return struct.pack("<I", len(body)) + body


def line_amplify(scale):
    # A DWARF 5 line table whose every directory and file entry is a 4-byte line_strp naming
    # the same 4 KiB string: 2^20 of each in 8 MB asked for 8 GB of copies.
    n = (1 << 20) // scale
    entry_formats = b"\x01" + uleb(1) + uleb(0x1F)  # DW_LNCT_path, DW_FORM_line_strp
    header = bytes([1, 1, 1, 0xFB, 14, 13]) + bytes(12)  # min_inst .. line_range, opcode_base 13, lengths
    header += entry_formats + uleb(n) + struct.pack("<I", 0) * n
    header += entry_formats + uleb(n) + struct.pack("<I", 0) * n
    body = struct.pack("<HBB", 5, 4, 0) + struct.pack("<I", len(header)) + header
    line = struct.pack("<I", len(body)) + body
    abbrev = cu_abbrev(1, [(0x10, 0x17)]) + b"\0"  # DW_AT_stmt_list, sec_offset
    info = cu_v4(0, 1, struct.pack("<I", 0))
    return module(custom(".debug_info", info), custom(".debug_abbrev", abbrev), custom(".debug_line", line),
                  custom(".debug_line_str", b"a" * 4096 + b"\0"))


def abbrev_rescan(scale):
    # One 4 MB abbreviation table and 4 MB of units asking for a code one past its end: each
    # unit rescanned the whole table, and each left a problem line.
    entries = (600_000) // scale
    abbrev = b"".join(cu_abbrev(c, []) for c in range(1, entries + 1)) + b"\0"
    units = (280_000) // scale
    info = cu_v4(0, entries + 1) * units
    return module(custom(".debug_info", info), custom(".debug_abbrev", abbrev))


def strp_rescan(scale):
    # Every unit's DW_AT_name points at a 4 MB string with no NUL until its end: each unit
    # scanned it whole.
    abbrev = cu_abbrev(1, [(0x03, 0x0E)]) + b"\0"  # DW_AT_name, strp
    units = 250_000 // scale
    info = cu_v4(0, 1, struct.pack("<I", 0)) * units
    return module(custom(".debug_info", info), custom(".debug_abbrev", abbrev),
                  custom(".debug_str", b"s" * (4_000_000 // scale) + b"\0"))


def dup_sections(scale):
    # 2 million 4-byte custom sections named "x": each was checked against every earlier one,
    # and each left a warning.
    return module(*([custom("x", b"")] * (2_000_000 // scale)))


def many_units(scale):
    # 600,000 minimal units, each a Unit of ~200 bytes in memory from 14 bytes of input.
    abbrev = cu_abbrev(1, []) + b"\0"
    info = cu_v4(0, 1) * (600_000 // scale)
    return module(custom(".debug_info", info), custom(".debug_abbrev", abbrev))


KINDS = {f.__name__: f for f in (line_amplify, abbrev_rescan, strp_rescan, dup_sections, many_units)}


def custom_sections(wasm):
    """{name: payload} of a module's custom sections (the first of each name)."""
    out, at = {}, 8
    while at < len(wasm):
        at += 1
        size = shift = 0
        while True:
            b = wasm[at]
            at += 1
            size |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        payload, at = wasm[at:at + size], at + size
        n = payload[0]  # names here are shorter than 128 bytes
        out.setdefault(payload[1:1 + n].decode(), payload[1 + n:])
    return out


def dwarf_seed(wasm):
    """fuzz_dwarf's input: five u16 lengths, then info, abbrev, line, str, line_str, str_offsets."""
    c = custom_sections(wasm)
    parts = [c.get(n, b"") for n in (".debug_info", ".debug_abbrev", ".debug_line", ".debug_str", ".debug_line_str")]
    assert all(len(p) < 65536 for p in parts)
    return b"".join(struct.pack("<H", len(p)) for p in parts) + b"".join(parts) + c.get(".debug_str_offsets", b"")


def write_corpus(corpus):
    for k, f in KINDS.items():
        wasm = f(4096)
        # The section reader sees only the framing: the duplicate sections are its shape.
        targets = ["doctor"] + (["wasm_sections"] if k == "dup_sections" else ["dwarf"])
        for t in targets:
            data = dwarf_seed(wasm) if t == "dwarf" else wasm
            with open(os.path.join(corpus, t, "hostile-" + k.replace("_", "-") + (".bin" if t == "dwarf" else ".wasm")), "wb") as out:
                out.write(data)


def main(argv):
    if len(argv) == 3 and argv[1] == "corpus":
        return write_corpus(argv[2])
    if len(argv) < 3 or (argv[1] not in KINDS and argv[1] != "all"):
        sys.exit(__doc__)
    scale = int(argv[argv.index("--scale") + 1]) if "--scale" in argv else 1
    if argv[1] == "all":
        os.makedirs(argv[2], exist_ok=True)
        for k, f in KINDS.items():
            with open(os.path.join(argv[2], k + ".wasm"), "wb") as out:
                out.write(f(scale))
    else:
        with open(argv[2], "wb") as out:
            out.write(KINDS[argv[1]](scale))


if __name__ == "__main__":
    main(sys.argv)
