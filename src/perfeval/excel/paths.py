"""Where an installed perfeval and xlwings keep their files, whichever install scheme pip used.

pip puts a wheel's data files (our add-in sources under share/perfeval/addin, xlwings' two
DLLs at the top) under the scheme's "data" root: the environment's prefix for a virtual
environment or a Python the user may write to, but the *user* base (%APPDATA%\\Python on
Windows, ~/.local elsewhere) when Python was installed for all users and pip fell back to
`--user`. Looking only under sys.prefix misses them there.

Standard library only, no perfeval or xlwings import: `perfeval doctor` must work in a
half-broken installation, and the tests call this from a bare interpreter.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

__all__ = [
    "ADDIN_DATA_DIR",
    "addin_source_dirs",
    "data_roots",
    "dll_search_dirs",
    "excel_dll_dirs",
    "find_dll",
    "user_data_root",
    "xlwings_dll_name",
]

ADDIN_DATA_DIR = Path("share") / "perfeval" / "addin"


def user_data_root() -> Path | None:
    """The data root of pip's `--user` scheme (site.USER_BASE), or None where there is none."""
    try:
        scheme = sysconfig.get_preferred_scheme("user")
        return Path(sysconfig.get_path("data", scheme))
    except (KeyError, ValueError):  # no user scheme on this build (e.g. some embedded Pythons)
        return None


def data_roots() -> list[Path]:
    """Roots pip may have put data files under: this environment's prefix, then the user base."""
    roots = [Path(sys.prefix)]
    user = user_data_root()
    if user is not None and user not in roots:
        roots.append(user)
    return roots


def _recorded_dirs(distribution: str, suffix: str) -> list[Path]:
    """Folders holding `distribution`'s installed files whose recorded path ends in `suffix`.

    RECORD names data files relative to site-packages ("../../../share/perfeval/addin/…"), so
    this finds them wherever the scheme put them, including a `--target` or `--prefix` install.
    """
    try:
        files = metadata.distribution(distribution).files or []
    except metadata.PackageNotFoundError:
        return []
    found: list[Path] = []
    for f in files:
        if str(f).replace("\\", "/").endswith(suffix):
            d = Path(os.path.normpath(f.locate())).parent
            if d not in found:
                found.append(d)
    return found


def addin_source_dirs(checkout: Path | None = None) -> list[Path]:
    """Where to look for addin/ (vba/, customUI14*.xml), in order: a source checkout, then each
    data root, then wherever perfeval's RECORD says the data files went."""
    dirs = [checkout] if checkout is not None else []
    dirs += [root / ADDIN_DATA_DIR for root in data_roots()]
    for d in _recorded_dirs("perfeval", "share/perfeval/addin/customUI14.xml"):
        if d not in dirs:
            dirs.append(d)
    return dirs


def xlwings_dll_name(bits: int, version: str) -> str:
    """The DLL name xlwings.bas declares for 32- or 64-bit Excel (xlwings64-0.37.8.dll)."""
    return f"xlwings{bits}-{version}.dll"


def excel_dll_dirs(interpreter: Path) -> list[Path]:
    """The only two folders xlwings.bas (XLPyLoadDLL) loads its DLL from, given INTERPRETER_WIN:
    the interpreter's folder ("standard installation") and the one above it ("virtualenv")."""
    interpreter = Path(interpreter)
    return [interpreter.parent, interpreter.parent.parent]


def dll_search_dirs(interpreter: Path) -> list[Path]:
    """Where an installed xlwings' DLLs can be: the folders Excel looks in, every data root,
    and whatever xlwings' RECORD names (a `--user` install puts them in the user base)."""
    dirs: list[Path] = []
    for d in excel_dll_dirs(interpreter) + data_roots() + _recorded_dirs("xlwings", ".dll"):
        if d not in dirs:
            dirs.append(d)
    return dirs


def find_dll(name: str, interpreter: Path) -> tuple[Path | None, bool]:
    """(where `name` is, whether Excel will load it from there) for this interpreter."""
    excel_dirs = excel_dll_dirs(interpreter)
    for d in dll_search_dirs(interpreter):
        candidate = d / name
        if candidate.is_file():
            return candidate, d in excel_dirs
    return None, False
