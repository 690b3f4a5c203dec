"""vbaProject.bin: compression, module sources, and structure against an Excel-written file.

The reference is `quickstart_addin_ribbon.xlam` shipped with xlwings, a file
Excel opens; its vbaProject.bin was written by Excel.
"""

from __future__ import annotations

import random
import struct
import uuid
import warnings
import zipfile
from pathlib import Path

import olefile
import pytest
import xlwings
from hypothesis import given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():
    # olevba builds pyparsing grammars with deprecated names at import time.
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser, decompress_stream

from perfeval.excel.vba import (
    IncompressibleChunkError,
    VbaModule,
    build_vba_project,
    compress,
    decompress,
    read_dir_records,
    stored_source,
    workbook_document_modules,
)
from perfeval.excel.vba.project import (
    decrypt_project_property,
    encrypt_project_property,
    project_id_for,
)

XLWINGS_DIR = Path(xlwings.__file__).parent
REFERENCE_XLAM = XLWINGS_DIR / "quickstart_addin_ribbon.xlam"
XLWINGS_BAS = XLWINGS_DIR / "xlwings.bas"

REFERENCE_RECORD_IDS = {0x16, 0x3E, 0x33, 0x2F, 0x30, 0x0D, 0x0E}


# --- helpers --------------------------------------------------------------------


def open_project(data: bytes) -> olefile.OleFileIO:
    return olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT)


@pytest.fixture(scope="module")
def reference_bin() -> bytes:
    with zipfile.ZipFile(REFERENCE_XLAM) as archive:
        return archive.read("xl/vbaProject.bin")


def dir_records(project_bin: bytes) -> list[tuple[int, bytes]]:
    ole = open_project(project_bin)
    try:
        return read_dir_records(decompress(ole.openstream("VBA/dir").read()))
    finally:
        ole.close()


def split_dir(records: list[tuple[int, bytes]]) -> dict:
    """Split dir records into information, references, modules header, modules, end."""
    ids = [record_id for record_id, _ in records]
    modules_at = ids.index(0x0F)
    first_reference = next(
        (i for i, rid in enumerate(ids[:modules_at]) if rid in REFERENCE_RECORD_IDS), modules_at
    )
    references: list[list[int]] = []
    for rid in ids[first_reference:modules_at]:
        if rid == 0x16 and (not references or references[-1][-1] in (0x0D, 0x0E, 0x30)):
            references.append([])
        references[-1].append(rid)
    modules: list[tuple[str, list[int], dict[int, bytes]]] = []
    position = modules_at + 2  # PROJECTMODULES, PROJECTCOOKIE
    while ids[position] != 0x10:
        end = ids.index(0x2B, position) + 1
        group = records[position:end]
        name = dict(group)[0x19].decode("ascii")
        modules.append((name, [rid for rid, _ in group], dict(group)))
        position = end
    return {
        "information": ids[:first_reference],
        "information_records": dict(records[:first_reference]),
        "references": references,
        "modules_header": ids[modules_at : modules_at + 2],
        "modules": modules,
        "end": ids[position:],
    }


def module_kind(record_ids: list[int]) -> str:
    return "standard" if 0x21 in record_ids else "document"


def project_stream_layout(text: str) -> list[str]:
    """Keys and section headers of a PROJECT stream, module lines folded to one marker."""
    layout: list[str] = []
    section = ""
    for line in text.split("\r\n"):
        if line.startswith("["):
            section = line
            layout.append(line)
        elif line == "":
            layout.append("<blank>")
        elif section == "[Workspace]":
            layout.append("<workspace window>")
        else:
            key = line.split("=", 1)[0]
            if section == "" and key in ("Module", "Document", "Class", "BaseClass", "Package"):
                key = "<module>"
            if not layout or layout[-1] != key:
                layout.append(key)
    # Collapse runs of workspace lines, which depend on the module count.
    collapsed: list[str] = []
    for item in layout:
        if item == "<workspace window>" and collapsed and collapsed[-1] == item:
            continue
        collapsed.append(item)
    return collapsed


