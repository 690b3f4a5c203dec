"""Errors as data: one exception class carrying one Finding (frictionless' FrictionlessException).

Everything a user can do wrong that stops a command — an unreadable file, an unusable profile, an
output that may not be written, a bad option — is raised as a `PerfevalError` (or a subclass named
for the situation). Hosts catch this one class and show its finding: the CLI prints it and exits
with `exit_code`, the ribbon shows it in a message box, a worksheet function puts it in the cell.
"""

from __future__ import annotations

from .codes import severity_of
from .findings import Finding

__all__ = ["PerfevalError", "CodedError", "EXIT_USAGE", "EXIT_ERRORS"]

EXIT_ERRORS, EXIT_USAGE = 1, 2


class PerfevalError(Exception):
    """A coded, located, Chinese message that ends the current operation."""

    exit_code: int = EXIT_USAGE

    def __init__(self, code: str | Finding, message: str | None = None, *, file: str = "",
                 sheet: str = "", cell: str = "", exit_code: int | None = None) -> None:
        if isinstance(code, Finding):
            finding = code
        else:
            finding = Finding(code=code, severity=severity_of(code), message=message or code,
                              file=file, sheet=sheet, cell=cell)
        super().__init__(finding.message)
        self.finding = finding
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def code(self) -> str:
        return self.finding.code

    @property
    def message(self) -> str:
        return self.finding.message

    def __str__(self) -> str:
        return self.finding.message


class CodedError(PerfevalError):
    """A PerfevalError whose code is fixed by its class: `SomethingError("消息")`."""

    CODE = "PE999"

    def __init__(self, message: str, *, file: str = "", sheet: str = "", cell: str = "") -> None:
        super().__init__(self.CODE, message, file=file, sheet=sheet, cell=cell)
