"""Macro-enabled packages (.xlsm / .xlam) built from an openpyxl .xlsx."""

from __future__ import annotations

import io
import shutil
import subprocess
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from perfeval.excel.package import (
    CONTENT_TYPE_VBA_PROJECT,
    CONTENT_TYPE_XLAM_WORKBOOK,
    CONTENT_TYPE_XLSM_WORKBOOK,
    REL_TYPE_CUSTOM_UI_2010,
    REL_TYPE_VBA_PROJECT,
    build_macro_package,
    sheet_code_names,
)
from perfeval.excel.vba import VbaModule, build_vba_project, workbook_document_modules

CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CUSTOM_UI = (
    '<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui">'
    '<ribbon><tabs><tab id="perfeval" label="PerfEval"><group id="g" label="Run">'
    '<button id="run" label="Run" onAction="Ribbon.OnRun"/>'
    "</group></tab></tabs></ribbon></customUI>"
)


def make_xlsx(sheet_titles=("Data", "Summary")) -> bytes:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = sheet_titles[0]
    first["A1"] = "value"
    for title in sheet_titles[1:]:
        workbook.create_sheet(title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_vba(sheet_count: int = 2) -> bytes:
    modules = workbook_document_modules(sheet_count) + [
        VbaModule(
            "Ribbon",
            'Public Sub OnRun(control As IRibbonControl)\n    MsgBox "run"\nEnd Sub\n',
        )
    ]
    return build_vba_project(modules, "PerfEval")


@pytest.fixture(scope="module")
def base_xlsx() -> bytes:
    return make_xlsx()


@pytest.fixture(scope="module")
def vba_bin() -> bytes:
    return make_vba()


@pytest.fixture(scope="module")
def xlsm(base_xlsx, vba_bin) -> bytes:
    return build_macro_package(base_xlsx, vba_bin, CUSTOM_UI, "xlsm")


def members(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def xml(package: bytes, part: str) -> etree._Element:
    return etree.fromstring(members(package)[part])


def content_types(package: bytes) -> tuple[dict[str, str], dict[str, str]]:
    root = xml(package, "[Content_Types].xml")
    defaults = {e.get("Extension"): e.get("ContentType") for e in root.iter(f"{CT}Default")}
    overrides = {e.get("PartName"): e.get("ContentType") for e in root.iter(f"{CT}Override")}
    return defaults, overrides


def relationships(package: bytes, part: str) -> list[dict[str, str]]:
    return [dict(rel.attrib) for rel in xml(package, part).iter(f"{REL}Relationship")]


@pytest.mark.parametrize(
    "kind, workbook_type",
    [("xlsm", CONTENT_TYPE_XLSM_WORKBOOK), ("xlam", CONTENT_TYPE_XLAM_WORKBOOK)],
)
def test_content_types_mark_the_workbook_macro_enabled(base_xlsx, vba_bin, kind, workbook_type):
    package = build_macro_package(base_xlsx, vba_bin, CUSTOM_UI, kind)
    defaults, overrides = content_types(package)
    assert overrides["/xl/workbook.xml"] == workbook_type
    assert overrides["/xl/vbaProject.bin"] == CONTENT_TYPE_VBA_PROJECT
    assert defaults["xml"] == "application/xml"  # covers customUI/customUI14.xml
    # Every other part keeps its content type.
    _, base_overrides = content_types(base_xlsx)
    for part, content_type in base_overrides.items():
        if part != "/xl/workbook.xml":
            assert overrides[part] == content_type


def test_vba_project_part_is_related_from_the_workbook(xlsm, vba_bin):
    parts = members(xlsm)
    assert parts["xl/vbaProject.bin"] == vba_bin
    rels = relationships(xlsm, "xl/_rels/workbook.xml.rels")
    vba_rels = [rel for rel in rels if rel["Type"] == REL_TYPE_VBA_PROJECT]
    assert len(vba_rels) == 1
    assert vba_rels[0]["Target"] == "vbaProject.bin"
    assert len({rel["Id"] for rel in rels}) == len(rels)


def test_custom_ui_part_is_present_and_related_from_the_package(xlsm):
    parts = members(xlsm)
    assert parts["customUI/customUI14.xml"] == CUSTOM_UI.encode("utf-8")
    rels = relationships(xlsm, "_rels/.rels")
    ui_rels = [rel for rel in rels if rel["Type"] == REL_TYPE_CUSTOM_UI_2010]
    assert [rel["Target"] for rel in ui_rels] == ["customUI/customUI14.xml"]
    assert len({rel["Id"] for rel in rels}) == len(rels)
    # The officeDocument relationship is untouched.
    assert any(rel["Target"] == "xl/workbook.xml" for rel in rels)


def test_package_without_custom_ui_has_no_ribbon_part(base_xlsx, vba_bin):
    package = build_macro_package(base_xlsx, vba_bin, None, "xlam")
    assert "customUI/customUI14.xml" not in members(package)
    package_rels = relationships(package, "_rels/.rels")
    assert all(rel["Type"] != REL_TYPE_CUSTOM_UI_2010 for rel in package_rels)
    assert members(package)["_rels/.rels"] == members(base_xlsx)["_rels/.rels"]


def test_code_names_bind_workbook_and_sheets_to_document_modules(xlsm, base_xlsx):
    workbook = xml(xlsm, "xl/workbook.xml")
    assert workbook.find(f"{MAIN}workbookPr").get("codeName") == "ThisWorkbook"
    code_names = []
    for index in (1, 2):
        sheet = xml(xlsm, f"xl/worksheets/sheet{index}.xml")
        sheet_pr = sheet.find(f"{MAIN}sheetPr")
        assert sheet[0] is sheet_pr  # sheetPr stays the first child
        code_names.append(sheet_pr.get("codeName"))
    assert code_names == ["Sheet1", "Sheet2"] == sheet_code_names(base_xlsx)
    assert code_names == [m.name for m in workbook_document_modules(2)[1:]]


def test_missing_workbook_pr_and_sheet_pr_are_created_in_schema_position(vba_bin):
    base = members(make_xlsx(("Only",)))
    ns = MAIN[1:-1]
    base["xl/workbook.xml"] = (
        f'<workbook xmlns="{ns}" xmlns:r="{R_NS}">'
        '<fileVersion appName="xl"/><bookViews><workbookView/></bookViews>'
        '<sheets><sheet name="Only" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ).encode()
    base["xl/worksheets/sheet1.xml"] = f'<worksheet xmlns="{ns}"><sheetData/></worksheet>'.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in base.items():
            archive.writestr(name, data)
    package = build_macro_package(buffer.getvalue(), make_vba(1), None, "xlsm")
    workbook = xml(package, "xl/workbook.xml")
    assert [etree.QName(child).localname for child in workbook][:2] == ["fileVersion", "workbookPr"]
    sheet = xml(package, "xl/worksheets/sheet1.xml")
    assert etree.QName(sheet[0]).localname == "sheetPr" and sheet[0].get("codeName") == "Sheet1"


def test_namespace_declarations_used_only_by_mc_ignorable_survive(vba_bin):
    base = members(make_xlsx(("Data", "Summary")))
    ns = MAIN[1:-1]
    base["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<workbook xmlns="{ns}" '
        f'xmlns:r="{R_NS}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main" '
        'mc:Ignorable="x15"><workbookPr/><sheets>'
        '<sheet name="Data" sheetId="1" r:id="rId1"/>'
        '<sheet name="Summary" sheetId="2" r:id="rId2"/>'
        "</sheets></workbook>"
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in base.items():
            archive.writestr(name, data)
    package = build_macro_package(buffer.getvalue(), vba_bin, None, "xlsm")
    text = members(package)["xl/workbook.xml"].decode("utf-8")
    assert 'xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"' in text
    assert 'mc:Ignorable="x15"' in text
    assert text.startswith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')


def test_openpyxl_loads_the_xlsm_with_its_vba_project(xlsm, vba_bin):
    workbook = openpyxl.load_workbook(io.BytesIO(xlsm), keep_vba=True)
    assert workbook.sheetnames == ["Data", "Summary"]
    assert workbook["Data"]["A1"].value == "value"
    assert workbook.vba_archive.read("xl/vbaProject.bin") == vba_bin
    assert workbook.code_name == "ThisWorkbook"
    assert [ws.sheet_properties.codeName for ws in workbook.worksheets] == ["Sheet1", "Sheet2"]


def test_olevba_finds_the_modules_inside_the_package(xlsm):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # olevba's pyparsing grammar
        from oletools.olevba import VBA_Parser

    parser = VBA_Parser("book.xlsm", data=xlsm)
    try:
        assert parser.type == "OpenXML"
        found = {stream_path for _, stream_path, _, _ in parser.extract_macros()}
    finally:
        parser.close()
    assert found == {"VBA/ThisWorkbook", "VBA/Sheet1", "VBA/Sheet2", "VBA/Ribbon"}


def test_output_is_byte_reproducible_with_fixed_zip_metadata(base_xlsx, vba_bin, xlsm):
    assert build_macro_package(base_xlsx, vba_bin, CUSTOM_UI, "xlsm") == xlsm
    # Zip metadata is fixed, so only the members' contents can make outputs differ.
    with zipfile.ZipFile(io.BytesIO(xlsm)) as archive:
        infos = archive.infolist()
    assert [info.filename for info in infos][:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert [info.filename for info in infos][2:] == sorted(info.filename for info in infos[2:])
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.compress_type == zipfile.ZIP_DEFLATED


def test_untouched_parts_are_copied_byte_for_byte(base_xlsx, xlsm):
    before = members(base_xlsx)
    after = members(xlsm)
    changed = {
        "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
    }
    for name, data in before.items():
        if name not in changed:
            assert after[name] == data, name
    assert set(after) == set(before) | {"xl/vbaProject.bin", "customUI/customUI14.xml"}


def test_base_with_a_vba_project_is_rejected(xlsm, vba_bin):
    with pytest.raises(ValueError, match="already contains a VBA project"):
        build_macro_package(xlsm, vba_bin, None, "xlsm")


@pytest.mark.parametrize(
    "custom_ui, message",
    [
        ("<customUI", "not well-formed"),
        ('<ribbon xmlns="http://schemas.microsoft.com/office/2009/07/customui"/>', "customUI root"),
        ("<customUI/>", "customUI root"),
    ],
)
def test_invalid_custom_ui_is_rejected(base_xlsx, vba_bin, custom_ui, message):
    with pytest.raises(ValueError, match=message):
        build_macro_package(base_xlsx, vba_bin, custom_ui, "xlsm")


def test_bad_arguments_are_rejected(base_xlsx, vba_bin):
    with pytest.raises(ValueError, match="unknown macro package kind"):
        build_macro_package(base_xlsx, vba_bin, None, "xlsx")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a compound file"):
        build_macro_package(base_xlsx, b"PK", None, "xlsm")
    with pytest.raises(ValueError, match="not a zip package"):
        build_macro_package(b"not a zip", vba_bin, None, "xlsm")


def test_chart_sheets_are_refused_with_a_clear_error(vba_bin):
    workbook = openpyxl.Workbook()
    workbook.create_chartsheet("Chart")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ValueError, match="'Chart' is not a worksheet"):
        build_macro_package(buffer.getvalue(), vba_bin, None, "xlsm")


def _convert_to_ods(soffice: str, profile: Path, source: Path, outdir: Path) -> Path | None:
    subprocess.run(
        [
            soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
            "--convert-to", "ods", "--outdir", str(outdir), str(source),
        ],
        timeout=180, capture_output=True, check=False,
    )
    result = outdir / (source.stem + ".ods")
    return result if result.exists() else None


def test_libreoffice_lists_our_modules_in_the_basic_library(tmp_path, xlsm):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not on PATH; cannot check the VBA import")
    profile = tmp_path / "profile"
    # MacroExecutionMode=4 (always execute, no warning) is a load-time media
    # descriptor property that --convert-to cannot pass; a throwaway profile with
    # macro security "low" is its command-line equivalent.  On load the VBA
    # project becomes the document's Basic library, which the .ods keeps under Basic/.
    config = profile / "user" / "registrymodifications.xcu"
    config.parent.mkdir(parents=True)
    config.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<item oor:path="/org.openoffice.Office.Common/Security/Scripting">'
        '<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>0</value></prop></item>'
        '<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA">'
        '<prop oor:name="Load" oor:op="fuse"><value>true</value></prop></item>'
        "</oor:items>",
        encoding="utf-8",
    )
    # A plain openpyxl workbook first: a LibreOffice without Calc cannot load any
    # spreadsheet, which says nothing about our package.
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(make_xlsx())
    if _convert_to_ods(soffice, profile, plain, tmp_path) is None:
        pytest.skip(f"{soffice} cannot open a plain .xlsx (LibreOffice Calc is not installed)")
    source = tmp_path / "book.xlsm"
    source.write_bytes(xlsm)
    converted = _convert_to_ods(soffice, profile, source, tmp_path)
    assert converted is not None, "LibreOffice could not load the generated .xlsm"
    with zipfile.ZipFile(converted) as archive:
        basic = [name for name in archive.namelist() if name.startswith("Basic/")]
    module_files = {Path(name).stem for name in basic if name.endswith(".xml")}
    assert {"ThisWorkbook", "Sheet1", "Sheet2", "Ribbon"} <= module_files
