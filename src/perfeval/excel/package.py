"""Turn an ordinary .xlsx package into a macro-enabled .xlsm or .xlam.

The workbook itself is written by openpyxl; this module only adds what a
macro-enabled package needs on top of it:

* `xl/vbaProject.bin`, related from the workbook part, with its content type;
* the macro-enabled content type for the workbook part;
* optionally `customUI/customUI14.xml`, related from the package (`_rels/.rels`);
* code names (`ThisWorkbook`, `Sheet1`, ...) on the workbook and its
  worksheets, which bind them to the VBA document modules of the same names
  (see `perfeval.excel.vba.workbook_document_modules`).

Only the XML parts that change are re-serialized; every other part is copied
unchanged.  The zip is written with fixed timestamps and a fixed member order,
so equal inputs give equal bytes.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from typing import Literal

# lxml keeps namespace declarations that only attribute values refer to (such
# as the prefixes listed in mc:Ignorable), which xml.etree would drop.  It is
# installed as a dependency of python-docx.
from lxml import etree

from perfeval.excel.vba.project import WORKBOOK_MODULE_NAME
from perfeval.workbook.package_xml import write_package

__all__ = [
    "build_macro_package",
    "sheet_code_names",
    "CONTENT_TYPE_VBA_PROJECT",
    "CONTENT_TYPE_XLSM_WORKBOOK",
    "CONTENT_TYPE_XLAM_WORKBOOK",
    "REL_TYPE_VBA_PROJECT",
    "REL_TYPE_CUSTOM_UI_2010",
    "CUSTOM_UI_PART",
    "VBA_PROJECT_PART_NAME",
]

CONTENT_TYPE_VBA_PROJECT = "application/vnd.ms-office.vbaProject"
CONTENT_TYPE_XLSM_WORKBOOK = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CONTENT_TYPE_XLAM_WORKBOOK = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
_WORKBOOK_CONTENT_TYPES = {"xlsm": CONTENT_TYPE_XLSM_WORKBOOK, "xlam": CONTENT_TYPE_XLAM_WORKBOOK}

REL_TYPE_VBA_PROJECT = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
# The Office 2010 ("CustomUI2", customUI14.xml) ribbon part; the 2006 type is
# for the Office 2007 customUI.xml part (MS-OI29500 3.4.1.3 and 3.4.1.4).
REL_TYPE_CUSTOM_UI_2010 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
_REL_TYPE_OFFICE_DOCUMENT_SUFFIX = "/relationships/officeDocument"
_REL_TYPE_WORKSHEET_SUFFIX = "/relationships/worksheet"

CUSTOM_UI_PART = "customUI/customUI14.xml"
VBA_PROJECT_PART_NAME = "vbaProject.bin"
_CUSTOM_UI_NAMESPACES = frozenset(
    {
        "http://schemas.microsoft.com/office/2009/07/customui",  # Office 2010 and later
        "http://schemas.microsoft.com/office/2007/10/customui",  # MS-OI29500 CustomUI2 part
        "http://schemas.microsoft.com/office/2006/01/customui",  # Office 2007
    }
)

_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES_PART = "[Content_Types].xml"
_PACKAGE_RELS_PART = "_rels/.rels"

# Code names are the names of the VBA document modules they bind to.
WORKBOOK_CODE_NAME = WORKBOOK_MODULE_NAME

# CT_Workbook children that may precede workbookPr (ECMA-376 Part 1, 18.2.27).
_BEFORE_WORKBOOK_PR = ("fileVersion", "fileSharing")


def _parser() -> etree.XMLParser:
    # Packages are input data: never fetch DTDs or expand external entities.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _parse(data: bytes, part: str) -> etree._Element:
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise ValueError(f"package part {part!r} is not well-formed XML: {error}") from None


_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def _serialize(root: etree._Element) -> bytes:
    # The declaration as Office writes it (lxml would use single quotes).
    return _XML_DECLARATION + etree.tostring(root, encoding="unicode").encode("utf-8")


def _rels_part_for(part: str) -> str:
    directory, name = posixpath.split(part)
    return posixpath.join(directory, "_rels", name + ".rels")


def _resolve_target(source_part: str, target: str) -> str:
    """Zip member name a relationship target points to (OPC part names)."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def _next_relationship_id(rels: etree._Element) -> str:
    used = {rel.get("Id") for rel in rels}
    number = 1
    while f"rId{number}" in used:
        number += 1
    return f"rId{number}"


