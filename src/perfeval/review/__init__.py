"""The bureau's review desk (复核): what no single form shows, found across the whole batch.

    loaded = list(load_forms(expand_paths([folder])))
    review = review_batch(loaded, last_year=list(load_forms(expand_paths([last_folder]))))
    review.findings          # PE750–PE763, each with its second location in `Finding.related`

A pure analysis over `Loaded` forms (the loader reads them): rows and paragraphs copied between
departments (`copies`), indicators outside the department's own field (`field_fit`), and, given
last year's forms, what changed to look better (`year_over_year`). `workbook` writes and reads
the 复核 workbook; `opinions` writes one 复核意见书 per department from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..core.codes import severity_of
from ..core.findings import Finding
from ..core.model import FormKind
from ..loader import Loaded
from .batch import Department, departments_of, row_location, row_text
from .common import is_common
from .copies import BatchCommon, copied_paragraphs, copied_rows
from .field_fit import FunctionsText, judge_row, vocabulary
from .year_over_year import YearMatch, match_last_year, year_over_year

__all__ = ["Review", "review_batch", "Department", "field_findings"]

MIN_FUNCTIONS_TEXT = 10  # characters: less than that is no description of functions


@dataclass
class Review:
    departments: list[Department]
    unreadable: list[Loaded]
    findings: list[Finding]
    batch_common: list[BatchCommon] = field(default_factory=list)
    year: YearMatch | None = None
    not_judged: list[Department] = field(default_factory=list)  # no 部门主要职能 text
    same_name: list[list[Department]] = field(default_factory=list)

    def findings_of(self, dept: Department) -> list[Finding]:
        """The findings on this department's form, on either side."""
        return [f for f in self.findings
                if f.file == dept.file or (f.related is not None and f.related.file == dept.file)]

    def last_year_of(self, dept: Department) -> Department | None:
        if self.year is None:
            return None
        return next((prev for d, prev in self.year.pairs if d is dept), None)


def review_batch(loaded: Iterable[Loaded], last_year: Iterable[Loaded] | None = None) -> Review:
    depts, unreadable = departments_of(loaded)
    rows, common_rows = copied_rows(depts)
    paragraphs, common_paragraphs = copied_paragraphs(depts)
    fields, not_judged = field_findings(depts)
    findings = rows + paragraphs + fields
    year = None
    if last_year is not None:
        last, _ = departments_of(last_year)
        year = match_last_year(depts, last)
        findings += year_over_year(year)
    groups: dict[str, list[Department]] = {}
    for d in depts:
        groups.setdefault(d.key, []).append(d)
    order = {d.file: d.index for d in depts}
    findings.sort(key=lambda f: (order.get(f.file, len(order)), f.code, f.sheet, _cell_order(f.cell)))
    return Review(departments=depts, unreadable=unreadable, findings=findings,
                  batch_common=common_rows + common_paragraphs, year=year, not_judged=not_judged,
                  same_name=[g for g in groups.values() if len(g) > 1])


def _cell_order(cell: str) -> tuple[int, str]:
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (int(digits) if digits else 0, cell)


def field_findings(depts: Sequence[Department]) -> tuple[list[Finding], list[Department]]:
    """PE752 for every department form that has a 部门主要职能 text; the others, not judged."""
    vocab = vocabulary()
    out: list[Finding] = []
    not_judged: list[Department] = []
    for d in depts:
        if d.loaded.form.kind is not FormKind.DEPARTMENT:
            continue
        functions = d.functions
        if len(functions.strip()) < MIN_FUNCTIONS_TEXT:
            not_judged.append(d)
            continue
        prepared = FunctionsText.of(functions)
        own = prepared.own
        loc = d.loaded.form.narrative.sections.get("functions")
        f_sheet, f_cell = (loc.loc.sheet, loc.loc.cell) if loc is not None and loc.loc else ("报告素材", "")
        own_names = "、".join(vocab.name_of(k) for k in own) or "（职能文字中没有词表中的词）"
        for ind in d.indicators:
            if is_common(ind.level3.text) or not ind.level3.text:
                continue
            fit = judge_row(f"{ind.level3.text} {ind.target.text}", prepared)
            if not fit.mismatched:
                continue
            main = fit.main_field
            words = "、".join(w for ws in fit.foreign.values() for w in ws)
            sheet, cell = row_location(ind)
            out.append(Finding(
                code="PE752", severity=severity_of("PE752"), file=d.file, sheet=sheet, cell=cell,
                message=(f"指标「{row_text(ind)}」含有{vocab.name_of(main)}领域的词（{words}），"
                         f"本部门主要职能（{f_sheet}!{f_cell}，属{own_names}）中没有这些词，指标中也没有本部门领域的词"
                         f"（与职能文字共有字词 {fit.shared}/{fit.bigrams}）：请核实这项指标是否是本部门的职责。"),
                actual=row_text(ind), related=d.related(f_sheet, f_cell)))
    return out, not_judged
