"""Every command that writes, against the file system saying no — for real where this machine allows.

A read-only tmpfs (EROFS), a full tmpfs (ENOSPC) and a folder the process may not write to
(EACCES: as root, run with CAP_DAC_OVERRIDE dropped from the bounding set by setpriv) are real
mounts and real permissions, not mocks; they need root, mount and setpriv, and are skipped with
the reason otherwise (CI runs as root). A name too long, a parent that is a file and `demo` into
an existing file need nothing. Each run is a real process through `perfeval.cli.main`: exit 2, a
PE93x code, a message naming the path, no traceback and no temporary file left.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from perfeval.example_data import zhengning_2023
from perfeval.workbook.template import build_workbook
from tests.test_all_commands import _fake_soffice

_IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _writers(good: Path, unit: Path, out: Path) -> dict[str, list[str]]:
    """command → argv writing into folder `out`."""
    return {
        "new": ["new", "-o", str(out / "新模板.xlsx")],
        # The seed has errors: a draft is what gets written (a final report is refused first).
        "report": ["report", str(good), "-o", str(out / "报告.docx"), "--draft"],
        "annotate": ["validate", str(good), "--annotate", str(out / "标注.xlsx")],
        "import": ["import", str(good), "-o", str(out / "导入.xlsx")],
        "summary": ["summary", str(good), "-o", str(out / "汇总表.xlsx"), "--jobs", "1"],
        "consolidate": ["consolidate", str(good), str(unit), "-o", str(out / "汇总.xlsx")],
        "export": ["export", str(good), "-o", str(out), "--draft"],
        "demo": ["demo", "-o", str(out)],
    }


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    root = tmp_path_factory.mktemp("oserr")
    good = root / "表.xlsx"
    good.write_bytes(build_workbook(zhengning_2023()))
    unit = root / "单位.xlsx"
    unit.write_bytes(build_workbook(zhengning_2023()))
    bin_dir = root / "bin"
    bin_dir.mkdir()
    _fake_soffice(bin_dir)
    e = {k: v for k, v in os.environ.items() if k != "PERFEVAL_DEBUG"}
    e.update(PATH=f"{bin_dir}{os.pathsep}{e.get('PATH', '')}", PYTHONIOENCODING="utf-8")
    return root, good, unit, e


def _run(argv: list[str], env: dict[str, str], prefix: list[str] = ()) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-c", "from perfeval.cli import main; main()", *argv],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


def _assert_refused(r: subprocess.CompletedProcess, names: Path, folder: Path) -> None:
    text = r.stdout + r.stderr
    assert r.returncode == 2, text[-800:]
    assert "Traceback" not in text and "PE999" not in text, text[-800:]
    assert any(f"PE93{d}" in r.stderr for d in "0123"), text[-800:]
    assert str(names) in r.stderr or str(folder) in r.stderr, text[-800:]
    try:
        left = [p.name for p in folder.iterdir() if p.name.startswith(".~perfeval-")]
    except OSError:  # the folder could not even be made
        left = []
    assert left == []


def _mount_tmpfs(target: Path, options: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"无法挂载 tmpfs（{r.stderr.strip() or r.returncode}）")


def _need_mount() -> None:
    if not _IS_ROOT or shutil.which("mount") is None or sys.platform != "linux":
        pytest.skip("需要 root 和 mount（Linux）才能挂载只读或已满的 tmpfs；CI 以 root 运行")


COMMANDS = list(_writers(Path("g"), Path("u"), Path("o")))


@pytest.fixture(scope="module")
def read_only_dir(env):
    _need_mount()
    target = env[0] / "ro"
    _mount_tmpfs(target, "ro,size=1m")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


@pytest.fixture(scope="module")
def full_dir(env):
    _need_mount()
    target = env[0] / "full"
    _mount_tmpfs(target, "size=64k")
    try:
        with open(target / "占满", "wb", buffering=0) as fh:  # fill it to the last block
            try:
                while True:
                    fh.write(b"\0" * 4096)
            except OSError:
                pass
        yield target
    finally:  # a mount left behind would outlive the test run
        subprocess.run(["umount", "-l", str(target)], check=False)


@pytest.fixture(scope="module")
def no_write_dir(env):
    if not _IS_ROOT:
        pytest.skip("以非 root 运行时另有权限测试；这里演示 root 去掉 CAP_DAC_OVERRIDE 后的 EACCES")
    if shutil.which("setpriv") is None:
        pytest.skip("没有 setpriv：无法去掉 root 的 CAP_DAC_OVERRIDE")
    target = env[0] / "只读文件夹"
    target.mkdir()
    target.chmod(0o555)
    probe = subprocess.run(["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "sh", "-c",
                            f"touch '{target}/x'"], capture_output=True)
    if probe.returncode == 0:
        pytest.skip("setpriv 去掉能力后仍能写入：此环境无法制造 EACCES")
    yield target
    target.chmod(0o755)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_read_only_file_system_is_exit_2_naming_the_path(env, read_only_dir, command):
    _, good, unit, e = env
    argv = _writers(good, unit, read_only_dir)[command]
    _assert_refused(_run(argv, e), read_only_dir, read_only_dir)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_disk_is_exit_2_naming_the_path_and_leaves_nothing(env, full_dir, command):
    _, good, unit, e = env
    argv = _writers(good, unit, full_dir)[command]
    _assert_refused(_run(argv, e), full_dir, full_dir)


@pytest.mark.parametrize("command", COMMANDS)
def test_no_write_permission_is_exit_2_naming_the_path(env, no_write_dir, command):
    _, good, unit, e = env
    argv = _writers(good, unit, no_write_dir)[command]
    prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    _assert_refused(_run(argv, e, prefix), no_write_dir, no_write_dir)


@pytest.mark.parametrize("command", ["new", "report", "annotate", "import", "summary", "consolidate"])
def test_a_name_too_long_and_a_parent_that_is_a_file_are_exit_2_naming_the_path(env, command, tmp_path):
    _, good, unit, e = env
    long_dir = tmp_path / ("长" * 120)  # 360 bytes in UTF-8: over NAME_MAX (255)
    _assert_refused(_run(_writers(good, unit, long_dir)[command], e), long_dir, long_dir)
    blocker = tmp_path / "是文件"
    blocker.write_text("x")
    _assert_refused(_run(_writers(good, unit, blocker)[command], e), blocker, blocker)
    assert blocker.read_text() == "x"


def test_demo_into_an_existing_file_is_exit_2_and_keeps_the_file(env, tmp_path):
    _, _, _, e = env
    existing = tmp_path / "已有"
    existing.write_bytes(b"keep")
    _assert_refused(_run(["demo", "-o", str(existing)], e), existing, tmp_path)
    assert existing.read_bytes() == b"keep"


def test_an_input_without_read_permission_is_pe913_in_chinese_not_clicks_english(env, tmp_path):
    if shutil.which("setpriv") is None or not _IS_ROOT:
        pytest.skip("需要 root 和 setpriv（去掉 CAP_DAC_READ_SEARCH 后才读不了 chmod 000 的文件）")
    _, good, _, e = env
    locked = tmp_path / "锁定.xlsx"
    locked.write_bytes(good.read_bytes())
    locked.chmod(0)
    prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    try:
        for argv in (["validate", str(locked)], ["score", str(locked)],
                     ["report", str(locked), "-o", str(tmp_path / "r.docx")]):
            r = _run(argv, e, prefix)
            text = r.stdout + r.stderr
            assert r.returncode == 2, text
            assert "PE913" in text and "Invalid value" not in text and "Traceback" not in text, text
            assert locked.name in text
    finally:
        locked.chmod(0o644)