def _add_relationship(rels: etree._Element, rel_type: str, target: str) -> None:
    rel = etree.SubElement(rels, f"{{{_REL_NS}}}Relationship")
    rel.set("Id", _next_relationship_id(rels))
    rel.set("Type", rel_type)
    rel.set("Target", target)


def _set_override(types: etree._Element, part: str, content_type: str) -> None:
    part_name = "/" + part
    for override in types.iter(f"{{{_CT_NS}}}Override"):
        # OPC part names compare case-insensitively.
        if (override.get("PartName") or "").lower() == part_name.lower():
            override.set("ContentType", content_type)
            return
    override = etree.SubElement(types, f"{{{_CT_NS}}}Override")
    override.set("PartName", part_name)
    override.set("ContentType", content_type)


def _has_default(types: etree._Element, extension: str, content_type: str) -> bool:
    return any(
        (default.get("Extension") or "").lower() == extension
        and default.get("ContentType") == content_type
        for default in types.iter(f"{{{_CT_NS}}}Default")
    )


def _local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


def _relationship_id_attribute(element: etree._Element) -> str | None:
    # r:id, whatever the prefix and whether transitional or strict namespace.
    for name, value in element.attrib.items():
        qname = etree.QName(name)
        if qname.localname == "id" and (qname.namespace or "").endswith("relationships"):
            return value
    return None


class _Package:
    """The members of a zip package, with helpers for its parts."""

    def __init__(self, data: bytes) -> None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                self.members = {
                    info.filename: archive.read(info)
                    for info in archive.infolist()
                    if not info.is_dir()
                }
        except zipfile.BadZipFile as error:
            raise ValueError(f"base workbook is not a zip package: {error}") from None
        for required in (_CONTENT_TYPES_PART, _PACKAGE_RELS_PART):
            if required not in self.members:
                raise ValueError(f"base workbook has no {required!r} part")

    def xml(self, part: str) -> etree._Element:
        if part not in self.members:
            raise ValueError(f"base workbook has no {part!r} part")
        return _parse(self.members[part], part)

    def write_xml(self, part: str, root: etree._Element) -> None:
        self.members[part] = _serialize(root)

    def to_zip(self) -> bytes:
        # Content types and package relationships first (where Office puts
        # them and where readers that stream the zip look), the rest by name.
        order = sorted(
            self.members,
            key=lambda name: (name != _CONTENT_TYPES_PART, name != _PACKAGE_RELS_PART, name),
        )
        return write_package(self.members, order)


def _workbook_part(package: _Package) -> str:
    rels = package.xml(_PACKAGE_RELS_PART)
    for rel in rels:
        if (rel.get("Type") or "").endswith(_REL_TYPE_OFFICE_DOCUMENT_SUFFIX):
            return _resolve_target("", rel.get("Target") or "")
    raise ValueError("base workbook has no officeDocument relationship in _rels/.rels")


def _worksheet_parts(package: _Package, workbook_part: str) -> list[tuple[str, str]]:
    """(sheet name, zip member) for every sheet, in workbook order."""
    workbook = package.xml(workbook_part)
    rels = package.xml(_rels_part_for(workbook_part))
    by_id = {rel.get("Id"): rel for rel in rels}
    namespace = etree.QName(workbook).namespace
    sheets = []
    for sheet in workbook.findall(f"{{{namespace}}}sheets/{{{namespace}}}sheet"):
        name = sheet.get("name") or ""
        rel = by_id.get(_relationship_id_attribute(sheet))
        if rel is None:
            raise ValueError(f"sheet {name!r} has no relationship in the workbook part")
        rel_type = rel.get("Type") or ""
        if not rel_type.endswith(_REL_TYPE_WORKSHEET_SUFFIX):
            raise ValueError(
                f"sheet {name!r} is not a worksheet ({rel_type.rsplit('/', 1)[-1]}); "
                "only worksheets get VBA document modules"
            )
        sheets.append((name, _resolve_target(workbook_part, rel.get("Target") or "")))
    return sheets


def sheet_code_names(base_xlsx: bytes) -> list[str]:
    """The code names `build_macro_package` gives the worksheets, in workbook order."""
    package = _Package(base_xlsx)
    sheets = _worksheet_parts(package, _workbook_part(package))
    return [f"Sheet{index}" for index in range(1, len(sheets) + 1)]


def _set_workbook_code_name(workbook: etree._Element) -> None:
    namespace = etree.QName(workbook).namespace
    workbook_pr = workbook.find(f"{{{namespace}}}workbookPr")
    if workbook_pr is None:
        workbook_pr = etree.Element(f"{{{namespace}}}workbookPr")
        position = 0
        for index, child in enumerate(workbook):
            if isinstance(child.tag, str) and _local_name(child) in _BEFORE_WORKBOOK_PR:
                position = index + 1
        workbook.insert(position, workbook_pr)
    workbook_pr.set("codeName", WORKBOOK_CODE_NAME)


