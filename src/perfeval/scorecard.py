"""`perfeval score --format json`: the recomputed scores of one form as plain data.

Numbers are strings of their decimal value (JSON numbers would pass through binary floats), text
is kept verbatim; each indicator names the cell it was read from.
"""

from __future__ import annotations

from decimal import Decimal

from .core.decimal_math import fmt_decimal
from .loader import Loaded

__all__ = ["scorecard"]


def _n(d: Decimal | None) -> str | None:
    return None if d is None else fmt_decimal(d)


def scorecard(loaded: Loaded) -> dict:
    form, ev, prof = loaded.form, loaded.evaluation, loaded.profile
    assert ev is not None
    indicators = []
    for r in ev.indicators:
        ind, res = r.indicator, r.result
        indicators.append({
            "row": ind.row,
            "cell": str(ind.level3.loc or ind.target.loc or ""),
            "level1": r.level_key,
            "name": ind.name,
            "target": ind.target.shown,
            "actual": ind.actual.shown,
            "weight": _n(ind.weight.number),
            "stated_score": _n(ind.score.number),
            "score": _n(res.score),
            "met": res.met,
            "unscored_code": res.error.code if res.error else None,
            "explanation": res.explanation or (res.error.message if res.error else ""),
        })
    return {
        "file": loaded.source,
        "name": form.name.text,
        "kind": form.kind.value,
        "year": form.year.text,
        "profile": prof.name,
        "execution_rate": _n(ev.execution_rate),
        "execution_weight": _n(ev.execution_weight),
        "execution_score": _n(ev.execution_score),
        "levels": [{"name": lv.name, "weight": _n(lv.weight), "expected_weight": _n(lv.expected_weight),
                    "score": _n(lv.score), "stated_score": _n(lv.stated_score), "count": lv.count}
                   for lv in ev.levels],
        "indicators": indicators,
        "deductions": _n(ev.deductions),
        "total": _n(ev.total),
        "grade": ev.grade,
        "stated_total": _n(form.stated_total_score.number),
        "stated_grade": form.stated_grade.text or None,
    }
