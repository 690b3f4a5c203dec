"""One catalogue of codes: every code perfeval can show is documented there, and only there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import perfeval.checks  # noqa: F401  (registers the rules)
from perfeval.cli import app
from perfeval.core.codes import CODES, code_info
from perfeval.core.errors import PerfevalError
from perfeval.core.findings import Finding, Severity, first_fatal

SRC = Path(__file__).resolve().parents[1] / "src" / "perfeval"
_LITERAL = re.compile(r"PE\d{3}")


def _codes_in_sources() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in SRC.rglob("*"):
        if path.suffix not in (".py", ".bas", ".toml", ".xml") or "__pycache__" in path.parts:
            continue
        for code in set(_LITERAL.findall(path.read_text(encoding="utf-8", errors="replace"))):
            found.setdefault(code, []).append(str(path.relative_to(SRC)))
    return found


def test_every_code_written_in_the_sources_is_in_the_catalogue():
    missing = {c: where for c, where in _codes_in_sources().items() if c not in CODES}
    assert missing == {}


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_the_five_documentation_sections(code):
    doc = CODES[code].doc
    for section in ("检查内容", "原因", "错误示例", "正确示例", "依据"):
        assert section in doc, (code, section)
    assert CODES[code].title and CODES[code].family


def test_explain_answers_for_every_code_in_the_catalogue():
    runner = CliRunner()
    for code in sorted(CODES):
        r = runner.invoke(app, ["explain", code.lower()])
        assert r.exit_code == 0 and code in r.stdout and "检查内容" in r.stdout, code


def test_rules_lists_every_code_of_the_catalogue():
    r = CliRunner().invoke(app, ["rules"])
    assert r.exit_code == 0
    assert set(_LITERAL.findall(r.stdout)) == set(CODES)


def test_fatal_is_a_property_of_the_code_and_only_at_error_severity():
    def f(code, sev=Severity.ERROR):
        return Finding(code=code, severity=sev, message="m")

    assert code_info("PE903").fatal and code_info("PE601").fatal and not code_info("PE101").fatal
    assert first_fatal([f("PE101"), f("PE601", Severity.WARNING)]) is None  # a missing optional sheet
    assert first_fatal([f("PE101"), f("PE903")]).code == "PE903"
    assert first_fatal([f("PE801")]).code == "PE801"  # no form header found: nothing to check


def test_a_perfeval_error_carries_one_finding_with_the_catalogue_severity():
    exc = PerfevalError("PE930", "输出文件已存在", file="a.xlsx")
    assert exc.finding.code == "PE930" and exc.finding.severity is Severity.ERROR
    assert exc.finding.file == "a.xlsx" and str(exc) == "输出文件已存在" and exc.exit_code == 2


def test_every_user_facing_exception_is_a_perfeval_error():
    from perfeval.consolidate import ConsolidationError
    from perfeval.core.profiles import ProfileError
    from perfeval.excel.build import AddinSourcesMissing
    from perfeval.excel.doctor import AddinInstallError
    from perfeval.excel.sheet_access import SheetLocked
    from perfeval.outputs import (
        OutputError,
        OutputExistsError,
        OutputIsInputError,
        OutputLockedError,
    )
    from perfeval.report import PdfConversionFailed, PdfUnavailable, ReportRefused
    from perfeval.workbook.safe_open import InputFileError
    from perfeval.workbook.template import TemplateOverflow

    classes = (ConsolidationError, ProfileError, AddinSourcesMissing, AddinInstallError, SheetLocked,
               OutputError, OutputExistsError, OutputIsInputError, OutputLockedError, PdfUnavailable,
               PdfConversionFailed, ReportRefused, InputFileError, TemplateOverflow)
    for cls in classes:
        assert issubclass(cls, PerfevalError), cls
    assert ReportRefused("x").exit_code == 1  # a form with errors, not a usage error
    for cls in classes:
        code = getattr(cls, "CODE", None)
        assert code is None or code in CODES, cls
    assert ProfileError("m").code == "PE920" and InputFileError("PE905", Path("a.xlsx"), "m").code == "PE905"


def test_only_the_loader_wires_a_reader_to_the_checks():
    """beancount's one loader: no other module imports a reader and the checks together."""
    readers = ("workbook.reader", "legacy_import", "read_form", "import_legacy")
    wired = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        uses_reader = any(r in text for r in readers)
        uses_checks = "check_form" in text
        if uses_reader and uses_checks and path.name != "loader.py":
            wired.append(str(path.relative_to(SRC)))
    assert wired == []
