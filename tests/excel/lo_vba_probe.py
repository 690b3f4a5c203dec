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

import contextlib
import json
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main() -> int:
    soffice, profile, request = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    pipe = "perfeval" + uuid.uuid4().hex
    proc = subprocess.Popen(
        [soffice, f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}", "--headless",
         "--invisible", "--nologo", "--norestore", "--nodefault", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        deadline = time.monotonic() + 90
        while ctx is None:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(request["file"]), "_blank", 0,
            (_prop("Hidden", True), _prop("MacroExecutionMode", 4)),
        )
        out: dict[str, object] = {"loaded": doc is not None, "libraries": {}}
        if doc is None:  # no Calc in this LibreOffice, or a file it cannot open
            desktop.terminate()
            proc.wait(timeout=60)
            print(json.dumps(out))
            return 0
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
        with contextlib.suppress(Exception):  # the bridge goes away as the office quits
            desktop.terminate()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
