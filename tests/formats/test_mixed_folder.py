"""A bureau's folder holds every format at once: each file is reported once, and only forms are."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from typer.testing import CliRunner

from perfeval.batch import expand_paths
from perfeval.cli import app

from .conftest import CONVERTED, DATA, DOCUMENTS, SEED_XLSX, SOFFICE


def _folder(root: Path) -> tuple[Path, set[str]]:
    inbox = root / "收件箱"
    (inbox / "乡镇").mkdir(parents=True)
    forms = {
        "人社局.xlsx": SEED_XLSX,
        "人社局-旧版.xls": CONVERTED / "zhengning-rsj-2023.xls",
        "乡镇/人社局.ods": CONVERTED / "zhengning-rsj-2023.ods",
        "人社局-WPS.et": CONVERTED / "zhengning-rsj-2023.xls",  # WPS saves .et as BIFF too
        "自评报告.docx": DOCUMENTS / "zhengning-rsj-2023.docx",
        "乡镇/自评报告.PDF": DOCUMENTS / "zhengning-rsj-2023.pdf",
        "实为xlsx.xls": next((DATA / "real" / "xlsx").glob("*.xlsx")),
    }
    if SOFFICE is not None:
        forms["自评报告-旧版.doc"] = DOCUMENTS / "zhengning-rsj-2023.doc"
    for name, source in forms.items():
        shutil.copyfile(source, inbox / name)
    # Not forms: lock files, resource forks, our own temp files, other files.
    for junk in ("~$人社局.xlsx", "._人社局.xlsx", ".~perfeval-abc.xlsx", ".~lock.人社局.xlsx#", "说明.txt",
                 "照片.jpg"):
        (inbox / junk).write_bytes(b"junk")
    return inbox, set(forms)


def test_validate_dir_lists_every_form_once_whatever_its_format(tmp_path):
    inbox, names = _folder(tmp_path)
    link = inbox / "链接.xlsx"
    try:
        os.symlink(inbox / "人社局.xlsx", link)
    except (OSError, NotImplementedError):
        link = None
    result = CliRunner().invoke(app, ["validate", str(inbox), str(inbox / "人社局.xlsx"), "--format", "json",
                                      "--jobs", "2"])
    assert result.exit_code == 1, result.output  # the seed has errors; every file was readable
    doc = json.loads(result.output)
    files = [Path(r["file"]).relative_to(inbox).as_posix() for r in doc["reports"]]
    assert sorted(files) == sorted(names) and len(files) == len(set(files)) == doc["files"]
    assert doc["unreadable"] == 0
    totals = {r["total"] for r in doc["reports"] if not Path(r["file"]).name.startswith("实为")}
    assert totals == {"85.25"}


def test_expand_paths_skips_lock_files_and_counts_a_file_named_twice_once(tmp_path):
    inbox, names = _folder(tmp_path)
    found = expand_paths([inbox, inbox / "自评报告.docx", inbox / "乡镇" / ".." / "自评报告.docx"])
    rel = [p.relative_to(inbox).as_posix() if ".." not in p.parts else "dup" for p in found]
    assert sorted(rel) == sorted(names)