def projectwm_names(data: bytes) -> list[str]:
    names = []
    position = 0
    while data[position : position + 2] != b"\x00\x00":
        end = data.index(b"\x00", position)
        mbcs = data[position:end].decode("ascii")
        position = end + 1
        unicode_end = position
        while data[unicode_end : unicode_end + 2] != b"\x00\x00":
            unicode_end += 2
        assert data[position:unicode_end].decode("utf-16-le") == mbcs
        names.append(mbcs)
        position = unicode_end + 2
    assert position + 2 == len(data)
    return names


def extract_with_olevba(project_bin: bytes) -> dict[str, str]:
    parser = VBA_Parser("vbaProject.bin", data=project_bin)
    try:
        return {
            stream_path: code
            for _, stream_path, _, code in parser.extract_macros()
        }
    finally:
        parser.close()


def sample_modules() -> list[VbaModule]:
    xlwings_module = VbaModule.from_file(XLWINGS_BAS)
    return [
        *workbook_document_modules(
            2,
            {"ThisWorkbook": "Private Sub Workbook_Open()\n    Call Main.Start\nEnd Sub\n"},
        ),
        VbaModule("Main", "Option Explicit\n\nPublic Sub Start()\n    Debug.Print \"ok\"\nEnd Sub"),
        xlwings_module,
    ]


# --- compression ----------------------------------------------------------------

SPEC_EXAMPLE_PLAIN = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
# MS-OVBA 3.2.3, "Compressed" of the example above.
SPEC_EXAMPLE_COMPRESSED = bytes.fromhex(
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C"
    " 00 30 6D 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C"
)


def test_decompress_reads_the_ms_ovba_example():
    assert decompress(SPEC_EXAMPLE_COMPRESSED) == SPEC_EXAMPLE_PLAIN


def test_compress_round_trips_the_ms_ovba_example_and_oletools_agrees():
    packed = compress(SPEC_EXAMPLE_PLAIN)
    assert decompress(packed) == SPEC_EXAMPLE_PLAIN
    assert decompress_stream(bytearray(packed)) == SPEC_EXAMPLE_PLAIN
    assert len(packed) <= len(SPEC_EXAMPLE_COMPRESSED)


def _round_trip(data: bytes) -> None:
    packed = compress(data)
    assert decompress(packed) == data
    assert compress(data) == packed  # deterministic


def _random_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=9000))
def test_compression_round_trips_arbitrary_bytes(data):
    _round_trip(data)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.sampled_from([4095, 4096, 4097, 8191, 8192, 12_289, 65_536, 70_001]),
)
def test_compression_round_trips_random_bytes_across_chunk_boundaries(seed, size):
    _round_trip(_random_bytes(seed, size))


