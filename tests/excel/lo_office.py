"""A private LibreOffice for the uno scripts beside this file (lo_calc.py, lo_vba_probe.py).

Imported by those scripts when LibreOffice's Python runs them (their folder is on sys.path
then); not a pytest module.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
import uuid
from collections.abc import Iterator

import uno
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def load(desktop, path: str, *, macros: bool):
    """The document at `path`, hidden; its macros always run (4) or never (0)."""
    return desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0,
                                        (prop("Hidden", True), prop("MacroExecutionMode", 4 if macros else 0)))


@contextlib.contextmanager
def office(soffice: str, profile: str) -> Iterator[object]:
    """LibreOffice started with its own profile on a named pipe, its Desktop yielded; the office
    is ended (killed if it will not quit) when the block ends, however it ends."""
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
        yield desktop
        with contextlib.suppress(Exception):  # the bridge goes away as the office quits
            desktop.terminate()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
