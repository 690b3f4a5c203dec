"""The checker: run every rule of the catalogue over a form and return its findings.

    loaded = perfeval.loader.load_form(path)      # reads, evaluates once and checks
    findings = check_form(form, profile, evaluation=ev, problems=reader_problems)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..core.evaluate import Evaluation
from ..core.findings import Finding, Severity, first_fatal
from ..core.model import Form
from ..core.profiles import Profile
from ..workbook.layout import SHEET_FORM
from . import budget, completeness, integrity, judgement, narrative, targets, weights  # noqa: F401  (registers rules)
from .context import CheckContext
from .registry import RULES, Rule, Violation, get_rule, matches, run_rule

__all__ = ["check_form", "RULES", "Rule", "Violation", "get_rule", "sort_findings", "count_by_severity"]


def check_form(form: Form, profile: Profile, *, evaluation: Evaluation | None = None,
               problems: Iterable[Finding] = (), select: Sequence[str] = (),
               ignore: Sequence[str] = ()) -> list[Finding]:
    """All findings for one form: the reader's problems plus every rule's, filtered and sorted."""
    found: list[Finding] = list(problems)
    if first_fatal(found) is None:
        ctx = CheckContext(form, profile, evaluation)
        for r in RULES.values():
            found.extend(run_rule(r, ctx))
    if select:
        found = [f for f in found if matches(f.code, select)]
    if ignore:
        found = [f for f in found if not matches(f.code, ignore)]
    return sort_findings(found)


def _cell_key(cell: str) -> tuple[int, str]:
    col = "".join(ch for ch in cell if ch.isalpha())
    row = "".join(ch for ch in cell if ch.isdigit())
    return (int(row) if row else 0, col.rjust(3))


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.file, f.sheet != SHEET_FORM, f.sheet, _cell_key(f.cell), f.code))


def count_by_severity(findings: Iterable[Finding]) -> dict[Severity, int]:
    out = {s: 0 for s in Severity}
    for f in findings:
        out[f.severity] += 1
    return out
