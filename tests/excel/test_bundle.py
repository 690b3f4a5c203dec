"""The offline bundle: every wheel 64-bit Windows needs, proven to resolve with no index.

The wheels come from PyPI once per pyproject.toml (kept in pytest's cache); without PyPI the
tests that need them skip and say so. What needs no network (the resolver on hand-made
wheels, the script, refusing to overwrite, the message without an index) always runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from perfeval.cli import app
from perfeval.excel import bundle as B
from perfeval.excel.build import build_addin_xlam

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()

# pip with no configuration and an index that refuses at once (loopback, closed port).
NO_INDEX_ENV = {
    "PIP_CONFIG_FILE": os.devnull,
    "PIP_INDEX_URL": "http://127.0.0.1:9/simple/",
    "PIP_EXTRA_INDEX_URL": None,
    "PIP_FIND_LINKS": None,
    "PIP_RETRIES": "0",
    "PIP_TIMEOUT": "2",
}


def _apply_env(monkeypatch, env: dict[str, str | None]) -> None:
    for key, value in env.items():
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)


@pytest.fixture(scope="session")
def bundle_zip(tmp_path_factory, pytestconfig) -> Path:
    """A bundle for every supported Python; wheels cached per pyproject.toml."""
    key = hashlib.sha256((REPO / "pyproject.toml").read_bytes()
                         + ",".join(B.SUPPORTED_PYTHONS).encode()).hexdigest()[:16]
    cache = Path(pytestconfig.cache.mkdir(f"perfeval-win-wheels-{key}"))
    out = tmp_path_factory.mktemp("bundle") / B.BUNDLE_NAME
    if any(cache.glob("perfeval-*.whl")):
        try:
            B.build_bundle(out, wheels_from=cache)
            return out
        except B.BundleError:
            pass  # an incomplete cache: download again
    try:
        B.build_bundle(out, force=True)
    except B.BundleError as exc:
        pytest.skip(f"PyPI unreachable, the Windows wheels could not be downloaded: {exc}")
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.endswith(".whl"):
                (cache / Path(name).name).write_bytes(z.read(name))
    return out


@pytest.fixture(scope="session")
def bundle_wheels(bundle_zip, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bundle-wheels")
    with zipfile.ZipFile(bundle_zip) as z:
        for name in z.namelist():
            if name.startswith(f"{B.TOP}/{B.WHEELS}/"):
                (folder / Path(name).name).write_bytes(z.read(name))
    return folder


@pytest.mark.parametrize("python", B.SUPPORTED_PYTHONS)
def test_the_bundle_installs_offline_on_64_bit_windows(bundle_wheels, python, tmp_path, monkeypatch):
    wheels = sorted(bundle_wheels.glob("*.whl"))
    # 1. Requires-Dist with Windows markers: nothing missing.
    needed, missing = B.resolve(wheels, python)
    assert missing == []
    names = sorted({w.name.split("-")[0].lower() for w in needed})
    assert {"perfeval", "xlwings", "pywin32", "pydantic_core", "lxml"} <= set(names)
    # 2. pip itself, with no index and no configuration, for that platform and version. pip
    # evaluates markers for this (Linux) machine, so the Windows-only requirements the resolver
    # found are named as well: pip must find every one in the folder.
    _apply_env(monkeypatch, NO_INDEX_ENV)
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--find-links",
         str(bundle_wheels), "--platform", B.PLATFORM, "--only-binary=:all:",
         "--python-version", python, "--implementation", "cp", "--target", str(tmp_path / "t"),
         "--report", str(report), "--quiet", *names],
        capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    installed = {i["download_info"]["url"].rsplit("/", 1)[-1] for i in json.loads(report.read_text())["install"]}
    assert installed == {w.name for w in needed}


def test_every_wheel_in_the_bundle_is_needed_by_some_python(bundle_wheels):
    wheels = sorted(bundle_wheels.glob("*.whl"))
    used = set()
    for python in B.SUPPORTED_PYTHONS:
        used |= {w.name for w in B.resolve(wheels, python)[0]}
    assert used == {w.name for w in wheels}
    for python in B.SUPPORTED_PYTHONS:
        tag = f"cp{python.replace('.', '')}-win_amd64"
        assert any(w.name.startswith("xlwings-") and tag in w.name for w in wheels), tag


def test_the_bundle_holds_the_script_the_addin_and_the_templates(bundle_zip):
    with zipfile.ZipFile(bundle_zip) as z:
        names = set(z.namelist())
        assert z.testzip() is None
        assert {f"{B.TOP}/{B.SCRIPT_NAME}", f"{B.TOP}/{B.README_NAME}",
                f"{B.TOP}/{B.ADDIN_FOLDER}/perfeval.xlam",
                f"{B.TOP}/{B.TEMPLATE_FOLDER}/部门整体支出绩效自评表.xlsm",
                f"{B.TOP}/{B.TEMPLATE_FOLDER}/部门整体支出绩效自评表.xlsx",
                f"{B.TOP}/{B.TEMPLATE_FOLDER}/项目支出绩效自评表.xlsx"} <= names
        assert z.read(f"{B.TOP}/{B.ADDIN_FOLDER}/perfeval.xlam") == build_addin_xlam()
        assert z.read(f"{B.TOP}/{B.SCRIPT_NAME}") == B.script_bytes(B.install_script())
        readme = z.read(f"{B.TOP}/{B.README_NAME}").decode("utf-8-sig")
        assert "解除锁定" in readme and "受信任位置" in readme and "Windows 7" in readme
        own = next(n for n in names if Path(n).name.startswith("perfeval-0"))
        (tmp := Path(bundle_zip).with_suffix(".perfeval.whl")).write_bytes(z.read(own))
    assert B._wheel_complete(tmp)


def test_a_wheel_folder_makes_the_same_bundle_without_any_index(bundle_wheels, tmp_path, monkeypatch):
    _apply_env(monkeypatch, NO_INDEX_ENV)
    out = tmp_path / "离线.zip"
    r = runner.invoke(app, ["addin", "bundle", "-o", str(out), "--wheels", str(bundle_wheels)])
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(out) as z:
        wheels = {Path(n).name for n in z.namelist() if n.endswith(".whl")}
    assert wheels == {w.name for w in bundle_wheels.glob("*.whl")}
    assert "64 位 Windows" in r.output
    # A folder missing one wheel is refused, naming it.
    lacking = tmp_path / "lacking"
    lacking.mkdir()
    for w in bundle_wheels.glob("*.whl"):
        if not w.name.startswith("pywin32-"):
            (lacking / w.name).write_bytes(w.read_bytes())
    r = runner.invoke(app, ["addin", "bundle", "-o", str(tmp_path / "b.zip"), "--wheels", str(lacking)])
    assert r.exit_code == 2 and "pywin32" in r.output and not (tmp_path / "b.zip").exists()


def test_without_an_index_the_bundle_fails_in_chinese_with_exit_2(tmp_path, monkeypatch):
    _apply_env(monkeypatch, NO_INDEX_ENV)
    out = tmp_path / B.BUNDLE_NAME
    r = runner.invoke(app, ["addin", "bundle", "-o", str(out), "--python", "3.12"])
    assert r.exit_code == 2, r.output
    assert "错误 PE962" in r.output and "软件包索引" in r.output and "--wheels" in r.output
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert not out.exists()


def test_an_existing_bundle_is_never_overwritten_without_force(tmp_path):
    out = tmp_path / B.BUNDLE_NAME
    out.write_bytes(b"yesterday's bundle")
    r = runner.invoke(app, ["addin", "bundle", "-o", str(out)])
    assert r.exit_code == 2 and "--force" in r.output
    assert out.read_bytes() == b"yesterday's bundle"
    r = runner.invoke(app, ["addin", "bundle", "-o", str(tmp_path / "x.zip"), "--python", "3.9"])
    assert r.exit_code == 2 and "3.11" in r.output


# ---------------------------------------------------------------------------------------------
# the resolver, on hand-made wheels (no network)


def _wheel(folder: Path, name: str, version: str, requires: list[str], tag: str = "py3-none-any",
           requires_python: str | None = None) -> Path:
    path = folder / f"{name}-{version}-{tag}.whl"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    if requires_python:
        meta += f"Requires-Python: {requires_python}\n"
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{name}-{version}.dist-info/METADATA", meta)
    return path


def test_the_resolver_follows_windows_markers_that_pip_download_ignores(tmp_path):
    _wheel(tmp_path, "perfeval", "1.0", ["lib>=2", 'winonly; platform_system == "Windows"',
                                          'linuxonly; sys_platform == "linux"',
                                          "extraonly; extra == 'docs'"])
    _wheel(tmp_path, "lib", "1.5", [])  # too old: skipped
    _wheel(tmp_path, "lib", "2.1", ["native"])
    _wheel(tmp_path, "native", "1.0", [], tag="cp312-cp312-win_amd64")
    _wheel(tmp_path, "native", "1.0", [], tag="cp312-cp312-manylinux_2_17_x86_64")
    wheels = sorted(tmp_path.glob("*.whl"))
    needed, missing = B.resolve(wheels, "3.12")
    assert missing == ["winonly"]
    assert [w.name for w in needed] == ["lib-2.1-py3-none-any.whl", "native-1.0-cp312-cp312-win_amd64.whl",
                                        "perfeval-1.0-py3-none-any.whl"]
    # A wheel for another Python, or one whose Requires-Python excludes it, does not count.
    needed, missing = B.resolve(wheels, "3.13")
    assert missing == ["native", "winonly"]
    _wheel(tmp_path, "winonly", "1.0", [], requires_python=">=3.13")
    assert B.resolve(sorted(tmp_path.glob("*.whl")), "3.12")[1] == ["winonly"]


# ---------------------------------------------------------------------------------------------
# the install script


def test_the_script_is_gbk_crlf_and_safe_in_any_code_page():
    text = B.install_script()
    data = B.script_bytes(text)
    assert data.decode("gbk") == text.replace("\n", "\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    # Every double-byte character: its trail byte is never a character cmd treats specially.
    for ch in set(text):
        raw = ch.encode("gbk")
        if len(raw) == 2:
            assert raw[1:] not in [bytes([b]) for b in B.CMD_SPECIAL_BYTES], ch
    # chcp 936 comes before any non-ASCII line.
    lines = text.splitlines()
    first_chinese = next(i for i, line in enumerate(lines) if not line.isascii())
    assert any(line.startswith("chcp 936") for line in lines[:first_chinese])


def test_the_script_installs_per_user_offline_and_runs_install_and_doctor():
    text = B.install_script()
    assert "%LOCALAPPDATA%\\perfeval" in text
    pip_lines = [line for line in text.splitlines() if "-m pip install" in line]
    assert pip_lines and all("--no-index" in line and '--find-links "%WHEELS%"' in line for line in pip_lines)
    assert '"%VPY%" -m perfeval addin install' in text and '"%VPY%" -m perfeval doctor' in text
    for admin in ("runas", "HKLM", "HKEY_LOCAL_MACHINE", "--user", "setx", "reg add"):
        assert admin.lower() not in text.lower()
    # The versions the script accepts are the ones the bundle carries wheels for.
    check = re.search(r'set "CHECK=(.*)"', text).group(1)
    for v in B.SUPPORTED_PYTHONS:
        assert f"({v.replace('.', ', ')})" in check
    for ch in "<>|&":
        assert ch not in check
    # Every goto/call target exists.
    labels = set(re.findall(r"^:(\w+)", text, re.MULTILINE))
    targets = set(re.findall(r"\b(?:goto|call) :(\w+)", text, re.IGNORECASE))
    assert targets <= labels, targets - labels


def test_the_python_check_accepts_exactly_the_supported_versions():
    check = re.search(r'set "CHECK=(.*)"', B.install_script()).group(1)
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    proc = subprocess.run([sys.executable, "-c", check])
    assert proc.returncode == (0 if here in B.SUPPORTED_PYTHONS and sys.maxsize == 2**63 - 1 else 1)
    proc = subprocess.run([sys.executable, "-c", B._python_check(("3.99",))])
    assert proc.returncode == 1


def test_the_script_parses_as_a_batch_file(tmp_path):
    """Syntax: tree-sitter-batch's grammar parses the whole script without an error node, and
    blinter (a batch linter) finds no error-level problem. Neither is cmd.exe itself."""
    ts = pytest.importorskip("tree_sitter", reason="tree-sitter not installed (test extra)")
    tsb = pytest.importorskip("tree_sitter_batch", reason="tree-sitter-batch not installed (test extra)")
    data = B.script_bytes(B.install_script())
    tree = ts.Parser(ts.Language(tsb.language())).parse(data)
    assert not tree.root_node.has_error
    # The check can fail: an unclosed block is an error for the same grammar.
    assert ts.Parser(ts.Language(tsb.language())).parse(data + b"if 1==1 (\r\n").root_node.has_error

    pytest.importorskip("blinter", reason="blinter not installed (test extra)")
    # blinter reads UTF-8 (the same text; GBK's trail bytes are checked above).
    script = tmp_path / "install.cmd"
    script.write_bytes(B.install_script().replace("\n", "\r\n").encode("utf-8"))
    report = tmp_path / "blinter.json"
    subprocess.run([sys.executable, "-m", "blinter", str(script), "--output", str(report),
                    "--fail-on", "none"], capture_output=True, text=True, check=True)
    findings = json.loads(report.read_text(encoding="utf-8"))["issues"]
    errors = [f for f in findings if str(f.get("severity", "")).lower() == "error"]
    # E030 ("improper caret escape") on `2^>nul` inside a for /f command is a false positive:
    # the caret is what passes the redirection to the inner command, as cmd requires.
    real = [f for f in errors if not (f.get("code") == "E030" and "2^>nul`)" in str(f.get("context", "")))]
    assert real == [], real
    assert findings, "blinter reported nothing at all: the report format changed?"
