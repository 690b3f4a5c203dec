"""What reading and writing a workbook package share: its namespaces and where each sheet lives."""

from __future__ import annotations

import posixpath
import zipfile

from defusedxml import ElementTree as SafeET

__all__ = ["NS_MAIN", "NS_REL", "NS_PKG_REL", "sheet_part_names"]

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def sheet_part_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → part name inside the package (xl/worksheets/sheetN.xml)."""
    wb = SafeET.fromstring(zf.read("xl/workbook.xml"))
    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{NS_PKG_REL}}}Relationship")}
    out = {}
    for sheet in wb.iter(f"{{{NS_MAIN}}}sheet"):
        rid = sheet.get(f"{{{NS_REL}}}id")
        target = targets.get(rid, "")
        # Targets are relative to the workbook part's folder (xl/), or absolute from the root.
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
        out[sheet.get("name")] = part
    return out
