"""A finding: what is wrong, where, and the values involved (beancount/frictionless style)."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict

__all__ = ["Severity", "Finding", "Related", "first_fatal"]


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Related(BaseModel):
    """The other side of a finding that compares two places (two departments' forms, two years)."""

    model_config = ConfigDict(frozen=True)

    file: str = ""
    sheet: str = ""
    cell: str = ""

    @property
    def location(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.sheet and self.cell else self.sheet
        return f"{self.file} {where}".strip() if where else self.file

    def to_dict(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "cell": self.cell}


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    sheet: str = ""
    cell: str = ""
    message: str
    expected: str | None = None  # what the cell should hold, when there is one answer
    actual: str | None = None  # what it holds
    file: str = ""
    related: Related | None = None  # the second location of a batch or year-over-year finding

    @property
    def fatal(self) -> bool:
        """An error after which there is no form to check (the code says so in the catalogue)."""
        from .codes import is_fatal

        return self.severity is Severity.ERROR and is_fatal(self.code)

    @property
    def location(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or self.file

    @property
    def related_location(self) -> str:
        return self.related.location if self.related is not None else ""

    def __str__(self) -> str:
        where = self.location
        if self.related is not None and self.related.location:
            where = f"{where}（另见 {self.related.location}）" if where else self.related.location
        return f"{where}：{self.message}" if where else self.message

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message,
            "expected": self.expected,
            "actual": self.actual,
            "related": self.related.to_dict() if self.related is not None else None,
        }


def first_fatal(problems) -> Finding | None:
    """The first problem after which there is no form to check (a fatal code at error severity:
    an unreadable file, a missing 自评表, a shifted layout …); a missing optional sheet is a
    warning with the same code and the form is still read."""
    return next((p for p in problems if p.fatal), None)
