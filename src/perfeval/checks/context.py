"""What every rule needs, computed once per form (the evaluation comes from the loader)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.evaluate import Evaluation, evaluate
from ..core.model import Form, Indicator, effective_names
from ..core.profiles import Profile


@dataclass
class CheckContext:
    form: Form
    profile: Profile
    evaluation: Evaluation | None = None  # evaluated here only when the caller has none
    names: dict[int, tuple[str, str, str]] = field(init=False)
    indicators: tuple[Indicator, ...] = field(init=False)  # filled rows, computed once

    def __post_init__(self) -> None:
        if self.evaluation is None:
            self.evaluation = evaluate(self.form, self.profile)
        inds = self.indicators = self.form.filled_indicators
        self.names = {i.row: n for i, n in zip(inds, effective_names(inds), strict=True)}

    @property
    def ev(self) -> Evaluation:
        assert self.evaluation is not None
        return self.evaluation

    def label(self, ind: Indicator) -> str:
        """「三级指标」 name used in messages."""
        _, _, l3 = self.names.get(ind.row, ("", "", ind.level3.text))
        return f"「{l3 or '（未命名指标）'}」"
