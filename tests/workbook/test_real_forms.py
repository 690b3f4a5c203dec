"""Real published forms, typed in their own layouts: import → validate → score against the hand results.

Each form of `tests/data/real/forms/` carries what a careful reviewer reaches by hand (see
`tests/data/real/README.md`); this test compares perfeval's reading and scoring with it, field by
field. Forms marked SPLIT="holdout" were not looked at while the importer was tuned.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from perfeval.core.findings import Severity
from perfeval.core.model import effective_names
from perfeval.loader import Loaded, load_form
from tests.data.real.generate import OUT, build, form_ids, load

IDS = form_ids()
CENT = Decimal("0.01")


def _norm(text: object) -> str:
    return re.sub(r"\s+", "", str(text or ""))


@pytest.fixture(scope="module")
def loaded_forms() -> dict[str, Loaded]:
    return {fid: load_form(OUT / f"{fid}.xlsx", as_import=True) for fid in IDS}


def _split(fid: str) -> str:
    return load(fid).SPLIT


# Holdout forms measure whether the importer generalises; until they have been looked at, a
# failure there is a measurement, not a regression.
# Looked at after their first measurement (see the closing notes): the 银川 form was fixed in the
# importer (a 预算执行率 row among the indicators, the header's 自评得分) and the core (a target
# answered in its own words is met); the 上海 form's stated 86.19% against 86.18% is now PE101 (the
# tolerance for a stated rate is half a unit of the digits typed, no longer half a point always).
# The 稷山 and 岳阳 forms (a fourth set) passed as first measured but for one expectation of the
# 稷山 form (perfeval's PE103 on its blank 年初预算数 was right); the 岳阳 form's worded breakdown
# rows then showed warnings a reviewer would not raise, now information only.
HOLDOUT_OPEN = {"ningxia-yinchuanliuzhong-2021-proj", "shanghai-putuotiyu-2022-proj",
                "shanxi-jishanyibao-2020-proj", "hunan-yueyangcaijin-2024-dept"}


def _param(fid: str):
    marks = [pytest.mark.xfail(reason="held out from tuning: measured, not fitted", strict=False)] \
        if _split(fid) == "holdout" and fid not in HOLDOUT_OPEN else []
    return pytest.param(fid, id=f"{_split(fid)}-{fid}", marks=marks)


PARAMS = [_param(fid) for fid in IDS]


def test_the_corpus_workbooks_are_generated_from_their_modules():
    stale = [fid for fid in IDS if (OUT / f"{fid}.xlsx").read_bytes() != build(load(fid))]
    assert stale == []


def test_the_corpus_spans_provinces_kinds_and_years():
    mods = [load(fid) for fid in IDS]
    assert len(mods) >= 15
    assert len({m.PROVINCE for m in mods}) >= 8
    assert {m.KIND for m in mods} == {"department", "project"}
    assert len({m.YEAR for m in mods}) >= 3


def _row_of(ind) -> int:
    for v in (ind.level3, ind.target, ind.actual, ind.weight, ind.score):
        if v.loc is not None:
            return int("".join(ch for ch in v.loc.cell if ch.isdigit()) or 0)
    return ind.row


@pytest.mark.parametrize("fid", PARAMS)
def test_the_form_is_read_field_by_field_as_the_reviewer_reads_it(fid, loaded_forms):
    e = load(fid).EXPECT
    loaded = loaded_forms[fid]
    assert loaded.readable, [str(f) for f in loaded.findings if f.severity is Severity.ERROR]
    form = loaded.form
    assert form.kind.value == e.kind
    assert _norm(form.name.text) == _norm(e.name)
    assert (int(form.year.number) if form.year.number is not None else None) == e.year
    assert form.money_unit == e.money_unit
    got_budget = [(_norm(r.label.text), _norm(r.initial.shown), _norm(r.full_year.shown), _norm(r.actual.shown))
                  for r in form.budget]
    assert got_budget == [tuple(_norm(x) for x in row) for row in e.budget]

    inds = form.filled_indicators
    names = effective_names(inds)
    by_row = {_row_of(i): (i, n) for i, n in zip(inds, names, strict=True)}
    assert sorted(by_row) == sorted(x.row for x in e.indicators)
    for x in e.indicators:
        ind, (l1, l2, _) = by_row[x.row]
        got = (l1, l2, ind.level3.text, ind.target.shown, ind.actual.shown, ind.weight.shown, ind.score.shown)
        want = (x.level1, x.level2, x.level3, x.target, x.actual, x.weight, x.score)
        assert tuple(map(_norm, got)) == tuple(map(_norm, want)), f"row {x.row}"
    assert loaded.imported is not None and loaded.imported.placeholders == e.dropped_placeholders
    assert sum(1 for f in loaded.findings if f.code == "PE811") == (1 if e.dropped_placeholders else 0)


@pytest.mark.parametrize("fid", PARAMS)
def test_the_recomputed_scores_equal_the_hand_results(fid, loaded_forms):
    e = load(fid).EXPECT
    loaded = loaded_forms[fid]
    ev = loaded.evaluation
    assert ev is not None
    assert loaded.profile.name == (e.profile or loaded.profile.name)
    if e.execution_rate is None:
        assert ev.execution_rate is None
    else:
        assert ev.execution_rate is not None and abs(ev.execution_rate - e.execution_rate) <= Decimal("0.0001")
    assert abs(ev.execution_score - e.execution_score) <= CENT
    rows = {_row_of(r.indicator): r.result for r in ev.indicators}
    for x in e.indicators:
        res = rows[x.row]
        if x.hand is None:
            assert res.score is None, f"row {x.row} should not be scored: {x.why}"
        else:
            assert res.score is not None and abs(res.score - x.hand) <= CENT, f"row {x.row}: {x.why}"
    assert ev.unscored == e.provisional
    assert abs(ev.total - e.hand_total) <= CENT
    assert ev.grade == e.hand_grade


@pytest.mark.parametrize("fid", PARAMS)
def test_the_reviewers_findings_are_raised_and_right_rows_stay_quiet(fid, loaded_forms):
    e = load(fid).EXPECT
    loaded = loaded_forms[fid]
    got = {(f.code, f.cell) for f in loaded.findings}
    missing = [pair for pair in e.findings if pair not in got]
    assert missing == []
    expected = set(e.findings)
    noisy = []
    for f in loaded.findings:
        if f.severity is Severity.INFO or (f.code, f.cell) in expected:
            continue
        row = int("".join(ch for ch in f.cell if ch.isdigit()) or 0)
        if row in e.quiet_rows:
            noisy.append((f.code, f.cell, f.message))
    assert noisy == []


def corpus_table(forms: dict[str, Loaded]) -> str:
    """The table for the closing note: forms × imported / findings found / false alarms / totals."""
    lines = ["| form | split | imported | findings found | false alarms | total hand | total perfeval |",
             "|---|---|---|---|---|---|---|"]
    for fid, loaded in forms.items():
        e = load(fid).EXPECT
        got = {(f.code, f.cell) for f in loaded.findings}
        found = sum(1 for p in e.findings if p in got)
        alarms = sum(1 for f in loaded.findings if f.severity is not Severity.INFO
                     and (f.code, f.cell) not in set(e.findings)
                     and int("".join(ch for ch in f.cell if ch.isdigit()) or 0) in e.quiet_rows)
        total = loaded.evaluation.total if loaded.evaluation else None
        lines.append(f"| {fid} | {load(fid).SPLIT} | {'yes' if loaded.readable else 'no'} | "
                     f"{found}/{len(e.findings)} | {alarms} | {e.hand_total} | {total} |")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m tests.workbook.test_real_forms
    print(corpus_table({fid: load_form(OUT / f"{fid}.xlsx", as_import=True) for fid in IDS}))
    del Path
