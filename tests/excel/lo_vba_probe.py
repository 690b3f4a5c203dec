"""Run by LibreOffice's Python (python3-uno), not by pytest: load a workbook with macros enabled.

    python3 lo_vba_probe.py SOFFICE PROFILE_DIR REQUEST_JSON

REQUEST_JSON: {"file": path, "sheet": name, "cell": "H2", "formula": "=…"}. Prints JSON:
{"loaded": bool, "libraries": {library: {module: source}}, "value": text shown in the cell, "error": code}.

The workbook is loaded with MacroExecutionMode=4 (always execute, no warning), which makes
LibreOffice import its VBA project into the document's Basic libraries; the formula is then put
into an empty cell and the document recalculated, so a function defined in the VBA project runs.
LibreOffice is started privately (own profile, a named pipe) and ended before the script exits.
"""

from __future__ import annotations

import json
import sys

from lo_office import load, office  # type: ignore[import-not-found]  (this script's own folder)


def main() -> int:
    soffice, profile, request = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    out: dict[str, object] = {"loaded": False, "libraries": {}}
    with office(soffice, profile) as desktop:
        doc = load(desktop, request["file"], macros=True)
        out["loaded"] = doc is not None
        if doc is not None:  # None: no Calc in this LibreOffice, or a file it cannot open
            libraries = doc.BasicLibraries
            for name in libraries.getElementNames():
                libraries.loadLibrary(name)
                library = libraries.getByName(name)
                out["libraries"][name] = {m: library.getByName(m) for m in library.getElementNames()}
            if request.get("formula"):
                cell = doc.Sheets.getByName(request["sheet"]).getCellRangeByName(request["cell"])
                cell.setFormula(request["formula"])
                doc.calculateAll()
                out["value"], out["error"] = cell.getString(), cell.getError()
            doc.close(True)
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
