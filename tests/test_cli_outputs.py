"""What a user reads and gets from the command line: Chinese help and usage errors for every
command, profile aliases, refused extensions, the empty form's errors, the CSVs, the report's
draft model and `score --format json`."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import docx
import pytest
import typer
from typer.testing import CliRunner

from perfeval.cli import app
from perfeval.core.profiles import PROFILE_ALIASES
from perfeval.example_data import zhengning_2023
from perfeval.workbook.template import build_workbook
from tests.checks.clean_form import workbook_bytes

runner = CliRunner()

# English a user may not meet in a help page: click/typer's furniture and internal metavars.
ENGLISH_USAGE = re.compile(
    r"Usage|Options|Arguments|Commands|Show this|exit\.|default:|\[default|required|\bTEXT\b|\bPATH\b|"
    r"\bINTEGER\b|\bFLOAT\b|\bBOOLEAN\b|<str>|<int>|<path>|<Path>|list\[|\[OPTIONS\]|\bCOMMAND\b|\[ARGS\]|"
    r"\bTrue\b|\bFalse\b|--no-|\{\w+\}")


def _commands(group=None, path=()):
    """(path, command) of every command, sub-groups included, whoever registered it."""
    group = group or typer.main.get_command(app)
    yield path, group
    for name, cmd in getattr(group, "commands", {}).items():
        yield from _commands(cmd, (*path, name))


COMMAND_PATHS = [p for p, _ in _commands()]


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=[" ".join(p) or "perfeval" for p in COMMAND_PATHS])
def test_every_help_page_is_chinese(path):
    r = runner.invoke(app, [*path, "--help"])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("用法：") and "选项：" in r.stdout and "显示本帮助并退出。" in r.stdout
    assert not ENGLISH_USAGE.search(r.stdout), ENGLISH_USAGE.search(r.stdout).group(0)


@pytest.mark.parametrize(("args", "expected"), [
    (["validate"], "缺少参数"),
    (["report", "表.xlsx"], "缺少选项“-o / --output”"),
    (["validate", "x.xlsx", "--bogus"], "没有选项 --bogus"),
    (["validate", "x.xlsx", "--jobs", "三"], "--jobs"),
    (["validate", "x.xlsx", "--format"], "--format 后面需要一个值"),
    (["frobnicate"], "没有命令“frobnicate”"),
    (["explain", "PE101", "PE102"], "多余的参数"),
])
def test_usage_errors_are_chinese_coded_and_exit_2(args, expected):
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    assert expected in r.output and "错误 PE940：" in r.output
    english = re.search(r"Error|Missing|No such|Try '|Usage|Got unexpected|Input should|is not a valid", r.output)
    assert english is None, r.output


@pytest.fixture
def example(tmp_path) -> Path:
    p = tmp_path / "正宁.xlsx"
    p.write_bytes(build_workbook(zhengning_2023()))
    return p


@pytest.fixture
def clean(tmp_path) -> Path:
    p = tmp_path / "测试县.xlsx"
    p.write_bytes(workbook_bytes())
    return p


@pytest.mark.parametrize("alias", ["江西", "湖北", "甘肃"])
def test_department_profile_aliases_are_accepted_where_profiles_are(alias, example):
    r = runner.invoke(app, ["score", str(example), "--profile", alias, "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["profile"] == PROFILE_ALIASES[alias]


def test_the_project_alias_makes_a_project_template(tmp_path):
    out = tmp_path / "项目.xlsx"
    r = runner.invoke(app, ["new", "-o", str(out), "--kind", "project", "--profile", "项目"])
    assert r.exit_code == 0, r.output
    assert runner.invoke(app, ["score", str(out), "--profile", "项目"]).exit_code == 0


@pytest.mark.parametrize("args", [
    ["new", "-o", "x.docx"],
    ["report", "{form}", "-o", "r.pdf"],
    ["report", "{form}", "-o", "r.docx", "--opinions", "意见.pdf"],
    ["import", "{form}", "-o", "x.docx"],
    ["summary", "{form}", "-o", "汇总.csv"],
    ["consolidate", "{form}", "{form}", "-o", "汇总.docx", "--units-only"],
    ["validate", "{form}", "--annotate", "标注.docx"],
    ["validate", "{form}", "--findings", "问题.xlsx"],
])
def test_outputs_refuse_a_wrong_extension(args, example, tmp_path):
    args = [a.replace("{form}", str(example)) if "{form}" in a else
            (str(tmp_path / a) if "." in a and not a.startswith("-") else a) for a in args]
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and "PE941" in r.output, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [example.name]


def test_an_almost_empty_form_fails_validation_with_each_missing_part(tmp_path):
    blank = tmp_path / "空白.xlsx"
    assert runner.invoke(app, ["new", "-o", str(blank)]).exit_code == 0
    r = runner.invoke(app, ["validate", str(blank), "--format", "json"])
    assert r.exit_code == 1
    codes = {f["code"] for f in json.loads(r.stdout) if f["severity"] == "error"}
    assert {"PE110", "PE111", "PE211"} <= codes


def test_score_json_gives_stated_and_recomputed_totals(example):
    r = runner.invoke(app, ["score", str(example), "--format", "json"])
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert (doc["total"], doc["grade"], doc["stated_total"]) == ("85.25", "良", "98")


# ---------------------------------------------------------------------------------------------
# CSV


def test_batch_csv_is_one_row_per_file_with_a_bom_and_findings_csv_one_row_per_finding(example, clean, tmp_path):
    folder = example.parent
    findings = tmp_path / "问题清单.csv"
    r = runner.invoke(app, ["validate", str(folder), "--format", "csv", "--findings", str(findings)])
    assert r.exit_code == 1
    assert r.stdout_bytes.startswith(b"\xef\xbb\xbf")  # Excel on a Chinese Windows reads UTF-8 by its BOM
    rows = list(csv.DictReader(io.StringIO(r.stdout_bytes.decode("utf-8-sig"))))
    assert sorted(Path(row["文件"]).name for row in rows) == sorted([example.name, clean.name])
    by_file = {Path(row["文件"]).name: row for row in rows}
    assert by_file[clean.name]["错误数"] == "0" and by_file[example.name]["自评总分"] == "98"
    assert by_file[example.name]["重算总分"] == "85.25"

    data = findings.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    per_finding = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    seed_json = json.loads(runner.invoke(app, ["validate", str(example), "--format", "json"]).stdout)
    assert len([x for x in per_finding if x["文件"].endswith(example.name)]) == len(seed_json)
    assert [x["代码"] for x in per_finding if x["文件"].endswith(clean.name)] == [""]  # still listed, once


# ---------------------------------------------------------------------------------------------
# The report's draft model.


def test_report_refuses_a_final_report_while_the_form_has_errors(example, tmp_path):
    out = tmp_path / "报告.docx"
    r = runner.invoke(app, ["report", str(example), "-o", str(out)])
    errors = sum(1 for f in json.loads(runner.invoke(app, ["validate", str(example), "--format", "json"]).stdout)
                 if f["severity"] == "error")
    assert r.exit_code == 1 and "PE950" in r.output and f"{errors}个错误" in r.output and "--draft" in r.output
    assert not out.exists()


def test_report_draft_carries_the_findings_as_comments_and_opinions_list_them(example, tmp_path):
    out, opinions = tmp_path / "报告.docx", tmp_path / "校验意见.docx"
    r = runner.invoke(app, ["report", str(example), "-o", str(out), "--draft", "--opinions", str(opinions)])
    assert r.exit_code == 0, r.output
    document = docx.Document(out)
    assert "草稿" in document.sections[0].header.paragraphs[0].text
    n = len(json.loads(runner.invoke(app, ["validate", str(example), "--format", "json"]).stdout))
    assert len(list(document.comments)) == n
    assert len(docx.Document(opinions).tables[0].rows) == n + 1


def test_report_on_a_clean_form_is_final(clean, tmp_path):
    out = tmp_path / "报告.docx"
    r = runner.invoke(app, ["report", str(clean), "-o", str(out)])
    assert r.exit_code == 0, r.output
    document = docx.Document(out)
    assert list(document.comments) == [] and "草稿" not in document.sections[0].header.paragraphs[0].text


# ---------------------------------------------------------------------------------------------
# Progress


def test_consolidation_reports_its_progress_file_by_file(example, tmp_path):
    from perfeval.consolidate import consolidate_files

    from perfeval.core.model import Value

    units = []
    for name in ("甲", "乙", "丙"):  # three different units: identical copies would be counted once
        form = zhengning_2023().model_copy(update={"name": Value(raw=f"{name}局")})
        units.append(tmp_path / f"{name}.xlsx")
        units[-1].write_bytes(workbook_bytes(form))
    calls = []
    consolidate_files(None, units, tmp_path / "汇总.xlsx", progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_batch_commands_draw_a_progress_bar_only_on_a_terminal(monkeypatch):
    import sys

    from perfeval import cli

    with cli._progress("校验中") as tick:
        assert tick is None  # not a terminal: nothing drawn, nothing in the captured output
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    with cli._progress("校验中") as tick:
        assert callable(tick)
        tick(1, 2)
