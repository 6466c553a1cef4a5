"""The characters a TrueType font has glyphs for, read from its cmap table (no font library:
newsbot ships the font, not the tools that made it)."""

from __future__ import annotations

import struct
from pathlib import Path


def _table(data: bytes, tag: bytes) -> bytes:
    """One table of the font file, by its four-letter tag."""
    count = struct.unpack_from(">H", data, 4)[0]
    for i in range(count):
        name, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if name == tag:
            return data[offset : offset + length]
    raise LookupError(f"no {tag!r} table")


def _format4(sub: bytes) -> set[int]:
    """Segments of a BMP mapping: codes start..end, each segment's glyph id not 0."""
    segments = struct.unpack_from(">H", sub, 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", sub, 14)
    starts = struct.unpack_from(f">{segments}H", sub, 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", sub, 16 + 4 * segments)
    ranges_at = 16 + 6 * segments
    range_offsets = struct.unpack_from(f">{segments}H", sub, ranges_at)
    found = set()
    for i, (start, end, delta, range_offset) in enumerate(
        zip(starts, ends, deltas, range_offsets, strict=True)
    ):
        for code in range(start, end + 1):
            if code == 0xFFFF:
                continue
            if range_offset == 0:
                glyph = (code + delta) % 65536
            else:
                at = ranges_at + 2 * i + range_offset + 2 * (code - start)
                glyph = struct.unpack_from(">H", sub, at)[0]
                glyph = (glyph + delta) % 65536 if glyph else 0
            if glyph:
                found.add(code)
    return found


def _format12(sub: bytes) -> set[int]:
    """Groups of a full-Unicode mapping."""
    groups = struct.unpack_from(">I", sub, 12)[0]
    found: set[int] = set()
    for i in range(groups):
        start, end, _glyph = struct.unpack_from(">III", sub, 16 + 12 * i)
        found.update(range(start, end + 1))
    return found


def covered(path: Path) -> set[str]:
    """Every character the font at `path` maps to a glyph (Windows Unicode subtables)."""
    cmap = _table(path.read_bytes(), b"cmap")
    count = struct.unpack_from(">H", cmap, 2)[0]
    found: set[int] = set()
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
        if platform != 3 or encoding not in (1, 10):
            continue
        kind = struct.unpack_from(">H", cmap, offset)[0]
        if kind == 4:
            found |= _format4(cmap[offset:])
        elif kind == 12:
            found |= _format12(cmap[offset:])
    return {chr(code) for code in found}
