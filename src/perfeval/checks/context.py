"""What every rule needs, computed once per form."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.evaluate import Evaluation, evaluate
from ..core.findings import Finding, Severity
from ..core.model import Form, Indicator, Value, effective_names
from ..core.profiles import Profile


@dataclass
class CheckContext:
    form: Form
    profile: Profile
    evaluation: Evaluation = field(init=False)
    names: dict[int, tuple[str, str, str]] = field(init=False)
    indicators: tuple[Indicator, ...] = field(init=False)  # filled rows, computed once

    def __post_init__(self) -> None:
        self.evaluation = evaluate(self.form, self.profile)
        inds = self.indicators = self.form.filled_indicators
        self.names = {i.row: n for i, n in zip(inds, effective_names(inds), strict=True)}

    def finding(self, code: str, where: Value | None, message: str, *, severity: Severity | None = None,
                expected: object = None, actual: object = None) -> Finding:
        from .registry import RULES

        sev = severity or (RULES[code].severity if code in RULES else Severity.ERROR)
        loc = where.loc if where is not None else None
        return Finding(
            code=code,
            severity=sev,
            sheet=loc.sheet if loc else "",
            cell=loc.cell if loc else "",
            message=message,
            expected=None if expected is None else str(expected),
            actual=None if actual is None else str(actual),
            file=self.form.source,
        )

    def label(self, ind: Indicator) -> str:
        """「一级/三级」 name used in messages."""
        l1, _, l3 = self.names.get(ind.row, ("", "", ind.level3.text))
        return f"「{l3 or '（未命名指标）'}」"