def _set_sheet_code_name(worksheet: etree._Element, code_name: str) -> None:
    namespace = etree.QName(worksheet).namespace
    sheet_pr = worksheet.find(f"{{{namespace}}}sheetPr")
    if sheet_pr is None:
        # sheetPr is the first child of CT_Worksheet.
        sheet_pr = etree.Element(f"{{{namespace}}}sheetPr")
        worksheet.insert(0, sheet_pr)
    sheet_pr.set("codeName", code_name)


def _check_custom_ui(customui14_xml: str) -> bytes:
    data = customui14_xml.encode("utf-8")
    root = _parse(data, CUSTOM_UI_PART)
    namespace = etree.QName(root).namespace
    if _local_name(root) != "customUI" or namespace not in _CUSTOM_UI_NAMESPACES:
        raise ValueError(
            f"custom UI XML must have a customUI root element in a customui namespace, "
            f"got {{{namespace}}}{_local_name(root)}"
        )
    return data


def build_macro_package(
    base_xlsx: bytes,
    vba_project: bytes,
    customui14_xml: str | None,
    kind: Literal["xlsm", "xlam"],
) -> bytes:
    """Return `base_xlsx` turned into a macro-enabled package of `kind`.

    `vba_project` is the vbaProject.bin content (see
    `perfeval.excel.vba.build_vba_project`); its document modules must be
    `ThisWorkbook` and `Sheet1`..`SheetN` for the N worksheets in workbook
    order, the code names this function assigns.  `customui14_xml`, if given,
    becomes the Office 2010+ ribbon part.
    """
    if kind not in _WORKBOOK_CONTENT_TYPES:
        raise ValueError(f"unknown macro package kind {kind!r}; expected 'xlsm' or 'xlam'")
    if not vba_project.startswith(bytes.fromhex("D0CF11E0A1B11AE1")):
        raise ValueError("vba_project is not a compound file (vbaProject.bin)")
    custom_ui = _check_custom_ui(customui14_xml) if customui14_xml is not None else None

    package = _Package(base_xlsx)
    workbook_part = _workbook_part(package)
    workbook_rels_part = _rels_part_for(workbook_part)
    vba_part = posixpath.join(posixpath.dirname(workbook_part), VBA_PROJECT_PART_NAME)

    workbook_rels = package.xml(workbook_rels_part)
    if vba_part in package.members or any(
        rel.get("Type") == REL_TYPE_VBA_PROJECT for rel in workbook_rels
    ):
        raise ValueError("base workbook already contains a VBA project")
    package_rels = package.xml(_PACKAGE_RELS_PART)
    if custom_ui is not None and (
        CUSTOM_UI_PART in package.members
        or any(rel.get("Type") == REL_TYPE_CUSTOM_UI_2010 for rel in package_rels)
    ):
        raise ValueError("base workbook already contains a customUI14 part")

    # Worksheets: code names binding them to the Sheet<n> document modules.
    for index, (_, sheet_part) in enumerate(_worksheet_parts(package, workbook_part), start=1):
        worksheet = package.xml(sheet_part)
        _set_sheet_code_name(worksheet, f"Sheet{index}")
        package.write_xml(sheet_part, worksheet)

    workbook = package.xml(workbook_part)
    _set_workbook_code_name(workbook)
    package.write_xml(workbook_part, workbook)

    package.members[vba_part] = vba_project
    # The project sits next to the workbook part, so the relative target is its name.
    _add_relationship(workbook_rels, REL_TYPE_VBA_PROJECT, VBA_PROJECT_PART_NAME)
    package.write_xml(workbook_rels_part, workbook_rels)

    types = package.xml(_CONTENT_TYPES_PART)
    _set_override(types, workbook_part, _WORKBOOK_CONTENT_TYPES[kind])
    _set_override(types, vba_part, CONTENT_TYPE_VBA_PROJECT)

    if custom_ui is not None:
        package.members[CUSTOM_UI_PART] = custom_ui
        _add_relationship(package_rels, REL_TYPE_CUSTOM_UI_2010, CUSTOM_UI_PART)
        package.write_xml(_PACKAGE_RELS_PART, package_rels)
        if not _has_default(types, "xml", "application/xml"):
            _set_override(types, CUSTOM_UI_PART, "application/xml")
    package.write_xml(_CONTENT_TYPES_PART, types)
    return package.to_zip()
