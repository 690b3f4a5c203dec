"""The two ribbon definitions: valid against Microsoft's schema, and consistent with our code.

Office shows nothing at all for a customUI part with a schema error (no message unless the
user turned on "Show add-in user interface errors"), names an unknown imageMso with a blank
icon, and reports a callback it cannot find only when the button is clicked. So all of that is
checked here: the schema (the copy in tests/data/schemas, the same file as ../shared/schemas),
the icon names against Excel's control list, and every onAction against the VBA sources.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
import xmlschema
from lxml import etree

from perfeval.excel.ribbon import ADDIN_CONTROLS, HANDLERS, TEMPLATE_CONTROLS

REPO = Path(__file__).resolve().parents[2]
ADDIN = REPO / "addin"
SCHEMAS = REPO / "tests" / "data" / "schemas"
SHARED_SCHEMAS = REPO.parent / "shared" / "schemas"
NS = "{http://schemas.microsoft.com/office/2009/07/customui}"
RIBBONS = {"template": ADDIN / "customUI14.xml", "addin": ADDIN / "customUI14-addin.xml"}
CALLBACK_ATTRIBUTES = ("onAction", "getLabel", "getEnabled", "getVisible", "getImage",
                       "getScreentip", "getSupertip", "onLoad")


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "customui14.xsd"))


@pytest.fixture(scope="module")
def excel_control_names() -> set[str]:
    """Names of Excel's plain buttons: a split button's or a menu's id (ErrorCheckingMenu) is
    no icon of its own, and a button shows it blank or not at all."""
    wb = openpyxl.load_workbook(SCHEMAS / "excelcontrols.xlsx", read_only=True)
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = next(rows)
        assert header[:2] == ("Control Name", "Control Type")
        return {row[0] for row in rows if row[0] and row[1] in ("button", "toggleButton")}
    finally:
        wb.close()


def ribbon(name: str) -> etree._Element:
    return etree.parse(str(RIBBONS[name])).getroot()


def vba_sources() -> dict[str, str]:
    files = sorted((ADDIN / "vba").rglob("*.bas")) + sorted((ADDIN / "vba").rglob("*.cls"))
    return {str(p.relative_to(ADDIN)): p.read_bytes().decode("ascii") for p in files}


def ribbon_callback_subs() -> set[str]:
    """Public Subs with the signature Office calls a button's onAction with."""
    pattern = re.compile(r"^Public Sub (\w+)\(control As IRibbonControl\)\r?$", re.MULTILINE)
    return {name for text in vba_sources().values() for name in pattern.findall(text)}


@pytest.mark.parametrize("name", sorted(RIBBONS))
def test_ribbon_is_valid_against_the_customui14_schema(schema, name):
    schema.validate(str(RIBBONS[name]))


@pytest.mark.parametrize("file", ["customui14.xsd", "customUI.xsd", "excelcontrols.xlsx"])
def test_schema_copies_are_the_shared_reference_files(file):
    shared = SHARED_SCHEMAS / file
    if not shared.is_file():
        pytest.skip(f"{shared} is not beside this checkout; the copy in tests/data is used alone")
    assert (SCHEMAS / file).read_bytes() == shared.read_bytes()


@pytest.mark.parametrize("name", sorted(RIBBONS))
def test_ids_are_unique(name):
    ids = [e.get("id") for e in ribbon(name).iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_ids_differ_between_the_two_ribbons():
    # Both tabs can be on screen at once (template open, add-in loaded).
    template = {e.get("id") for e in ribbon("template").iter() if e.get("id")}
    addin = {e.get("id") for e in ribbon("addin").iter() if e.get("id")}
    assert not template & addin


@pytest.mark.parametrize("name", sorted(RIBBONS))
def test_every_callback_is_a_public_sub_with_the_ribbon_signature(name):
    subs = ribbon_callback_subs()
    assert subs == {"OnAction"}
    for element in ribbon(name).iter():
        for attribute in CALLBACK_ATTRIBUTES:
            value = element.get(attribute)
            if value is not None:
                assert attribute == "onAction", f"{element.get('id')}: unexpected callback {attribute}"
                assert value in subs, f"{element.get('id')}: onAction {value!r} has no Sub"


@pytest.mark.parametrize("name", sorted(RIBBONS))
def test_every_image_mso_is_an_excel_control(name, excel_control_names):
    images = [e.get("imageMso") for e in ribbon(name).iter() if e.get("imageMso")]
    assert images
    unknown = sorted(set(images) - excel_control_names)
    assert not unknown


@pytest.mark.parametrize("name, controls", [("template", TEMPLATE_CONTROLS), ("addin", ADDIN_CONTROLS)])
def test_buttons_are_exactly_the_handlers_of_that_ribbon(name, controls):
    buttons = [e for e in ribbon(name).iter(f"{NS}button")]
    assert [b.get("id") for b in buttons] == list(controls)
    for b in buttons:
        assert b.get("id") in HANDLERS
        assert b.get("onAction") == "OnAction"
        for attribute in ("label", "imageMso", "screentip", "supertip"):
            assert b.get(attribute), f"{b.get('id')} lacks {attribute}"
        # User-facing text is Chinese.
        assert re.search(r"[\u4e00-\u9fff]", b.get("label")), b.get("label")
        assert re.search(r"[\u4e00-\u9fff]", b.get("supertip"))


def test_template_tab_has_the_six_buttons_in_chinese():
    labels = [b.get("label") for b in ribbon("template").iter(f"{NS}button")]
    assert labels == ["校验", "生成报告", "导出", "汇总", "新建", "规则说明"]
    tab = next(ribbon("template").iter(f"{NS}tab"))
    assert tab.get("label") == "绩效自评"


def test_addin_tab_has_its_five_buttons():
    labels = [b.get("label") for b in ribbon("addin").iter(f"{NS}button")]
    assert labels == ["新建", "导入旧表", "批量校验", "汇总", "诊断"]


def test_vba_sources_are_ascii_with_crlf_line_ends():
    for name, text in vba_sources().items():
        assert text.isascii(), name
        assert "\n" not in text.replace("\r\n", ""), f"{name}: bare LF"
        assert text.endswith("\r\n"), name


def test_the_dispatcher_hands_the_control_id_to_on_ribbon():
    text = (ADDIN / "vba" / "PerfevalRibbon.bas").read_bytes().decode("ascii")
    assert text.startswith('Attribute VB_Name = "PerfevalRibbon"\r\n')
    assert (
        "Public Sub OnAction(control As IRibbonControl)\r\n"
        "    RunPython \"import perfeval.excel.ribbon as r; r.on_ribbon('\" & control.Id & \"')\"\r\n"
        "End Sub\r\n"
    ) in text
