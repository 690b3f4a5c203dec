"""The compound file writer produces files that a strict reader accepts."""

from __future__ import annotations

import random
import struct

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfeval.excel.vba.cfb import (
    CompoundFileError,
    build_compound_file,
    cfb_name_key,
)

SECTOR = 512
NOSTREAM = 0xFFFFFFFF


def open_strict(data: bytes) -> olefile.OleFileIO:
    return olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT)


def read_all_streams(data: bytes) -> dict[str, bytes]:
    ole = open_strict(data)
    try:
        return {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}
    finally:
        ole.close()


def directory_entries(data: bytes) -> list[dict]:
    """Decode the directory sectors of a version 3 compound file."""
    (fat_count, dir_start) = struct.unpack_from("<II", data, 44)
    difat = struct.unpack_from("<109I", data, 76)
    fat: list[int] = []
    for sector in difat[:fat_count]:
        offset = SECTOR * (sector + 1)
        fat += struct.unpack_from("<128I", data, offset)
    entries = []
    sector = dir_start
    while sector != 0xFFFFFFFE:
        offset = SECTOR * (sector + 1)
        for index in range(4):
            raw = data[offset + 128 * index : offset + 128 * (index + 1)]
            name_length = struct.unpack_from("<H", raw, 64)[0]
            kind, color = raw[66], raw[67]
            left, right, child = struct.unpack_from("<III", raw, 68)
            start, size = struct.unpack_from("<IQ", raw, 116)
            name = raw[: max(name_length - 2, 0)].decode("utf-16-le")
            entries.append(
                dict(name=name, kind=kind, color=color, left=left, right=right,
                     child=child, start=start, size=size, raw=raw)
            )
        sector = fat[sector]
    return entries


def check_sibling_tree(entries: list[dict], root_id: int) -> list[str]:
    """Validate one storage's red-black tree; return its names in order."""
    assert entries[root_id]["color"] == 1, "tree root must be black"

    def walk(node_id: int, parent_red: bool) -> tuple[list[str], int]:
        if node_id == NOSTREAM:
            return [], 1
        node = entries[node_id]
        red = node["color"] == 0
        assert not (red and parent_red), f"red node {node['name']!r} under a red node"
        left_names, left_black = walk(node["left"], red)
        right_names, right_black = walk(node["right"], red)
        assert left_black == right_black, f"unequal black height below {node['name']!r}"
        return left_names + [node["name"]] + right_names, left_black + (0 if red else 1)

    names, _ = walk(root_id, False)
    keys = [cfb_name_key(name) for name in names]
    assert keys == sorted(keys) and len(set(keys)) == len(keys), names
    return names


def check_all_trees(entries: list[dict]) -> None:
    for entry in entries:
        if entry["kind"] in (1, 5) and entry["child"] != NOSTREAM:
            check_sibling_tree(entries, entry["child"])


def test_olefile_strict_reads_small_streams_back_from_the_mini_stream():
    streams = {
        "PROJECT": b'ID="x"\r\n',
        "PROJECTwm": b"\x00\x00",
        "VBA/dir": bytes(range(256)) * 3,
    }
    data = build_compound_file(streams)
    assert read_all_streams(data) == streams
    entries = directory_entries(data)
    root = entries[0]
    assert root["name"] == "Root Entry" and root["kind"] == 5
    # All three streams live in the mini stream: 1 + 1 + 12 mini sectors.
    assert root["size"] == 14 * 64
    assert all(e["size"] < 4096 for e in entries if e["kind"] == 2)


def test_large_streams_use_regular_sector_chains():
    rng = random.Random(7)
    streams = {
        "big": rng.randbytes(4096),  # exactly at the cutoff: regular sectors
        "VBA/huge": rng.randbytes(50_000),  # many sectors
        "VBA/small": b"tiny",
    }
    data = build_compound_file(streams)
    assert read_all_streams(data) == streams
    entries = {e["name"]: e for e in directory_entries(data)}
    ole = open_strict(data)
    try:
        # olefile marks streams read through the MiniFAT.
        by_name = {d.name: d for d in ole.direntries if d is not None}
        assert not by_name["big"].is_minifat
        assert not by_name["huge"].is_minifat
        assert by_name["small"].is_minifat
    finally:
        ole.close()
    assert entries["huge"]["size"] == 50_000


