"""Minimal MS-CFB (compound file binary) writer: version 3, 512-byte sectors.

Enough for a vbaProject.bin: nested storages and streams, the mini stream for
streams under 4096 bytes, FAT, MiniFAT and the 109 DIFAT slots of the header.
Timestamps and CLSIDs are zero and the layout depends only on the input, so
the same streams always give the same bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["build_compound_file", "cfb_name_key", "CompoundFileError"]

SECTOR_SIZE = 512
MINI_SECTOR_SIZE = 64
MINI_STREAM_CUTOFF = 4096
HEADER_DIFAT_SLOTS = 109
_ENTRIES_PER_FAT_SECTOR = SECTOR_SIZE // 4
_DIR_ENTRY_SIZE = 128
_ENTRIES_PER_DIR_SECTOR = SECTOR_SIZE // _DIR_ENTRY_SIZE

MAXREGSECT = 0xFFFFFFFA
FATSECT = 0xFFFFFFFD
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
NOSTREAM = 0xFFFFFFFF

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_TYPE_STORAGE = 1
_TYPE_STREAM = 2
_TYPE_ROOT = 5
_RED = 0
_BLACK = 1
_MAX_NAME_UNITS = 31  # 32 UTF-16 code units including the terminating NUL
_FORBIDDEN_NAME_CHARS = frozenset("/\\:!")


class CompoundFileError(ValueError):
    """The requested streams cannot be stored in a version 3 compound file."""


def cfb_name_key(name: str) -> tuple[int, str]:
    """Sort key for sibling entries (MS-CFB 2.6.4).

    Shorter names sort first; equal lengths compare code unit by code unit
    after upper-casing.  Characters whose upper case is not a single character
    (such as the German sharp s) are compared unchanged, as Windows does.
    """
    units = name.encode("utf-16-le")
    upper = "".join(ch.upper() if len(ch.upper()) == 1 else ch for ch in name)
    return (len(units) // 2, upper)


@dataclass
class _Node:
    name: str
    is_storage: bool
    data: bytes = b""
    children: dict[str, _Node] = field(default_factory=dict)
    entry_id: int = -1
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN


def _check_name(name: str, path: str) -> None:
    if not name:
        raise CompoundFileError(f"empty name component in path {path!r}")
    if len(name.encode("utf-16-le")) // 2 > _MAX_NAME_UNITS:
        raise CompoundFileError(f"name {name!r} in {path!r} is longer than 31 UTF-16 code units")
    bad = sorted(_FORBIDDEN_NAME_CHARS.intersection(name))
    if bad:
        raise CompoundFileError(f"name {name!r} in {path!r} contains forbidden characters {bad}")


def _build_tree(streams: Mapping[str, bytes]) -> _Node:
    root = _Node("Root Entry", is_storage=True)
    for path in sorted(streams):
        parts = path.split("/")
        for part in parts:
            _check_name(part, path)
        node = root
        for depth, part in enumerate(parts):
            is_last = depth == len(parts) - 1
            key = cfb_name_key(part)[1]
            existing = node.children.get(key)
            if existing is None:
                existing = _Node(part, is_storage=not is_last)
                if is_last:
                    existing.data = bytes(streams[path])
                node.children[key] = existing
            elif existing.name != part:
                raise CompoundFileError(
                    f"{path!r}: {part!r} and {existing.name!r} differ only in case, "
                    "which compound files treat as the same name"
                )
            elif existing.is_storage == is_last:
                raise CompoundFileError(f"{path!r} is used both as a stream and as a storage")
            node = existing
    return root


def _assign_ids(root: _Node) -> list[_Node]:
    """Number entries breadth first, siblings in CFB order (root is 0)."""
    entries = [root]
    root.entry_id = 0
    queue = [root]
    while queue:
        storage = queue.pop(0)
        for child in sorted(storage.children.values(), key=lambda n: cfb_name_key(n.name)):
            child.entry_id = len(entries)
            entries.append(child)
            if child.is_storage:
                queue.append(child)
    return entries


def _link_siblings(storage: _Node) -> None:
    """Arrange a storage's children as a red-black tree.

    The tree is built by splitting the sorted list at its midpoint, so every
    level but the deepest is full.  Colouring the deepest level red (unless it
    is full too) gives every root-to-leaf path the same number of black nodes
    and never puts a red node under a red node, as MS-CFB 2.6.4 requires.
    """
    ordered = sorted(storage.children.values(), key=lambda n: cfb_name_key(n.name))
    depths: dict[int, int] = {}

    def build(low: int, high: int, depth: int) -> int:
        if low >= high:
            return NOSTREAM
        middle = (low + high) // 2
        node = ordered[middle]
        depths[id(node)] = depth
        node.left = build(low, middle, depth + 1)
        node.right = build(middle + 1, high, depth + 1)
        return node.entry_id

    storage.child = build(0, len(ordered), 0)
    if ordered:
        deepest = max(depths.values())
        last_level_full = len(ordered) == 2 ** (deepest + 1) - 1
        for node in ordered:
            deep = depths[id(node)] == deepest
            node.color = _RED if deep and not last_level_full else _BLACK
    for child in ordered:
        if child.is_storage:
            _link_siblings(child)


def _sectors_for(size: int, unit: int) -> int:
    return (size + unit - 1) // unit


def _chain(table: list[int], start: int, count: int) -> int:
    """Write a contiguous chain of `count` units into `table`; return its start."""
    if count == 0:
        return ENDOFCHAIN
    for index in range(start, start + count - 1):
        table[index] = index + 1
    table[start + count - 1] = ENDOFCHAIN
    return start


def _directory_entry(node: _Node | None, size: int = 0) -> bytes:
    if node is None:
        # Unused slot: all zero except the three links (MS-CFB 2.6.3).
        entry = bytearray(_DIR_ENTRY_SIZE)
        struct.pack_into("<III", entry, 68, NOSTREAM, NOSTREAM, NOSTREAM)
        return bytes(entry)
    name = node.name.encode("utf-16-le")
    if node.entry_id == 0:
        kind = _TYPE_ROOT
    elif node.is_storage:
        kind = _TYPE_STORAGE
    else:
        kind = _TYPE_STREAM
    start = node.start if kind != _TYPE_STORAGE else 0
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,  # zero-padded, so the terminating NUL is included
        len(name) + 2,
        kind,
        node.color,
        node.left,
        node.right,
        node.child,
        bytes(16),  # CLSID
        0,  # state bits
        0,  # creation time
        0,  # modification time
        start,
        size,
    )


def build_compound_file(streams: Mapping[str, bytes]) -> bytes:
    """Build a compound file holding `streams`.

    Keys are stream paths with "/" between storage names ("VBA/dir");
    storages are created from the paths.  Raises CompoundFileError if the
    names are invalid or the file would need DIFAT sectors (more than
    109 FAT sectors, roughly 6.8 MiB of content).
    """
    root = _build_tree(streams)
    entries = _assign_ids(root)
    root.color = _BLACK
    _link_siblings(root)

    small = [n for n in entries[1:] if not n.is_storage and 0 < len(n.data) < MINI_STREAM_CUTOFF]
    large = [n for n in entries[1:] if not n.is_storage and len(n.data) >= MINI_STREAM_CUTOFF]

    mini_sector_count = sum(_sectors_for(len(n.data), MINI_SECTOR_SIZE) for n in small)
    mini_stream_size = mini_sector_count * MINI_SECTOR_SIZE
    dir_sectors = _sectors_for(len(entries), _ENTRIES_PER_DIR_SECTOR)
    minifat_sectors = _sectors_for(mini_sector_count, _ENTRIES_PER_FAT_SECTOR)
    mini_stream_sectors = _sectors_for(mini_stream_size, SECTOR_SIZE)
    large_sectors = sum(_sectors_for(len(n.data), SECTOR_SIZE) for n in large)
    other_sectors = dir_sectors + minifat_sectors + mini_stream_sectors + large_sectors

    fat_sectors = 1
    while fat_sectors * _ENTRIES_PER_FAT_SECTOR < fat_sectors + other_sectors:
        fat_sectors += 1
    if fat_sectors > HEADER_DIFAT_SLOTS:
        raise CompoundFileError(
            f"content needs {fat_sectors} FAT sectors; this writer supports only the "
            f"{HEADER_DIFAT_SLOTS} listed in the header (no DIFAT sectors)"
        )
    total_sectors = fat_sectors + other_sectors
    if total_sectors > MAXREGSECT:
        raise CompoundFileError("content is too large for a compound file")

    # Layout: FAT, directory, MiniFAT, mini stream, then the large streams.
    fat = [FREESECT] * (fat_sectors * _ENTRIES_PER_FAT_SECTOR)
    for index in range(fat_sectors):
        fat[index] = FATSECT
    next_sector = fat_sectors
    dir_start = _chain(fat, next_sector, dir_sectors)
    next_sector += dir_sectors
    minifat_start = _chain(fat, next_sector, minifat_sectors)
    next_sector += minifat_sectors
    root.start = _chain(fat, next_sector, mini_stream_sectors)
    next_sector += mini_stream_sectors

    minifat = [FREESECT] * (minifat_sectors * _ENTRIES_PER_FAT_SECTOR)
    mini_stream = bytearray()
    for node in small:
        count = _sectors_for(len(node.data), MINI_SECTOR_SIZE)
        node.start = _chain(minifat, len(mini_stream) // MINI_SECTOR_SIZE, count)
        mini_stream += node.data.ljust(count * MINI_SECTOR_SIZE, b"\0")

    large_data = bytearray()
    for node in large:
        count = _sectors_for(len(node.data), SECTOR_SIZE)
        node.start = _chain(fat, next_sector, count)
        next_sector += count
        large_data += node.data.ljust(count * SECTOR_SIZE, b"\0")

    directory = bytearray()
    for node in entries:
        if node is root:
            size = mini_stream_size
        elif node.is_storage:
            size = 0
        else:
            size = len(node.data)
        directory += _directory_entry(node, size)
    for _ in range(dir_sectors * _ENTRIES_PER_DIR_SECTOR - len(entries)):
        directory += _directory_entry(None)

    difat = list(range(fat_sectors)) + [FREESECT] * (HEADER_DIFAT_SLOTS - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        _SIGNATURE,
        bytes(16),  # header CLSID
        0x003E,  # minor version
        0x0003,  # major version 3: 512-byte sectors
        0xFFFE,  # byte order mark (little endian)
        9,  # sector shift: 2**9 = 512
        6,  # mini sector shift: 2**6 = 64
        bytes(6),
        0,  # number of directory sectors: must be 0 in version 3
        fat_sectors,
        dir_start,
        0,  # transaction signature
        MINI_STREAM_CUTOFF,
        minifat_start,
        minifat_sectors,
        ENDOFCHAIN,  # first DIFAT sector
        0,  # number of DIFAT sectors
        *difat,
    )

    out = bytearray(header)
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += directory
    out += struct.pack(f"<{len(minifat)}I", *minifat)
    out += mini_stream.ljust(mini_stream_sectors * SECTOR_SIZE, b"\0")
    out += large_data
    expected = SECTOR_SIZE * (1 + total_sectors)
    if len(out) != expected:  # pragma: no cover - guards the layout arithmetic
        raise AssertionError(f"compound file layout is {len(out)} bytes, expected {expected}")
    return bytes(out)

