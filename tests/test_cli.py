"""The command line end to end; every test checks that input files are byte-identical afterwards."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from perfeval.cli import app
from perfeval.example_data import zhengning_2023
from perfeval.workbook.layout import CLAIMS, SHEET_CLAIMS
from perfeval.workbook.template import build_workbook
from tests.conftest import DATA

runner = CliRunner()


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def example(tmp_path) -> Path:
    p = tmp_path / "正宁 示例.xlsx"  # Chinese and a space in the path on purpose
    p.write_bytes(build_workbook(zhengning_2023()))
    return p


@pytest.fixture
def unchanged():
    """Assert every registered input is byte-identical at the end of the test."""
    watched: dict[Path, str] = {}

    def watch(*paths: Path) -> None:
        for p in paths:
            watched[p] = sha(p)

    yield watch
    for p, digest in watched.items():
        assert sha(p) == digest, f"{p} was modified"


def test_version_prints_and_exits_zero():
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and "perfeval" in r.stdout


def test_validate_exits_1_on_the_seed_and_json_lists_code_and_cell(example, unchanged):
    unchanged(example)
    r = runner.invoke(app, ["validate", str(example), "--format", "json"])
    assert r.exit_code == 1
    rows = json.loads(r.stdout)
    assert {"code", "severity", "sheet", "cell", "message"} <= set(rows[0])
    # The seed's stated 141% is its claim, kept on 原表填报 in the row for 自评表 F4.
    first = next(x for x in rows if x["code"] == "PE101")
    assert (first["sheet"], first["cell"]) == (SHEET_CLAIMS, CLAIMS.row_cells(CLAIMS.first_row)["stated"])
    assert first["actual"] == "141%"


def test_validate_select_keeps_only_the_selected_family(example, unchanged):
    unchanged(example)
    r = runner.invoke(app, ["validate", str(example), "--format", "json", "--select", "PE10"])
    assert {x["code"][:4] for x in json.loads(r.stdout)} == {"PE10"}


def test_validate_exits_0_when_the_selected_rules_find_only_warnings(example, unchanged):
    unchanged(example)
    r = runner.invoke(app, ["validate", str(example), "--select", "PE505"])
    assert r.exit_code == 0


def test_validate_exits_2_on_a_missing_or_broken_file(tmp_path, unchanged):
    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    unchanged(broken)
    r = runner.invoke(app, ["validate", str(broken)])
    assert r.exit_code == 2 and "坏文件.xlsx" in r.output
    assert runner.invoke(app, ["validate", str(tmp_path / "nope.xlsx")]).exit_code == 2


def test_validate_csv_never_starts_a_cell_with_a_formula_character(example, unchanged, tmp_path):
    unchanged(example)
    found = tmp_path / "问题.csv"
    r = runner.invoke(app, ["validate", str(example), "--format", "csv", "--findings", str(found)])
    import csv
    import io

    for text in (r.stdout, found.read_text(encoding="utf-8-sig")):
        for row in csv.reader(io.StringIO(text)):
            assert all(not c.startswith(("=", "+", "-", "@")) for c in row)


def test_explain_prints_the_rule_documentation_and_rules_lists_them_all():
    r = runner.invoke(app, ["explain", "pe101"])
    assert r.exit_code == 0 and "检查内容" in r.stdout and "错误示例" in r.stdout
    assert runner.invoke(app, ["explain", "PE000"]).exit_code == 2
    r = runner.invoke(app, ["rules"])
    assert r.exit_code == 0 and "PE401" in r.stdout


def test_score_recomputes_the_total_and_grade(example, unchanged):
    unchanged(example)
    r = runner.invoke(app, ["score", str(example)])
    assert r.exit_code == 0 and "85.25" in r.stdout and "良" in r.stdout


def test_new_writes_a_template_and_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "新表.xlsx"
    assert runner.invoke(app, ["new", "-o", str(out)]).exit_code == 0
    first = sha(out)
    r = runner.invoke(app, ["new", "-o", str(out), "--kind", "project"])
    assert r.exit_code == 2 and "--force" in r.output and sha(out) == first
    assert runner.invoke(app, ["new", "-o", str(out), "--kind", "project", "--force"]).exit_code == 0
    assert sha(out) != first


def test_import_converts_the_legacy_file_and_prints_the_mapping(tmp_path, unchanged):
    legacy = DATA / "legacy" / "zhengning-rsj-2023.xlsx"
    unchanged(legacy)
    out = tmp_path / "导入.xlsx"
    r = runner.invoke(app, ["import", str(legacy), "-o", str(out)])
    assert r.exit_code == 1, r.output  # imported, and the seed's own errors are found (exit as validate)
    assert "自评表!C2" in r.stdout and out.exists()
    assert runner.invoke(app, ["validate", str(out), "--select", "PE101"]).exit_code == 1


def test_no_command_writes_over_its_input_even_with_force(example, unchanged):
    unchanged(example)
    r = runner.invoke(app, ["validate", str(example), "--annotate", str(example), "--force"])
    assert r.exit_code == 2
    legacy = DATA / "legacy" / "zhengning-rsj-2023.xlsx"
    copy = example.parent / "legacy.xlsx"
    copy.write_bytes(legacy.read_bytes())
    unchanged(copy)
    r = runner.invoke(app, ["import", str(copy), "-o", str(copy), "--force"])
    assert r.exit_code == 2


def test_demo_writes_the_whole_job_into_the_output_folder(tmp_path):
    out = tmp_path / "输出"
    r = runner.invoke(app, ["demo", "--out", str(out)])
    assert r.exit_code == 0, r.stdout
    assert "85.25" in r.stdout and "良" in r.stdout
    names = {p.name for p in out.iterdir()}
    assert "校验结果.json" in names and any(n.endswith(".xlsx") for n in names)
    assert any(n.endswith("已标注.xlsx") for n in names) and any(n.endswith("自评报告（草稿）.docx") for n in names)
    assert any(n.endswith("校验意见.docx") for n in names)
    rerun = runner.invoke(app, ["demo", "--out", str(out)])
    assert rerun.exit_code == 2 and "--force" in rerun.output  # outputs are never silently replaced
    assert runner.invoke(app, ["demo", "--out", str(out), "--force"]).exit_code == 0


def test_the_program_refuses_to_read_files_when_openpyxl_would_parse_without_defusedxml(example, tmp_path):
    import os
    import subprocess
    import sys

    # The direct reader parses with expat and its own refusals; openpyxl reads user files in the
    # importer (and the openpyxl fallback), which must refuse.
    env = dict(os.environ, OPENPYXL_DEFUSEDXML="False")
    r = subprocess.run([sys.executable, "-c", "from perfeval.cli import main; main()", "import", str(example),
                        "-o", str(tmp_path / "out.xlsx")],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2
    assert "defusedxml" in r.stderr and "Traceback" not in r.stderr


def test_commands_leave_the_shipped_template_and_addin_files_unchanged(tmp_path):
    from tests.conftest import REPO

    shipped = sorted((REPO / "workbook_templates").glob("*.xls*")) + [REPO / "addin" / "dist" / "perfeval.xlam"]
    before = {p: sha(p) for p in shipped}
    for p in shipped[:3]:
        r = runner.invoke(app, ["validate", str(p)])
        assert r.exit_code in (0, 1) and isinstance(r.exception, SystemExit | None), r.output  # never a crash
        assert runner.invoke(app, ["score", str(p)]).exit_code == 0
    blank = runner.invoke(app, ["report", str(shipped[0]), "-o", str(tmp_path / "r.docx")])
    assert blank.exit_code == 1 and "PE950" in blank.output  # a blank form has errors: no final report
    assert runner.invoke(app, ["report", str(shipped[0]), "-o", str(tmp_path / "r.docx"), "--draft"]).exit_code == 0
    assert {p: sha(p) for p in shipped} == before


def test_consolidate_and_summary_commands_write_outputs_and_refuse_existing_ones(example, tmp_path, unchanged):
    unit2 = tmp_path / "单位二.xlsx"
    unit2.write_bytes(example.read_bytes())
    unchanged(example, unit2)
    out = tmp_path / "汇总.xlsx"
    r = runner.invoke(app, ["consolidate", str(example), str(unit2), "-o", str(out), "--units-only"])
    assert r.exit_code == 0, r.stdout
    assert out.exists()
    again = runner.invoke(app, ["consolidate", str(example), str(unit2), "-o", str(out), "--units-only"])
    assert again.exit_code == 2 and "--force" in again.output
    summary = tmp_path / "汇总表.xlsx"
    r = runner.invoke(app, ["summary", str(example), str(unit2), "-o", str(summary), "--jobs", "1"])
    assert r.exit_code == 0, r.stdout
    assert runner.invoke(app, ["summary", str(example), "-o", str(summary)]).exit_code == 2


def test_export_writes_pdfs_of_the_report_and_of_the_form_sheet_alone(example, tmp_path, unchanged):
    import shutil

    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        r = runner.invoke(app, ["export", str(example), "--pdf", "-o", str(tmp_path)])
        assert r.exit_code == 2 and "LibreOffice" in r.output
        pytest.skip("LibreOffice 未安装：只检查了“未安装”时的提示")
    unchanged(example)
    r = runner.invoke(app, ["export", str(example), "--pdf", "-o", str(tmp_path)])
    assert r.exit_code == 1 and "PE950" in r.output and list(tmp_path.glob("*.pdf")) == []
    r = runner.invoke(app, ["export", str(example), "--pdf", "-o", str(tmp_path), "--draft"])
    assert r.exit_code == 0, r.stdout
    pdfs = sorted(tmp_path.glob("*.pdf"))
    assert len(pdfs) == 2
    form_pdf = next(p for p in pdfs if "自评表" in p.name)
    import re

    pages = len(re.findall(rb"/Type\s*/Page(?!s)", form_pdf.read_bytes()))
    assert 1 <= pages <= 4  # the 自评表 alone, not every sheet of the workbook


def test_new_refuses_a_profile_or_example_of_the_other_form_kind(tmp_path):
    r = runner.invoke(app, ["new", "-o", str(tmp_path / "a.xlsx"), "--kind", "project", "--example"])
    assert r.exit_code == 2 and "部门" in r.output
    r = runner.invoke(app, ["new", "-o", str(tmp_path / "b.xlsx"), "--kind", "project",
                            "--profile", "gansu-department"])
    assert r.exit_code == 2 and "不能用于" in r.output
    assert not (tmp_path / "a.xlsx").exists() and not (tmp_path / "b.xlsx").exists()


def test_a_template_prints_the_notes_and_grade_hint_of_its_own_profile(tmp_path):
    import openpyxl

    from perfeval.workbook import layout as L

    out = tmp_path / "湖北.xlsx"
    assert runner.invoke(app, ["new", "-o", str(out), "--profile", "hubei-department"]).exit_code == 0
    ws = openpyxl.load_workbook(out)[L.SHEET_FORM]
    lay = L.layout_for(L.FormKind.DEPARTMENT)
    notes = ws[lay.footnote_range.split(":")[0]].value
    assert "预算执行率20分" in notes and "80%-50%（含）" in notes
    assert ws[lay.grade_hint].value == "优≥90 良≥80 中≥60"