def test_many_streams_spread_over_several_directory_and_fat_sectors():
    rng = random.Random(11)
    streams = {}
    for index in range(150):
        size = rng.choice([0, 1, 63, 64, 65, 511, 512, 513, 4095, 4096, 4097, 9000])
        streams[f"S{index % 5}/stream{index}"] = rng.randbytes(size)
    data = build_compound_file(streams)
    fat_sectors = struct.unpack_from("<I", data, 44)[0]
    assert fat_sectors > 1
    assert read_all_streams(data) == streams
    entries = directory_entries(data)
    assert len(entries) > 4 * 10
    check_all_trees(entries)


def test_empty_stream_has_end_of_chain_start():
    data = build_compound_file({"empty": b"", "VBA/also": b""})
    assert read_all_streams(data) == {"empty": b"", "VBA/also": b""}
    entries = {e["name"]: e for e in directory_entries(data)}
    assert entries["empty"]["start"] == 0xFFFFFFFE


def test_directory_entries_are_deterministic_and_zeroed():
    streams = {"VBA/Module1": b"a" * 100, "PROJECT": b"b" * 5000}
    data = build_compound_file(streams)
    assert data == build_compound_file(dict(reversed(list(streams.items()))))
    assert data[8:24] == bytes(16)  # header CLSID
    for entry in directory_entries(data):
        raw = entry["raw"]
        assert raw[80:96] == bytes(16)  # CLSID
        assert raw[100:116] == bytes(16)  # creation and modification times
    assert len(data) % SECTOR == 0


def test_sibling_order_compares_length_before_uppercase_name():
    assert cfb_name_key("dir") < cfb_name_key("Sheet1")
    assert cfb_name_key("Zz") < cfb_name_key("aaa")
    assert cfb_name_key("abc") == cfb_name_key("ABC")
    assert cfb_name_key("_VBA_PROJECT") > cfb_name_key("ThisWorkbook")  # '_' (0x5F) > 'T'
    names = ["_VBA_PROJECT", "dir", "Sheet1", "Sheet10", "ThisWorkbook", "Module1", "a", "B"]
    data = build_compound_file({f"VBA/{n}": b"x" for n in names})
    entries = directory_entries(data)
    vba = next(e for e in entries if e["name"] == "VBA")
    assert check_sibling_tree(entries, vba["child"]) == sorted(names, key=cfb_name_key)


@pytest.mark.parametrize("count", list(range(1, 18)) + [31, 32, 63, 64, 100])
def test_sibling_trees_are_valid_red_black_trees_for_any_count(count):
    data = build_compound_file({f"n{index}": b"" for index in range(count)})
    entries = directory_entries(data)
    names = check_sibling_tree(entries, entries[0]["child"])
    assert len(names) == count


_names = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789_ äöüÄÖÜ中文"),
    min_size=1,
    max_size=31,
)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from(["", "VBA/", "VBA/Sub/", "Other/"]), _names),
        st.one_of(st.binary(max_size=600), st.integers(4000, 12000).map(lambda n: b"\xab" * n)),
        max_size=40,
    )
)
def test_any_set_of_streams_reads_back_byte_identical(raw_streams):
    streams: dict[str, bytes] = {}
    seen_keys = set()
    storages = {"VBA", "Sub", "Other"}
    for (prefix, name), payload in raw_streams.items():
        path = prefix + name
        key = (prefix.upper(), cfb_name_key(name))
        if key in seen_keys or name.upper() in {s.upper() for s in storages}:
            continue  # same name up to case, or a stream named like a storage
        seen_keys.add(key)
        streams[path] = payload
    data = build_compound_file(streams)
    assert read_all_streams(data) == streams
    check_all_trees(directory_entries(data))


@pytest.mark.parametrize(
    "streams, message",
    [
        ({"x" * 32: b""}, "longer than 31"),
        ({"a:b": b""}, "forbidden"),
        ({"A/": b""}, "empty name"),
        ({"Module": b"", "MODULE": b""}, "differ only in case"),
        ({"VBA": b"", "VBA/dir": b""}, "both as a stream and as a storage"),
    ],
)
def test_invalid_names_are_rejected(streams, message):
    with pytest.raises(CompoundFileError, match=message):
        build_compound_file(streams)


def test_content_beyond_header_difat_raises_a_clear_error():
    too_big = bytes(109 * 128 * SECTOR)  # needs more FAT sectors than the header lists
    with pytest.raises(CompoundFileError, match="109"):
        build_compound_file({"big": too_big})
