"""The forms of one review batch, as the review's analyses see them.

A `Department` is one readable form of the batch with what the analyses need: the file as given,
a key to recognise the same department in another file (last year's form, a second copy), and
where each of its indicator rows and narrative paragraphs lives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..core.findings import Related
from ..core.model import NARRATIVE_SECTIONS, Indicator, Value
from ..loader import Loaded
from .similarity import normalise

__all__ = ["Department", "Paragraph", "departments_of", "row_location", "row_text", "short"]

# Sections that are not prose about the year: names, dates, numbers of the document.
NOT_PROSE = frozenset({"issuer", "report_date", "doc_number", "recipient"})
MIN_PARAGRAPH = 20  # normalised characters; shorter lines are headings or formulas ("（1）数量指标。")
_YEAR = re.compile(r"(19|20)\d\d")


@dataclass(frozen=True)
class Paragraph:
    section: str  # key of NARRATIVE_SECTIONS
    number: int  # 1-based within the section
    text: str
    sheet: str
    cell: str

    @property
    def label(self) -> str:
        return f"报告素材「{NARRATIVE_SECTIONS.get(self.section, self.section)}」第 {self.number} 段"


@dataclass(frozen=True)
class Department:
    index: int  # position in the batch, input order
    loaded: Loaded

    @property
    def file(self) -> str:
        return str(self.loaded.path) if self.loaded.path is not None else self.loaded.source

    @property
    def file_name(self) -> str:
        return Path(self.file).name

    @property
    def name(self) -> str:
        return self.loaded.form.name.text or Path(self.file).stem

    @property
    def title(self) -> str:
        """《name》（file）, how a message names the department and its file."""
        return f"《{self.name}》（{self.file_name}）"

    @cached_property
    def key(self) -> str:
        """The same department under another file name or year: its normalised name, or else
        its file name without years and digits."""
        name = normalise(self.loaded.form.name.text)
        if name:
            return name
        return normalise(re.sub(r"\d+", "", _YEAR.sub("", Path(self.file).stem)))

    @property
    def functions(self) -> str:
        return self.loaded.form.narrative.text("functions")

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        return self.loaded.form.filled_indicators

    @cached_property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        out = []
        for key, value in self.loaded.form.narrative.sections.items():
            if key in NOT_PROSE or value.is_blank:
                continue
            sheet, cell = (value.loc.sheet, value.loc.cell) if value.loc else ("报告素材", "")
            lines = [ln.strip() for ln in value.text.splitlines()]
            for n, line in enumerate((ln for ln in lines if ln), 1):
                out.append(Paragraph(section=key, number=n, text=line, sheet=sheet, cell=cell))
        return tuple(out)

    def related(self, sheet: str, cell: str) -> Related:
        return Related(file=self.file, sheet=sheet, cell=cell)


def departments_of(loaded: Iterable[Loaded]) -> tuple[list[Department], list[Loaded]]:
    """(readable forms as departments, in input order; unreadable ones)."""
    depts, unreadable = [], []
    for item in loaded:
        if item.readable:
            depts.append(Department(index=len(depts), loaded=item))
        else:
            unreadable.append(item)
    return depts, unreadable


def _first_loc(*values: Value):
    return next((v.loc for v in values if v.loc is not None), None)


def row_location(ind: Indicator) -> tuple[str, str]:
    """(sheet, cell) of an indicator row: its 三级指标 cell, else the first located cell of it."""
    loc = _first_loc(ind.level3, ind.target, ind.actual, ind.weight, ind.score, ind.level2, ind.level1)
    return (loc.sheet, loc.cell) if loc is not None else ("", "")


def row_text(ind: Indicator) -> str:
    """「三级指标 | 年度指标值」 as a message quotes it."""
    return f"{short(ind.level3.text)} | {short(ind.target.text)}" if ind.target.text else short(ind.level3.text)


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