@settings(max_examples=40, deadline=None)
@given(
    unit=st.binary(min_size=1, max_size=40),
    total=st.integers(0, 140_000),
)
def test_compression_round_trips_highly_repetitive_data(unit, total):
    data = (unit * (total // len(unit) + 1))[:total]
    _round_trip(data)
    if total > 8192:
        assert len(compress(data)) < total // 4


@settings(max_examples=40, deadline=None)
@given(
    lines=st.lists(
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=120),
        max_size=900,
    )
)
def test_compression_of_text_never_needs_raw_chunks_and_oletools_agrees(lines):
    data = "".join(line + "\r\n" for line in lines).encode("ascii")
    packed = compress(data, allow_raw_chunks=False)
    assert decompress(packed) == data
    assert decompress_stream(bytearray(packed)) == data


def test_large_real_module_round_trips_through_both_decompressors():
    data = XLWINGS_BAS.read_bytes()
    assert len(data) > 40_000
    packed = compress(data, allow_raw_chunks=False)
    assert decompress(packed) == data
    assert decompress_stream(bytearray(packed)) == data


def test_incompressible_chunk_is_stored_raw_or_refused():
    data = _random_bytes(3, 4096 * 2 + 100)
    packed = compress(data)
    header = struct.unpack_from("<H", packed, 1)[0]
    assert header == 0x3FFF  # raw chunk: flag 0, signature 0b011, size 4098 - 3
    assert decompress(packed) == data
    with pytest.raises(IncompressibleChunkError):
        compress(data, allow_raw_chunks=False)


@pytest.mark.parametrize(
    "container, message",
    [
        (b"", "empty"),
        (b"\x02", "signature"),
        (b"\x01\x00\x00", "chunk signature"),
        (b"\x01\x05\xb0", "past the end"),
        (b"\x01\x02\xb0\x01\x00\x00", "precedes any literal"),
    ],
)
def test_decompress_rejects_malformed_containers(container, message):
    with pytest.raises(ValueError, match=message):
        decompress(container)


def test_decompress_reads_every_compressed_stream_of_the_reference(reference_bin):
    ole = open_project(reference_bin)
    try:
        records = read_dir_records(decompress(ole.openstream("VBA/dir").read()))
        modules = split_dir(records)["modules"]
        assert [name for name, _, _ in modules] == [
            "ThisWorkbook", "Dictionary", "RibbonMyAddin", "Sheet2", "xlwings"
        ]
        for name, _, fields in modules:
            raw = ole.openstream(f"VBA/{name}").read()
            offset = struct.unpack("<I", fields[0x31])[0]
            source = decompress(raw[offset:])
            assert source == decompress_stream(bytearray(raw[offset:]))
            assert source.startswith(f'Attribute VB_Name = "{name}"'.encode())
    finally:
        ole.close()


# --- module sources -----------------------------------------------------------------

DOCUMENT_ATTRIBUTES_TAIL = (
    'Attribute VB_GlobalNameSpace = False\r\n'
    'Attribute VB_Creatable = False\r\n'
    'Attribute VB_PredeclaredId = True\r\n'
    'Attribute VB_Exposed = True\r\n'
    'Attribute VB_TemplateDerived = False\r\n'
    'Attribute VB_Customizable = True\r\n'
)


def test_stored_source_of_a_standard_module_is_vb_name_line_plus_crlf_body():
    module = VbaModule("Main", "Sub A()\nEnd Sub")
    assert stored_source(module) == 'Attribute VB_Name = "Main"\r\nSub A()\r\nEnd Sub\r\n'
    with_header = VbaModule("Main", 'Attribute VB_Name = "Main"\r\nSub A()\r\nEnd Sub\r\n')
    assert stored_source(with_header) == stored_source(module)
    assert stored_source(VbaModule("Empty", "")) == 'Attribute VB_Name = "Empty"\r\n'
    # Procedure attributes inside the body are source text and stay.
    body = 'Sub A()\r\nAttribute A.VB_Description = "d"\r\nEnd Sub\r\n'
    assert stored_source(VbaModule("M", body)) == 'Attribute VB_Name = "M"\r\n' + body


def test_stored_source_of_document_modules_has_the_attributes_excel_writes(reference_bin):
    workbook = VbaModule("ThisWorkbook", "", "document")
    sheet = VbaModule("Sheet2", "", "document")
    assert stored_source(workbook) == (
        'Attribute VB_Name = "ThisWorkbook"\r\n'
        'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"\r\n'
        + DOCUMENT_ATTRIBUTES_TAIL
    )
    assert stored_source(sheet) == (
        'Attribute VB_Name = "Sheet2"\r\n'
        'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"\r\n'
        + DOCUMENT_ATTRIBUTES_TAIL
    )
    # Byte for byte what Excel stored for the (empty) document modules of the reference.
    reference_sources = extract_with_olevba(reference_bin)
    assert reference_sources["VBA/ThisWorkbook"] == stored_source(workbook)
    assert reference_sources["VBA/Sheet2"] == stored_source(sheet)


def test_exported_class_header_of_a_document_module_is_replaced(tmp_path):
    exported = (
        "VERSION 1.0 CLASS\r\nBEGIN\r\n  MultiUse = -1  'True\r\nEND\r\n"
        'Attribute VB_Name = "ThisWorkbook"\r\n'
        'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"\r\n'
        + DOCUMENT_ATTRIBUTES_TAIL
        + "Private Sub Workbook_Open()\r\nEnd Sub\r\n"
    )
    path = tmp_path / "Whatever.cls"
    path.write_bytes(exported.encode("ascii"))
    module = VbaModule.from_file(path, kind="document")
    assert module.name == "ThisWorkbook"
    assert module.body() == "Private Sub Workbook_Open()\r\nEnd Sub\r\n"
    assert stored_source(module) == exported.split("END\r\n", 1)[1]


def test_bas_file_name_comes_from_vb_name_or_file_stem(tmp_path):
    named = tmp_path / "file_name.bas"
    named.write_bytes(b'Attribute VB_Name = "RealName"\r\nSub A()\r\nEnd Sub\r\n')
    assert VbaModule.from_file(named).name == "RealName"
    plain = tmp_path / "Plain.bas"
    plain.write_bytes(b"Sub A()\nEnd Sub\n")
    assert VbaModule.from_file(plain).name == "Plain"


def test_non_ascii_source_is_rejected_naming_module_and_line(tmp_path):
    source = 'Sub A()\n    MsgBox "ok"\n    MsgBox "\u7ee9\u6548"\nEnd Sub\n'
    with pytest.raises(ValueError, match=r"'Report': line 3 .*U\+7EE9"):
        VbaModule("Report", source)
    path = tmp_path / "Report.bas"
    path.write_bytes(source.encode("utf-8"))
    with pytest.raises(ValueError, match=r"Report.bas: line 3 is not ASCII"):
        VbaModule.from_file(path)


@pytest.mark.parametrize(
    "name, source, kind, message",
    [
        ("1abc", "", "standard", "invalid VBA module name"),
        ("a" * 32, "", "standard", "invalid VBA module name"),
        ("has space", "", "standard", "invalid VBA module name"),
        ("dir", "", "standard", "clash with VBA/dir"),
        ("Main", "", "class", "unknown kind"),
        ("Main", 'Attribute VB_Name = "Other"\nSub A()\nEnd Sub', "standard", '"Other"'),
    ],
)
def test_invalid_modules_are_rejected(name, source, kind, message):
    with pytest.raises(ValueError, match=message):
        VbaModule(name, source, kind)


def test_duplicate_module_names_and_project_name_clashes_are_rejected():
    with pytest.raises(ValueError, match="clashes with module 'Main'"):
        build_vba_project([VbaModule("Main", ""), VbaModule("MAIN", "")])
    with pytest.raises(ValueError, match="clashes with the project name"):
        build_vba_project([VbaModule("VBAProject", "")])
    with pytest.raises(ValueError, match="unknown code page"):
        build_vba_project([VbaModule("Main", "")], codepage=99999)


def test_xlwings_bas_is_ascii_and_used_in_full():
    data = XLWINGS_BAS.read_bytes()
    assert data.isascii()
    assert len(data) > 20_000


def test_olevba_extracts_every_module_byte_identical():
    modules = sample_modules()
    project = build_vba_project(modules, "PerfEval")
    extracted = extract_with_olevba(project)
    assert set(extracted) == {f"VBA/{m.name}" for m in modules}
    for module in modules:
        assert extracted[f"VBA/{module.name}"] == stored_source(module), module.name
    # The real 46 KB module is stored exactly as its .bas file (CRLF, VB_Name header).
    assert extracted["VBA/xlwings"] == XLWINGS_BAS.read_bytes().decode("ascii")
    assert extracted["VBA/Main"] == (
        'Attribute VB_Name = "Main"\r\nOption Explicit\r\n\r\nPublic Sub Start()\r\n'
        '    Debug.Print "ok"\r\nEnd Sub\r\n'
    )
    assert extracted["VBA/ThisWorkbook"] == (
        'Attribute VB_Name = "ThisWorkbook"\r\n'
        'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"\r\n'
        + DOCUMENT_ATTRIBUTES_TAIL
        + "Private Sub Workbook_Open()\r\n    Call Main.Start\r\nEnd Sub\r\n"
    )


def test_project_contains_exactly_the_expected_streams():
    modules = sample_modules()
    project = build_vba_project(modules, "PerfEval")
    ole = open_project(project)
    try:
        streams = sorted("/".join(path) for path in ole.listdir())
        module_offsets = {
            name: struct.unpack("<I", fields[0x31])[0]
            for name, _, fields in split_dir(dir_records(project))["modules"]
        }
        for module in modules:
            raw = ole.openstream(f"VBA/{module.name}").read()
            assert decompress(raw) == stored_source(module).encode("ascii")
    finally:
        ole.close()
    assert streams == sorted(
        ["PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"]
        + [f"VBA/{m.name}" for m in modules]
    )
    assert set(module_offsets.values()) == {0}  # no performance cache anywhere


def test_build_twice_gives_identical_bytes_whatever_the_input_order():
    modules = sample_modules()
    first = build_vba_project(modules, "PerfEval")
    assert build_vba_project(modules, "PerfEval") == first
    assert build_vba_project(list(reversed(modules)), "PerfEval") == first
    assert build_vba_project(modules, "Other") != first


def test_project_id_is_derived_from_the_name_unless_given():
    project = build_vba_project([VbaModule("Main", "")], "PerfEval")
    ole = open_project(project)
    try:
        text = ole.openstream("PROJECT").read().decode("cp1252")
    finally:
        ole.close()
    assert f'ID="{{{str(project_id_for("PerfEval")).upper()}}}"' in text
    fixed = uuid.UUID("12345678-1234-5678-1234-567812345678")
    other = build_vba_project([VbaModule("Main", "")], "PerfEval", project_id=fixed)
    assert b'ID="{12345678-1234-5678-1234-567812345678}"' in other


# --- structure against the Excel-written reference ------------------------------------


def test_vba_project_stream_is_the_version_independent_header(reference_bin):
    project = build_vba_project(sample_modules(), "PerfEval")
    ours = open_project(project).openstream("VBA/_VBA_PROJECT").read()
    reference = open_project(reference_bin).openstream("VBA/_VBA_PROJECT").read()
    assert ours == bytes.fromhex("CC61FFFF000000")
    assert ours[:5] == reference[:5] == bytes.fromhex("CC61FFFF00")
    assert len(ours) == len(reference) == 7


def test_dir_records_follow_the_reference_order(reference_bin):
    ours = split_dir(dir_records(build_vba_project(sample_modules(), "PerfEval")))
    reference = split_dir(dir_records(reference_bin))

    assert ours["information"] == reference["information"] == [
        0x01, 0x02, 0x14, 0x03, 0x04, 0x05, 0x40, 0x06, 0x3D, 0x07, 0x08, 0x09, 0x0C, 0x3C
    ]
    for record_id in (0x01, 0x02, 0x14, 0x03, 0x07, 0x08):
        assert ours["information_records"][record_id] == reference["information_records"][record_id]
    assert ours["information_records"][0x04] == b"PerfEval"

    # Registered references (REFERENCENAME + unicode + REFERENCEREGISTERED) exactly
    # as the reference's Office reference; the reference also has an MSForms control
    # reference that we do not need.
    registered = [group for group in reference["references"] if group[-1] == 0x0D]
    assert registered == [[0x16, 0x3E, 0x0D]]
    assert ours["references"] == [[0x16, 0x3E, 0x0D], [0x16, 0x3E, 0x0D]]

    assert ours["modules_header"] == reference["modules_header"] == [0x0F, 0x13]
    assert ours["end"] == reference["end"] == [0x10]

    reference_by_kind = {}
    for name, ids, _ in reference["modules"]:
        if name in ("ThisWorkbook", "Sheet2", "RibbonMyAddin", "xlwings"):
            reference_by_kind.setdefault(module_kind(ids), set()).add(tuple(ids))
    assert reference_by_kind == {
        "document": {(0x19, 0x47, 0x1A, 0x32, 0x1C, 0x48, 0x31, 0x1E, 0x2C, 0x22, 0x2B)},
        "standard": {(0x19, 0x47, 0x1A, 0x32, 0x1C, 0x48, 0x31, 0x1E, 0x2C, 0x21, 0x2B)},
    }
    for name, ids, _ in ours["modules"]:
        assert {tuple(ids)} == reference_by_kind[module_kind(ids)], name
    assert {name: module_kind(ids) for name, ids, _ in ours["modules"]} == {
        "ThisWorkbook": "document", "Sheet1": "document", "Sheet2": "document",
        "Main": "standard", "xlwings": "standard",
    }


def test_office_reference_libid_is_the_one_excel_wrote(reference_bin):
    ours = dir_records(build_vba_project(sample_modules(), "PerfEval"))
    reference = dir_records(reference_bin)

    def registered(records):
        out = {}
        for (rid, data), (next_rid, next_data) in zip(records, records[1:]):
            if rid == 0x3E and next_rid == 0x0D:
                out[data.decode("utf-16-le")] = next_data
        return out

    assert registered(ours)["Office"] == registered(reference)["Office"]
    stdole = registered(ours)["stdole"]
    assert b"{00020430-0000-0000-C000-000000000046}#2.0#0#" in stdole


def test_project_stream_has_the_reference_sections_and_keys(reference_bin):
    modules = sample_modules()
    project = build_vba_project(modules, "PerfEval")
    ours = open_project(project).openstream("PROJECT").read().decode("cp1252")
    reference = open_project(reference_bin).openstream("PROJECT").read().decode("cp1252")

    assert project_stream_layout(ours) == project_stream_layout(reference) == [
        "ID", "<module>", "Name", "HelpContextID", "VersionCompatible32", "CMG", "DPB", "GC",
        "<blank>", "[Host Extender Info]", "&H00000001", "<blank>", "[Workspace]",
        "<workspace window>", "<blank>", "<blank>",
    ]
    lines = ours.split("\r\n")
    module_lines = lines[1 : 1 + len(modules)]
    assert module_lines == [
        "Document=ThisWorkbook/&H00000000",
        "Module=Main",
        "Document=Sheet1/&H00000000",
        "Document=Sheet2/&H00000000",
        "Module=xlwings",
    ]
    for key in ("Document=ThisWorkbook/&H00000000", "Document=Sheet2/&H00000000", "Module=xlwings"):
        assert key in reference.split("\r\n")
    host_extender = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
    assert host_extender in lines and host_extender in reference.split("\r\n")
    workspace = lines[lines.index("[Workspace]") + 1 : -2]
    module_names = [line.split("=")[1].split("/")[0] for line in module_lines]
    assert workspace == [f"{name}=0, 0, 0, 0, C" for name in module_names]
    assert ours.endswith("\r\n\r\n") and reference.endswith("\r\n\r\n")


def test_protection_values_decrypt_to_an_unprotected_visible_project(reference_bin):
    def properties(project_bin):
        text = open_project(project_bin).openstream("PROJECT").read().decode("cp1252")
        return dict(line.split("=", 1) for line in text.split("\r\n") if "=" in line)

    ours = properties(build_vba_project(sample_modules(), "PerfEval"))
    reference = properties(reference_bin)
    for key in ("CMG", "DPB", "GC"):
        our_key, our_data = decrypt_project_property(ours[key].strip('"'))
        ref_key, ref_data = decrypt_project_property(reference[key].strip('"'))
        assert our_data == ref_data, key
        assert our_key == sum(map(ord, ours["ID"].strip('"'))) & 0xFF
        assert ref_key == sum(map(ord, reference["ID"].strip('"'))) & 0xFF
    assert decrypt_project_property(ours["CMG"].strip('"'))[1] == bytes(4)
    assert decrypt_project_property(ours["DPB"].strip('"'))[1] == b"\x00"
    assert decrypt_project_property(ours["GC"].strip('"'))[1] == b"\xff"


def test_encryption_reproduces_the_reference_values_from_its_project_id(reference_bin):
    text = open_project(reference_bin).openstream("PROJECT").read().decode("cp1252")
    values = dict(line.split("=", 1) for line in text.split("\r\n") if "=" in line)
    project_id = values["ID"].strip('"')
    assert encrypt_project_property(bytes(4), project_id) == values["CMG"].strip('"')
    assert encrypt_project_property(b"\x00", project_id) == values["DPB"].strip('"')
    assert encrypt_project_property(b"\xff", project_id) == values["GC"].strip('"')


def test_projectwm_lists_the_modules_like_the_reference(reference_bin):
    modules = sample_modules()
    ours = open_project(build_vba_project(modules, "PerfEval")).openstream("PROJECTwm").read()
    reference = open_project(reference_bin).openstream("PROJECTwm").read()
    assert projectwm_names(reference) == [
        "ThisWorkbook", "Dictionary", "RibbonMyAddin", "Sheet2", "xlwings"
    ]
    assert projectwm_names(ours) == ["ThisWorkbook", "Main", "Sheet1", "Sheet2", "xlwings"]


def test_module_order_puts_thisworkbook_first_then_names_like_excel(reference_bin):
    reference_order = [name for name, _, _ in split_dir(dir_records(reference_bin))["modules"]]
    rest = reference_order[1:]
    assert reference_order[0] == "ThisWorkbook"
    assert rest == sorted(rest, key=str.lower)
    ours = split_dir(dir_records(build_vba_project(sample_modules(), "PerfEval")))["modules"]
    assert [name for name, _, _ in ours] == ["ThisWorkbook", "Main", "Sheet1", "Sheet2", "xlwings"]
