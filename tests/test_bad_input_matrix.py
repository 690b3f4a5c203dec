"""No command ends in a traceback on bad input or a bad option combination: exit 2, a coded message.

Every command runs over a matrix of bad inputs — a missing file, a file that is no workbook, an
unknown profile, a profile of the other form kind, an output that may not be written — through
the real entry point in a subprocess (so the catch-all of `main` is part of what is tested).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from perfeval.example_data import zhengning_2023
from perfeval.workbook.template import build_workbook


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("matrix")
    good = d / "表.xlsx"
    good.write_bytes(build_workbook(zhengning_2023()))
    junk = d / "不是表.xlsx"
    junk.write_bytes(b"PK\x03\x04 this is not a zip")
    text = d / "说明.xlsx"
    text.write_text("只是一段文字", encoding="utf-8")
    blocker = d / "文件"
    blocker.write_text("x")
    existing = d / "已有.xlsx"
    existing.write_bytes(b"keep me")
    return {"good": good, "junk": junk, "text": text, "missing": d / "没有.xlsx", "dir": d,
            "under_file": blocker / "out.xlsx", "existing": existing}


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("PERFEVAL_DEBUG", None)
    return subprocess.run([sys.executable, "-c", "from perfeval.cli import main; main()", *args],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


def _cases(f):
    g, j, t, m = str(f["good"]), str(f["junk"]), str(f["text"]), str(f["missing"])
    out, uf, ex = str(f["dir"] / "out"), str(f["under_file"]), str(f["existing"])
    return [
        # missing file, non-workbook, junk zip
        *[("validate", x) for x in (m, j, t)],
        *[("validate", x, "--format", "json") for x in (m, j)],
        *[("score", x) for x in (m, j, t)],
        *[("report", x, "-o", out + ".docx") for x in (m, j)],
        *[("export", x, "-o", out) for x in (m, j)],
        *[("import", x, "-o", out + ".xlsx") for x in (m, j, t)],
        ("consolidate", g, m, "-o", out + "-c.xlsx"),
        ("consolidate", j, g, "-o", out + "-c.xlsx"),
        ("summary", m, "-o", out + "-s.xlsx"),
        # unknown profile, profile of the other kind
        ("validate", g, "--profile", "甘肃省2099"),
        ("validate", str(f["dir"]), "--profile", "no-such"),
        ("score", g, "--profile", "national-project"),
        ("report", g, "-o", out + "-p.docx", "--profile", "x" * 300),
        ("new", "-o", out + "-n.xlsx", "--kind", "project", "--profile", "gansu-department"),
        ("new", "-o", out + "-n.xlsx", "--kind", "nonsense"),
        ("summary", g, "-o", out + "-s2.xlsx", "--profile", "../../secret.toml"),
        # outputs that may not be written
        ("report", g, "-o", ex),
        ("report", g, "-o", uf.replace(".xlsx", ".docx"), "--draft"),  # the seed has errors: a draft
        ("report", g, "-o", out + "-o.docx", "--draft", "--opinions", out + ".pdf"),
        ("new", "-o", ex),
        ("new", "-o", uf),
        ("new", "-o", str(f["dir"])),
        ("demo", "-o", ex),
        ("import", g, "-o", g, "--force"),
        ("summary", g, "-o", g, "--force"),
        ("validate", g, "--annotate", g, "--force"),
        ("validate", g, "--annotate", uf),
        # bad option combinations
        ("validate", g, g, "--annotate", out + "-a.xlsx"),
        ("validate", g, "--format", "xml"),
        ("validate", str(f["dir"]), "--jobs", "-3"),
        ("new", "-o", out + ".docx"),
        ("report", g, "-o", out + ".pdf"),
        ("validate", str(f["dir"]), "--findings", out + ".xlsx"),
        ("explain", "PE000"),
        ("consolidate", g, "-o", out + "-c2.xlsx"),
    ]


def test_every_command_refuses_bad_input_with_exit_2_and_a_coded_message(files):
    failures = []
    for case in _cases(files):
        r = run(*case)
        text = r.stdout + r.stderr
        coded = re.search(r"PE(?!999)\d{3}", text)
        if r.returncode != 2 or "Traceback" in text or "PE999" in text or not coded:
            failures.append((case[0], case[1:], r.returncode, text[-300:]))
    assert failures == [], "\n".join(map(str, failures))
    assert files["existing"].read_bytes() == b"keep me"
