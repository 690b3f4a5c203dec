"""A `pip install --user` (what pip falls back to under an all-users Python): the add-in
sources and xlwings' DLLs land under the user base, not sys.prefix, and are found there.

Runs the interpreter this virtual environment was made from (a venv has no user site), with
a temporary HOME, so nothing outside tmp_path is touched.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from perfeval.excel import bundle as B

DLL = "xlwings64-0.37.8.dll"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def dll_wheel(folder: Path) -> Path:
    """A wheel carrying a DLL as a data file at the scheme's data root, as xlwings' does."""
    files = {
        f"dllprobe-1.0.data/data/{DLL}": b"MZ not really a dll",
        "dllprobe/__init__.py": b"",
        "dllprobe-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: dllprobe\nVersion: 1.0\n",
        "dllprobe-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "dllprobe-1.0.dist-info/RECORD"
    lines = [_record_line(n, d) for n, d in files.items()] + [f"{record},,"]
    path = folder / "dllprobe-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
        z.writestr(record, "\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def base_python() -> str:
    exe = getattr(sys, "_base_executable", None) or sys.executable
    probe = subprocess.run([exe, "-c", "import site, pip; print(site.ENABLE_USER_SITE)"],
                           capture_output=True, text=True, env={**os.environ, "PYTHONNOUSERSITE": ""})
    if probe.returncode != 0 or probe.stdout.strip() != "True":
        pytest.skip(f"{exe} has no user site or no pip: cannot make a --user install here")
    return exe


def test_a_user_scheme_install_finds_the_addin_sources_and_the_dll(base_python, tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    try:
        own = B.perfeval_wheel(wheels, None)
    except B.BundleError as exc:
        pytest.skip(f"perfeval's wheel could not be built here: {exc}")
    probe = dll_wheel(wheels)
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(home), PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    proc = subprocess.run([base_python, "-m", "pip", "install", "--user", "--no-deps", "--no-index",
                           "--no-warn-script-location", str(own), str(probe)],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "import perfeval.excel.paths as P\n"
        "dirs = [str(d) for d in P.addin_source_dirs(None) if (d / 'vba').is_dir()]\n"
        f"where, visible = P.find_dll({DLL!r}, Path('/opt/all-users/Python312/python.exe'))\n"
        "print(json.dumps({'prefix': sys.prefix, 'user': str(P.user_data_root()), 'dirs': dirs,\n"
        "                  'dll': str(where), 'visible': visible, 'module': P.__file__}))\n"
    )
    out = subprocess.run([base_python, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    user = Path(found["user"])
    assert user.is_relative_to(home)  # the user base, under the temporary HOME
    assert Path(found["module"]).is_relative_to(user)  # perfeval imported from the user site
    assert found["dirs"] and Path(found["dirs"][0]) == user / "share" / "perfeval" / "addin"
    assert (Path(found["dirs"][0]) / "vba" / "xlwings.bas").is_file()
    assert Path(found["dll"]) == user / DLL
    assert found["visible"] is False  # Excel looks beside python.exe only: doctor says what to do
    assert not Path(found["prefix"]).is_relative_to(home)


def test_python_dash_m_perfeval_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "perfeval", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("perfeval ")
