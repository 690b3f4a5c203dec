"""The pure merge: forms already read and evaluated in, the department's form out (seed note 2).

    部门整体支出绩效自评结果，应根据部门本级和所属单位整体支出自评情况汇总形成，对于定量指标，
    绝对值直接累加计算，相对值按照资金额度加权平均计算；定性指标……汇总时以资金额度为权重，
    对分值加权平均计算。

No file is opened and no profile is resolved here: the caller gives each form with the
evaluation the loader made of it (`Member.of(loaded)`; a form is evaluated once) and the
`Profile` the consolidated form is scored with (`loader.resolve_profile` chose it).

* Every member counts with its own figures: the 部门本级 (`own=True`, the first file of
  `perfeval consolidate`) and each 下属单位. Money (年初 / 全年 / 实际 of every budget row) and
  absolute indicator values (人, 个, 万元 …) are summed over all of them, targets included.
* Relative values (percents, rates, time limits, per-head standards) and qualitative completion
  ratios are averaged with each member's fund amount as the weight: the 资金额度 the department
  lists on its 下属单位 sheet when it does, otherwise the member's own 实际支出数 of the 全年支出 row.
* Names, 分值 and the order of the indicators come from the structure: the explicit template
  (`structure`, which gives only names, weights, declared targets and texts and counts no money),
  else the 本级, else the first unit in the canonical order below. 分值 are never summed; every
  得分, the 总分 and the 等级 are recomputed on the consolidated form.
* Indicators are matched by their effective (一级, 二级, 三级) names with whitespace and
  full-width forms folded; the union is kept and every indicator some member lacks is listed.
* What cannot be combined — a value that is not a number in its target's unit, different units
  of measure, different text answers, text beside numbers — is neither summed nor averaged:
  the row is 待核实, each member's value is listed, and each such member gets a PE704 finding
  with its file and cell.

The result does not depend on the order the units are given in: every choice (the fallback
structure, which unit a listed fund belongs to, the 分值 of an indicator the structure lacks,
where such an indicator goes) is made in a canonical order (本级 first, then by name, file and
content). The order given is kept only where it is shown: the list of units, whose same-named
units are numbered (1), (2) in that order, and each indicator's contributions.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ..core.decimal_math import excel_round, fmt_decimal, fmt_percent
from ..core.evaluate import Evaluation, evaluate
from ..core.findings import Finding, Severity
from ..core.model import (
    BudgetRow,
    BudgetRowKind,
    Deduction,
    Form,
    FormKind,
    Indicator,
    Narrative,
    SubUnit,
    Value,
    effective_names,
)
from ..core.profiles import Profile, canonical_first_level
from ..core.targets import Comparison, normalize_text
from ..workbook import layout as L
from .model import (
    FUND_FROM_ACTUAL,
    FUND_FROM_LIST,
    FUND_MISSING,
    ROLE_OWN,
    ROLE_UNIT,
    BudgetLineSum,
    ConsolidatedIndicator,
    ConsolidationError,
    ConsolidationResult,
    Contribution,
    Method,
    Skipped,
    SkipReason,
    UnitWeight,
    Unmatched,
)
from .readings import ABSOLUTE, BLANK, QUALITATIVE, RELATIVE, TEXT, Reading, classify, reading_of

__all__ = ["Member", "Merger", "merge"]

ZERO = Decimal(0)
ONE = Decimal(1)
IndicatorKey = tuple[str, str, str, int]

# What the form's 偏差原因 cell shows of the units' joined reasons; each unit's own text is kept
# whole on 汇总说明.
REASON_SHOWN = 1000


@lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    # Cached: the same indicator names come back in every unit.
    return normalize_text(text or "")


def _bare(v: Value) -> Value:
    """The value without its location in some other file."""
    return Value(raw=v.raw, percent_format=v.percent_format)


@dataclass(frozen=True)
class Member:
    """One form that counts: as read, with the evaluation the loader made of it."""

    form: Form
    evaluation: Evaluation
    file: str = ""  # as given, for listings and findings
    digest: str = ""  # content hash of the file; "" for a form built in memory
    own: bool = False  # the department's own form (部门本级)
    profile_name: str = ""  # the profile the form was evaluated under
    errors: int = 0  # its own findings, for the list of units
    warnings: int = 0

    @classmethod
    def of(cls, loaded, *, file: str = "", digest: str = "", own: bool = False) -> Member:
        """A member from a `loader.Loaded` that is readable."""
        if loaded.evaluation is None:
            raise ValueError("an unreadable form cannot be consolidated")
        sev = Counter(f.severity for f in loaded.findings)
        return cls(form=loaded.form, evaluation=loaded.evaluation,
                   file=file or (str(loaded.path) if loaded.path is not None else ""), digest=digest,
                   own=own, profile_name=loaded.profile.name, errors=sev[Severity.ERROR],
                   warnings=sev[Severity.WARNING])


@dataclass(slots=True, eq=False)
class _Unit:
    """What the merge keeps of a member once it has been added (its Form is let go)."""

    position: int
    raw_name: str
    file: str
    digest: str
    own: bool
    kind: FormKind
    source: str
    year: Value
    budget: tuple[BudgetRow, ...]
    deductions: tuple[Deduction, ...]
    total: Decimal
    grade: str
    profile_name: str
    errors: int
    warnings: int
    keys: list[IndicatorKey] = field(default_factory=list)
    readings: dict[IndicatorKey, Reading] = field(default_factory=dict)
    name: str = ""  # as shown, numbered when the name repeats
    fund: Decimal = ZERO
    fund_from: str = FUND_MISSING
    listed_at: int = 10**9  # position on the department's 下属单位 sheet

    @property
    def shown_file(self) -> str:
        return self.file or self.source

    @property
    def main(self) -> BudgetRow | None:
        return next((r for r in self.budget if r.kind is BudgetRowKind.TOTAL), self.budget[0] if self.budget else None)

    def canonical_key(self) -> tuple:
        return (0 if self.own else 1, _norm(self.raw_name), self.source, self.digest, self.position)


def _keyed(form: Form, evaluation: Evaluation | None = None):
    """(key, names, indicator, score result) of each filled indicator.

    A name repeated within one form gets an occurrence number, so two rows called 「满意度」 in
    one unit meet the two rows of that name in another instead of collapsing into one.
    """
    inds = form.filled_indicators
    # evaluate() scores filled_indicators in order, so position pairs them.
    results = [r.result for r in evaluation.indicators] if evaluation is not None else [None] * len(inds)
    seen: Counter[tuple[str, str, str]] = Counter()
    for ind, names, res in zip(inds, effective_names(inds), results, strict=True):
        l1, l2, l3 = names
        base = (canonical_first_level(_norm(l1)) if l1 else "", _norm(l2), _norm(l3))
        yield (*base, seen[base]), names, ind, res
        seen[base] += 1


def _fingerprint(form: Form) -> str:
    """Stands in for a file's hash when a form was built in memory (ties of name and source)."""
    return hashlib.sha256(repr(form.model_dump()).encode("utf-8", "surrogatepass")).hexdigest()


def _where(form: Form, ind: Indicator) -> tuple[str, str]:
    loc = ind.actual.loc
    if loc is not None:
        return loc.sheet, loc.cell
    lay = L.layout_for(form.kind)
    if ind.row in lay.indicator_rows:
        return L.SHEET_FORM, lay.indicator_cells(ind.row)["actual"]
    return L.SHEET_FORM, ""


# ---------------------------------------------------------------------------------------------
# numbers


def _weights(readings: Sequence[Reading]) -> tuple[list[Decimal], bool]:
    """Fund weights; equal weights when every contributing unit's fund is zero."""
    ws = [r.unit.fund for r in readings]
    if sum(ws, ZERO) == 0:
        return [ONE] * len(readings), True
    return ws, False


def _wavg(values: Sequence[Decimal], weights: Sequence[Decimal]) -> Decimal:
    den = sum(weights, ZERO)
    return sum((v * w for v, w in zip(values, weights, strict=True)), ZERO) / den


def _show(value: Decimal, measure: str, profile: Profile) -> str:
    if measure == "%":
        return fmt_percent(excel_round(value, profile.rounding.rate))
    return fmt_decimal(excel_round(value, profile.rounding.money)) + measure


def _target_text(comp: Comparison, value: Decimal, upper: Decimal | None, measure: str,
                 profile: Profile) -> str:
    if comp is Comparison.RANGE and upper is not None:
        return f"{_show(value, measure, profile)}～{_show(upper, measure, profile)}"
    # "等于" rather than "=": a target never starts like a formula.
    word = "等于" if comp is Comparison.EQ else comp.value
    return word + _show(value, measure, profile)


def _written_value(value: Decimal, measure: str, profile: Profile) -> Value:
    if measure == "%":
        v = excel_round(value, profile.rounding.rate)
        # A bare number above 2 next to a percent target is read as percent points (targets.py),
        # so a large percentage is written as text to be read back as it is.
        if abs(v) > 2:
            return Value(raw=fmt_percent(v))
        return Value(raw=v, percent_format=True)
    return Value(raw=excel_round(value, profile.rounding.money))


def _capped(text: str, limit: int, what: str) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1] + f"…（共 {len(text)} 字，{what}）"


# ---------------------------------------------------------------------------------------------
# one indicator


@dataclass
class _Shape:
    """What the structure says of one indicator (or the first unit that has it)."""

    names: tuple[str, str, str]
    target: str
    declared: bool  # an explicit template's target: the department's own, not summed
    weight: Value
    weight_from: str
    kind: Value
    direction: Value
    reason: str  # an explicit template's reason
    family: str


def _shape_of_indicator(ind: Indicator, names, declared: bool, weight_from: str) -> _Shape:
    target, actual = ind.parsed_target(), ind.parsed_actual()
    if ind.actual.is_blank:  # a template with no answer: judge by the target
        family = QUALITATIVE if target.is_qualitative else RELATIVE
    else:
        family = classify(target, actual, names[2], shown_as_percent=ind.actual.percent_format)[0]
    return _Shape(names=names, target=ind.target.text, declared=declared and not ind.target.is_blank,
                  weight=_bare(ind.weight), weight_from=weight_from, kind=_bare(ind.kind),
                  direction=_bare(ind.direction), reason=ind.reason.text if declared else "", family=family)


def _shape_of_reading(r: Reading) -> _Shape:
    return _Shape(names=r.names, target=r.target_text, declared=False, weight=Value(raw=r.weight_raw),
                  weight_from=r.unit.name, kind=Value(raw=r.kind_raw), direction=Value(raw=r.direction_raw),
                  reason="", family=r.family if r.family != BLANK else (
                      QUALITATIVE if r.target.is_qualitative else RELATIVE))


@dataclass
class _Merged:
    method: Method
    target: str
    actual: Value
    value: Decimal | None
    measure: str
    contributions: list[tuple[Reading, Contribution]]
    notes: list[str]
    flagged: list[tuple[Reading, str]]  # members whose value could not be combined, and why


def _contribution(r: Reading, included: bool, share: Decimal | None = None, note: str = "") -> tuple[Reading, Contribution]:
    return r, Contribution(
        unit=r.unit.name, file=r.unit.shown_file, fund=r.unit.fund, share=share, target=r.target_text,
        actual=r.actual_text, value=r.value, measure=r.measure, weight=r.weight, score=r.score,
        included=included, reason=r.reason, note=note or (r.score_note and f"单位未计分：{r.score_note}"))


def _listing(rs: Iterable[Reading], what) -> str:
    return "、".join(f"{r.unit.name}：{what(r)}" for r in rs)


def _review(readings: Sequence[Reading], template_target: str, note: str,
            flagged: list[tuple[Reading, str]]) -> _Merged:
    why = {id(r): w for r, w in flagged}
    contributions = [_contribution(r, False, note=why.get(id(r), "未填写完成值" if r.family == BLANK else ""))
                     for r in readings]
    return _Merged(Method.REVIEW, template_target, Value(), None, "", contributions, [note], flagged)


def _merge(readings: list[Reading], shape: _Shape, profile: Profile) -> _Merged:
    notes: list[str] = []
    template_target = shape.target or readings[0].target_text
    filled = [r for r in readings if r.family != BLANK]
    blanks = [r for r in readings if r.family == BLANK]

    def values_listing() -> str:
        return _listing(filled, lambda r: f"指标值“{r.target_text or '（空）'}”，完成值“{r.actual_text}”")

    bad = [r for r in readings if r.problem]
    if bad:
        return _review(readings, template_target,
                       f"待核实：有单位的完成值不是与其年度指标值同一计量单位的数值，不能相加或平均（{values_listing()}）；"
                       "请核实后人工填写。", [(r, r.problem) for r in bad])

    with_value = [r for r in readings if r.value is not None]
    texts = [r for r in readings if r.family == TEXT]
    if not with_value:
        distinct = {normalize_text(r.actual_text) for r in texts}
        if texts and len(distinct) == 1:
            contributions = [_contribution(r, True) for r in texts]
            contributions += [_contribution(r, False, note="未填写完成值") for r in blanks]
            if blanks:
                notes.append(f"{_listing(blanks, lambda r: '未填写')}，照录其他单位一致的文字完成值。")
            return _Merged(Method.TEXT, template_target, Value(raw=texts[0].actual_raw), None, "",
                           contributions, notes, [])
        if texts:
            shown = _listing(texts, lambda r: f"“{r.actual_text}”")
            return _review(readings, template_target,
                           f"待核实：各单位的完成值为不同的文字（{shown}），无法汇总，请人工填写。",
                           [(r, f"各单位的文字完成值不同（{shown}）") for r in texts])
        return _Merged(Method.NONE, template_target, Value(), None, "",
                       [_contribution(r, False, note="未填写完成值") for r in readings],
                       ["各单位均未填写完成值。"], [])
    if texts:
        shown = values_listing()
        return _review(readings, template_target,
                       f"待核实：有的单位填写的是文字、有的是数值（{shown}），不能相加或平均，请人工填写。",
                       [(r, "完成值是文字，其他单位填写的是数值") for r in texts])

    families = {r.family for r in with_value}
    measures = {r.measure for r in with_value}
    # Percent values and qualitative completion ratios are both fractions and average alike.
    fractions_only = measures == {"%"} and families <= {RELATIVE, QUALITATIVE}
    if len(measures) > 1 or (len(families) > 1 and not fractions_only):
        shown = _listing(with_value, lambda r: f"“{r.actual_text}”（{r.measure or '无单位'}）")
        return _review(readings, template_target,
                       f"待核实：各单位的计量单位不一致（{shown}），未累加也未平均，请统一口径后人工填写。",
                       [(r, f"与其他单位的计量单位不一致（{shown}）") for r in with_value])

    measure = next(iter(measures))
    if families == {ABSOLUTE}:
        method = Method.SUM
    elif families == {QUALITATIVE} or (len(families) > 1 and shape.family == QUALITATIVE):
        method = Method.QUALITATIVE
    else:
        method = Method.WEIGHTED
    if families == {RELATIVE, QUALITATIVE}:
        notes.append("部分单位按定性、部分单位按定量填写此指标，均按完成比例加权平均。")
    if blanks:
        notes.append(f"{_listing(blanks, lambda r: '未填写')}，未计入汇总。")

    if method is Method.SUM:
        value = sum((r.value for r in with_value), ZERO)  # type: ignore[misc]
        contributions = [_contribution(r, True) for r in with_value]
        target = _summed_target(with_value, measure, template_target, profile, notes)
    else:
        weights, equal = _weights(with_value)
        if equal and len(with_value) > 1:
            notes.append("参与的单位资金额度均为零或缺失，按简单平均计算。")
        den = sum(weights, ZERO)
        value = _wavg([r.value for r in with_value], weights)  # type: ignore[misc]
        contributions = [_contribution(r, True, share=w / den) for r, w in zip(with_value, weights, strict=True)]
        if len({normalize_text(r.target_text) for r in with_value}) <= 1:
            target = template_target
        else:
            target = _averaged_target(with_value, weights, measure, method, template_target, profile, notes)
    contributions += [_contribution(r, False, note="未填写完成值") for r in blanks]
    return _Merged(method, target, _written_value(value, measure, profile), value, measure,
                   contributions, notes, [])


def _summed_target(readings: Sequence[Reading], measure: str, template_target: str, profile: Profile,
                   notes: list[str]) -> str:
    comps = {r.target.comparison for r in readings}
    usable = all(r.target.is_quantitative and (r.target.unit or measure) == measure for r in readings)
    if not usable or len(comps) != 1:
        notes.append(f"各单位的年度指标值无法累加（{_listing(readings, lambda r: r.target_text or '（空）')}），"
                     f"沿用「{template_target}」。")
        return template_target
    comp = next(iter(comps))
    assert comp is not None
    total = sum((r.target.value for r in readings), ZERO)  # type: ignore[misc]
    upper = (sum(((r.target.upper if r.target.upper is not None else r.target.value) for r in readings), ZERO)
             if comp is Comparison.RANGE else None)
    return _target_text(comp, total, upper, measure, profile)


def _averaged_target(readings: Sequence[Reading], weights: Sequence[Decimal], measure: str, method: Method,
                     template_target: str, profile: Profile, notes: list[str]) -> str:
    comps = {r.target.comparison for r in readings}
    usable = all(r.target.is_quantitative and (r.target.unit or measure) == measure for r in readings)
    listing = _listing(readings, lambda r: r.target_text or "（空）")
    if method is Method.QUALITATIVE or not usable or len(comps) != 1:
        notes.append(f"各单位的年度指标值不一致（{listing}），沿用「{template_target}」。")
        return template_target
    comp = next(iter(comps))
    assert comp is not None
    value = _wavg([r.target.value for r in readings], weights)  # type: ignore[misc]
    upper = (_wavg([r.target.upper if r.target.upper is not None else r.target.value for r in readings], weights)
             if comp is Comparison.RANGE else None)
    text = _target_text(comp, value, upper, measure, profile)
    notes.append(f"各单位的年度指标值不一致（{listing}），按资金额度加权为「{text}」。")
    return text


def _weighted_unit_score(readings: Sequence[Reading], weight: Decimal | None) -> Decimal | None:
    """The fund-weighted average of the units' own scores, rescaled to the 分值 used (for reference)."""
    scored = [r for r in readings if r.score is not None and r.weight]
    if weight is None or not scored:
        return None
    ws, _ = _weights(scored)
    ratios = [r.score / r.weight for r in scored]  # type: ignore[operator]
    return excel_round(_wavg(ratios, ws) * weight, 2)


# ---------------------------------------------------------------------------------------------
# the whole form


def _order_keys(template_keys: list[IndicatorKey], units: Sequence[_Unit]) -> list[IndicatorKey]:
    """Template order first; an indicator only some unit has goes after its own 二级 (or 一级) group."""
    order = list(template_keys)
    placed = set(order)
    for unit in units:
        for key in unit.keys:
            if key in placed:
                continue
            placed.add(key)
            pos = _last_index(order, lambda k, key=key: k[:2] == key[:2])
            if pos is None:
                pos = _last_index(order, lambda k, key=key: k[0] == key[0])
            if pos is None:
                order.append(key)
            else:
                order.insert(pos + 1, key)
    return order


def _last_index(keys: list[IndicatorKey], pred) -> int | None:
    for i in range(len(keys) - 1, -1, -1):
        if pred(keys[i]):
            return i
    return None


def _slots(rows: Sequence[BudgetRow]):
    seen: Counter[BudgetRowKind] = Counter()
    for row in rows:
        yield (row.kind, seen[row.kind]), row
        seen[row.kind] += 1


def _budget_lines(template: Sequence[BudgetRow], units: Sequence[_Unit],
                  notes: list[str]) -> tuple[list[BudgetRow], list[BudgetLineSum]]:
    shape: dict[tuple[BudgetRowKind, int], BudgetRow] = dict(_slots(template))
    by_unit = [(u.name, dict(_slots(u.budget))) for u in units]
    for _, rows in by_unit:
        for slot, row in rows.items():
            shape.setdefault(slot, row)
    out_rows: list[BudgetRow] = []
    sums: list[BudgetLineSum] = []
    for slot, shape_row in shape.items():
        figures: dict[str, Decimal | None] = {}
        blank_in: list[str] = []
        for key in ("initial", "full_year", "actual"):
            cells = [(name, getattr(rows[slot], key) if slot in rows else Value()) for name, rows in by_unit]
            numbers = [v.number for _, v in cells if v.number is not None]
            for name, v in cells:
                if v.number is None and (numbers or not v.is_blank):
                    blank_in.append(name)
            figures[key] = sum(numbers, ZERO) if numbers else None
        label = shape_row.label.text or ""
        missing = list(dict.fromkeys(blank_in))
        if missing:
            notes.append(f"预算“{label}”行：{'、'.join(missing)} 有空白或非数字的金额，按 0 累加。")
        out_rows.append(BudgetRow(
            kind=shape_row.kind, label=_bare(shape_row.label),
            initial=Value(raw=figures["initial"]), full_year=Value(raw=figures["full_year"]),
            actual=Value(raw=figures["actual"]), weight=_bare(shape_row.weight),
        ))
        sums.append(BudgetLineSum(kind=shape_row.kind, label=label, initial=figures["initial"],
                                  full_year=figures["full_year"], actual=figures["actual"],
                                  blank_in=tuple(missing)))
    return out_rows, sums


def _file_stem(text: str) -> str:
    base = _norm(text).replace("\\", "/").rsplit("/", 1)[-1]
    for ext in (".xlsx", ".xlsm", ".xls"):
        if base.lower().endswith(ext):
            return base[: -len(ext)]
    return base


def _match_listing(units: Sequence[_Unit], listed: Sequence[SubUnit], notes: list[str]) -> None:
    """Each unit's entry on the department's 下属单位 sheet (by name, else by file name).

    A listed row is given to one unit only (the first in canonical order): its 资金额度 must not
    weigh twice.
    """
    entries = [({_norm(e.name.text)} - {""}, {_file_stem(e.file.text)} - {""}) for e in listed]
    taken: dict[int, str] = {}
    for unit in units:
        names = {_norm(unit.name), _norm(unit.raw_name)}
        files = {_file_stem(unit.source), _file_stem(unit.file)} - {""}
        for i, (e_names, e_files) in enumerate(entries):
            if e_names & names or e_files & files:
                if i in taken:
                    notes.append(f"「{unit.name}」与「{taken[i]}」都对应下属单位表第 {listed[i].row} 行，"
                                 f"该行的资金额度只计入「{taken[i]}」。")
                    break
                taken[i] = unit.name
                unit.listed_at = i
                break


def _assign_funds(units: Sequence[_Unit], listed: Sequence[SubUnit], notes: list[str]) -> bool:
    """Each unit's weight: the department's listed 资金额度 when the list has any, else 实际支出数."""
    use_list = any(u.fund.number is not None for u in listed)
    for unit in units:
        main = unit.main
        own_fund = main.actual.number if main is not None else None
        listed_fund = listed[unit.listed_at].fund.number if unit.listed_at < len(listed) else None
        if use_list and listed_fund is not None:
            unit.fund, unit.fund_from = listed_fund, FUND_FROM_LIST
        elif own_fund is not None:
            unit.fund, unit.fund_from = own_fund, FUND_FROM_ACTUAL
            if use_list:
                notes.append(f"「{unit.name}」不在部门下属单位表中（或未填资金额度），按其实际支出数 "
                             f"{fmt_decimal(own_fund)} 万元作为资金额度。")
        else:
            unit.fund, unit.fund_from = ZERO, FUND_MISSING
        if unit.fund < 0:
            notes.append(f"「{unit.name}」的资金额度为负数（{fmt_decimal(unit.fund)}），按 0 处理。")
            unit.fund, unit.fund_from = ZERO, FUND_MISSING
        if unit.fund == 0:
            notes.append(f"「{unit.name}」的资金额度为零或缺失：其绝对值照常累加，相对值和定性指标不参与加权平均。")
    if use_list:
        notes.insert(0, "资金额度取自部门汇总表的“下属单位”表（优先于各单位自评表的实际支出数）。")
        used = {u.listed_at for u in units}
        for i, entry in enumerate(listed):
            if i not in used:
                notes.append(f"部门下属单位表列出的「{entry.name.text or entry.file.text}」没有提供自评表"
                             "（或无法读取），未参与汇总。")
    return use_list


def _number_names(units: Sequence[_Unit], notes: list[str]) -> None:
    """Shown names in the order given; a repeated name is numbered (1), (2) in that order."""
    counts = Counter(_norm(u.raw_name) for u in units)
    seen: Counter[str] = Counter()
    for u in units:
        key = _norm(u.raw_name)
        u.name = u.raw_name
        if counts[key] > 1:
            seen[key] += 1
            if seen[key] == 1:
                notes.append(f"单位名称「{u.raw_name}」出现 {counts[key]} 次，按给出的顺序记为「{u.raw_name}（1）」等"
                             "（各自的文件见单位清单），请确认是否重复提供。")
            u.name = f"{u.raw_name}（{seen[key]}）"


class Merger:
    """The merge, one member at a time: only what the merge needs of each form is kept, so a
    bureau's 500 units do not hold 500 forms in memory.

        merger = Merger(structure=template_or_None)
        for loaded in ...: merger.add(Member.of(loaded, ...))
        result = merger.result(loader.resolve_profile(spec, merger.structure_form))
    """

    def __init__(self, structure: Form | None = None) -> None:
        self._structure = structure
        self._units: list[_Unit] = []
        self._own: tuple[_Unit, Form] | None = None
        self._first: dict[FormKind, tuple[tuple, Form]] = {}  # canonical-first form of each kind

    def __len__(self) -> int:
        return len(self._units)

    def add(self, member: Member) -> None:
        form, ev = member.form, member.evaluation
        if member.own and self._own is not None:
            raise ValueError("only one member can be the 本级")
        unit = _Unit(
            position=len(self._units),
            raw_name=(form.name.text or _file_stem(member.file) or form.source or "（未命名单位）").strip(),
            file=member.file, digest=member.digest, own=member.own, kind=form.kind, source=form.source,
            year=_bare(form.year), budget=form.budget, deductions=form.deductions, total=ev.total,
            grade=ev.grade, profile_name=member.profile_name or ev.profile_name, errors=member.errors,
            warnings=member.warnings,
        )
        for key, names, ind, res in _keyed(form, ev):
            sheet, cell = _where(form, ind)
            note = res.error.message if res.score is None and res.error is not None else ""
            unit.keys.append(key)
            unit.readings[key] = reading_of(unit, ind, names, res.score, note, sheet, cell)
        if not unit.digest:
            unit.digest = _fingerprint(form)
        self._units.append(unit)
        if member.own:
            self._own = (unit, form)
        ckey = unit.canonical_key()
        best = self._first.get(unit.kind)
        if best is None or ckey < best[0]:
            self._first[unit.kind] = (ckey, form)

    # ---- what the structure is -------------------------------------------------------------
    @property
    def kind(self) -> FormKind:
        if self._structure is not None:
            return self._structure.kind
        if self._own is not None:
            return self._own[0].kind
        kinds = Counter(u.kind for u in self._units)
        if not kinds:
            return FormKind.DEPARTMENT
        return max(kinds, key=lambda k: (kinds[k], k is FormKind.DEPARTMENT))

    @property
    def structure_form(self) -> Form | None:
        """The form that gives names, 分值 and order (what the profile is resolved for)."""
        if self._structure is not None:
            return self._structure
        if self._own is not None:
            return self._own[1]
        first = self._first.get(self.kind)
        return first[1] if first is not None else None

    # ---- the result ------------------------------------------------------------------------
    def result(self, profile: Profile) -> ConsolidationResult:
        kind = self.kind
        notes: list[str] = []
        findings: list[Finding] = []
        skipped: list[Skipped] = []
        included = [u for u in self._units if u.kind is kind]
        for u in self._units:
            if u.kind is not kind:
                msg = f"「{u.raw_name}」是{u.kind.title}，与汇总表（{kind.title}）类型不同，未参与汇总。"
                skipped.append(Skipped(file=u.shown_file, reason=SkipReason.OTHER_KIND, code="PE705", message=msg))
                findings.append(Finding(code="PE705", severity=Severity.WARNING, file=u.shown_file, message=msg))
        if not included:
            raise ConsolidationError(f"没有与汇总表类型（{kind.title}）相同的自评表可以汇总。")
        _number_names(included, notes)
        canon = sorted(included, key=_Unit.canonical_key)

        structure = self._structure
        own = self._own[1] if self._own is not None and self._own[0].kind is kind else None
        dept = structure if structure is not None else own  # the department's texts and list
        shape_form = self.structure_form
        assert shape_form is not None
        if structure is not None:
            structure_from = f"部门模板「{structure.display_name}」"
        elif own is not None:
            structure_from = f"本级「{self._own[0].name}」"  # type: ignore[index]
        else:  # the canonical-first unit of this kind, whose form is structure_form
            structure_from = f"单位「{canon[0].name}」"

        listed = [u for u in (dept.units if dept is not None else ()) if not (u.name.is_blank and u.file.is_blank)]
        _match_listing(canon, listed, notes)
        from_list = _assign_funds(canon, listed, notes)
        fund_total = sum((u.fund for u in included), ZERO)

        if structure is not None and _has_own_figures(structure):
            notes.append("部门模板（--structure-only）中已填写的金额和完成值未参与汇总：模板只提供名称、分值和指标结构；"
                         "部门本级的数据请作为本级自评表提供。")
        if structure is None and own is not None and not _has_own_figures(own):
            notes.append(f"本级「{self._own[0].name}」没有填写任何金额和完成值，按零计入；"  # type: ignore[index]
                         "如它只是部门模板，请改用 --structure-only 指定。")
        if len(included) == 1:
            notes.append("只有一份自评表参与汇总，汇总结果即该表本身的数值。")
        profiles = sorted({u.profile_name for u in included if u.profile_name and u.profile_name != profile.name})
        if profiles:
            notes.append(f"部分单位按其自身的评分规则（{'、'.join(profiles)}）计分；汇总表按「{profile.title}」"
                         "重新计分，单位得分仅供参考。")
        year = self._year(dept, canon, notes)

        budget_rows, budget_sums = _budget_lines(shape_form.budget, canon, notes)

        declared = structure is not None
        shape_keyed = list(_keyed(shape_form))
        shape_by_key = {k: (names, ind) for k, names, ind, _ in shape_keyed}
        order = _order_keys([k for k, _, _, _ in shape_keyed], canon)
        lay = L.layout_for(kind)
        weight_source = "部门模板" if structure is not None else (ROLE_OWN if own is not None else "")

        built: list[tuple[IndicatorKey, _Shape, _Merged, list[Reading]]] = []
        unmatched: list[Unmatched] = []
        for key in order:
            readings = [r for u in canon if (r := u.readings.get(key)) is not None]
            missing = _missing(canon, readings)
            if key in shape_by_key:
                names3, template = shape_by_key[key]
                shape = _shape_of_indicator(template, names3, declared, weight_source or canon[0].name)
            else:
                shape = _shape_of_reading(readings[0])
            if missing:
                unmatched.append(Unmatched(level1=shape.names[0], level2=shape.names[1], level3=shape.names[2],
                                           present_in=tuple(r.unit.name for r in readings), missing_in=missing))
            if readings:
                merged = _merge(readings, shape, profile)
            else:
                merged = _Merged(Method.NONE, shape.target, Value(), None, "", [],
                                 ["部门模板有此指标，但没有任何单位填写，请人工填写完成值。"], [])
            if shape.declared:
                # An explicit template's target is the department's own; the units' figures are compared.
                if merged.method in (Method.SUM, Method.WEIGHTED) and \
                        normalize_text(merged.target) != normalize_text(shape.target):
                    merged.notes.append(f"部门模板的年度指标值为「{shape.target}」，"
                                        f"各单位汇总为「{merged.target}」，采用部门模板的指标值。")
                merged.target = shape.target
            if shape.weight.is_blank and readings:  # the structure left 分值 open: the first unit's
                shape.weight, shape.weight_from = Value(raw=readings[0].weight_raw), readings[0].unit.name
            weights = {r.weight for r in readings}
            if shape.weight.number is not None:
                weights.add(shape.weight.number)
            if len(weights) > 1:
                shown = _listing(readings, lambda r: r.weight_text or "（空）")
                merged.notes.append(f"各单位的分值不一致（{shown}），采用{shape.weight_from}的分值 "
                                    f"{shape.weight.text or '（空）'}（分值不累加）。")
            built.append((key, shape, merged, readings))
            for r, why in merged.flagged:
                findings.append(Finding(
                    code="PE704", severity=Severity.WARNING, file=r.unit.shown_file, sheet=r.sheet, cell=r.cell,
                    message=f"「{r.unit.name}」的指标「{r.names[2] or r.names[1]}」：{why}；汇总表中该指标标为“待核实”，"
                            "未相加也未平均。",
                    actual=r.actual_text))

        indicators = self._form_indicators(built, lay)
        unit_list = tuple(
            SubUnit(row=L.UNITS.first_row + i, name=Value(raw=u.name), fund=Value(raw=u.fund),
                    file=Value(raw=u.source or _file_stem(u.file) or None))
            for i, u in enumerate(included)
        )
        if len(included) > L.UNITS.count:
            notes.append(f"参与汇总的自评表有 {len(included)} 份，“下属单位”表只能列出前 {L.UNITS.count} 份；"
                         f"完整清单见“{L.SHEET_CONSOLIDATION}”表。")
        dept_unit = self._own[0] if dept is own and own is not None else None
        others = [(u, d) for u in canon if u is not dept_unit for d in u.deductions if d.points.number]
        if others:
            listing = "、".join(f"{u.name}（{d.source.text or '扣分'} {d.points.text} 分）" for u, d in others)
            notes.append(f"下属单位的扣分事项未自动计入汇总表（扣分由部门酌情确定）：{listing}。")

        form = Form(
            kind=kind,
            source=f"{len(included)}份自评表汇总",
            year=year,
            name=self._name(dept, canon),
            competent_dept=_bare(dept.competent_dept) if dept is not None else Value(),
            implementer=_bare(dept.implementer) if dept is not None else Value(),
            budget=tuple(budget_rows),
            goals_expected=_bare(dept.goals_expected) if dept is not None else Value(),
            goals_actual=_bare(dept.goals_actual) if dept is not None else Value(),
            indicators=tuple(indicators),
            deductions=tuple(d.model_copy(update={k: _bare(getattr(d, k)) for k in
                                                  ("source", "description", "amount", "points")})
                             for d in (dept.deductions if dept is not None else ())),
            total_note=_bare(dept.total_note) if dept is not None else Value(),
            other_notes=_bare(dept.other_notes) if dept is not None else Value(),
            narrative=dept.narrative.model_copy(update={"sections": {k: _bare(v) for k, v in
                                                                     dept.narrative.sections.items()}})
            if dept is not None else Narrative(),
            units=unit_list,
            profile_name=profile.name,
        )
        evaluation = evaluate(form, profile)

        results: list[ConsolidatedIndicator] = []
        for ind, (_, shape, merged, readings), res in zip(indicators, built, evaluation.indicators, strict=True):
            score = res.result
            for n in merged.notes:
                notes.append(f"「{shape.names[2] or shape.names[1] or shape.names[0]}」：{n}")
            contributions = tuple(c for _, c in sorted(merged.contributions, key=lambda rc: rc[0].unit.position))
            results.append(ConsolidatedIndicator(
                row=ind.row, level1=shape.names[0], level2=shape.names[1], level3=shape.names[2],
                method=merged.method, target=merged.target, value=merged.value,
                value_text=_show(merged.value, merged.measure, profile) if merged.value is not None else "",
                measure=merged.measure,
                weight=shape.weight.number, weight_from=shape.weight_from, score=score.score,
                score_note=_score_note(merged, score),
                weighted_unit_score=_weighted_unit_score(readings, shape.weight.number),
                contributions=contributions, missing_in=_missing(canon, readings), notes=tuple(merged.notes),
            ))

        unit_weights = tuple(
            UnitWeight(
                position=u.position + 1, role=ROLE_OWN if u.own else ROLE_UNIT, name=u.name, file=u.file,
                source=u.source, fund=u.fund, fund_from=u.fund_from,
                share=(u.fund / fund_total) if fund_total else None,
                initial=row.initial.number if row else None, full_year=row.full_year.number if row else None,
                actual=row.actual.number if row else None, total=u.total, grade=u.grade,
                profile_name=u.profile_name, errors=u.errors, warnings=u.warnings,
            )
            for u in included for row in (u.main,)
        )
        return ConsolidationResult(
            form=form, evaluation=evaluation, units=unit_weights, budget=tuple(budget_sums),
            indicators=tuple(results), unmatched=tuple(unmatched), notes=tuple(notes),
            funds_from_department_list=from_list, structure_from=structure_from, skipped=tuple(skipped),
            findings=tuple(findings),
        )

    @staticmethod
    def _form_indicators(built, lay: L.FormLayout) -> list[Indicator]:
        indicators: list[Indicator] = []
        prev = ("", "")
        for i, (key, shape, merged, readings) in enumerate(built):
            l1, l2, l3 = shape.names
            show_l1 = l1 if key[0] != prev[0] else ""
            show_l2 = l2 if (key[0], key[1]) != prev else ""
            prev = (key[0], key[1])
            if shape.reason:
                reason = shape.reason
            else:
                given = [r for r in readings if r.reason]
                reason = "；".join(f"{r.unit.name}：{r.reason}" for r in given)
                reason = _capped(reason, REASON_SHOWN, f"{len(given)} 个单位的说明全文见“{L.SHEET_CONSOLIDATION}”表")
            if merged.method is Method.REVIEW:
                reason = f"待核实：各单位的值无法直接汇总，见“{L.SHEET_CONSOLIDATION}”表。" + (f"{reason}" if reason else "")
            indicators.append(Indicator(
                row=lay.indicator_first_row + i,
                level1=Value(raw=show_l1 or None), level2=Value(raw=show_l2 or None), level3=Value(raw=l3 or None),
                target=Value(raw=merged.target or None), actual=merged.actual, weight=_bare(shape.weight),
                reason=Value(raw=reason or None), kind=shape.kind, direction=shape.direction,
            ))
        return indicators

    def _year(self, dept: Form | None, canon: Sequence[_Unit], notes: list[str]) -> Value:
        years = {u.year.text for u in canon if u.year.text}
        if dept is not None and not dept.year.is_blank:
            year = _bare(dept.year)
        elif years:
            # the year most units give (the earliest on a tie), from the first unit that gives it
            common = min(Counter(u.year.text for u in canon if u.year.text).items(),
                         key=lambda kv: (-kv[1], kv[0]))[0]
            year = next(u.year for u in canon if u.year.text == common)
        else:
            year = Value()
        if len(years) > 1:
            notes.append(f"各单位的年度不一致（{'、'.join(sorted(years))}），汇总表按 {year.text or '（空）'} 年。")
        return year

    def _name(self, dept: Form | None, units: Sequence[_Unit]) -> Value:
        if dept is not None and not dept.name.is_blank:
            return _bare(dept.name)
        if self._own is not None and self._own[0] in units:
            return Value(raw=self._own[0].raw_name)
        if len(units) == 1:
            return Value(raw=units[0].raw_name)
        names = [u.name for u in units]
        shown = "、".join(names[:3]) + (f"等{len(names)}个单位" if len(names) > 3 else "")
        return Value(raw=f"{shown}（汇总）")


def _missing(units: Sequence[_Unit], readings: Sequence[Reading]) -> tuple[str, ...]:
    present = {id(r.unit) for r in readings}
    return tuple(u.name for u in units if id(u) not in present)


def _has_own_figures(form: Form) -> bool:
    money = any(not getattr(r, k).is_blank for r in form.budget for k in ("initial", "full_year", "actual"))
    return money or any(not i.actual.is_blank for i in form.filled_indicators)


def _score_note(merged: _Merged, score) -> str:
    if merged.method is Method.REVIEW:
        return "未计分：待核实，各单位的值无法直接汇总（见本行“说明”）。"
    if score.score is None:
        why = score.error.message if score.error is not None else "无法计分"
        return f"未计分：{why}。"
    return score.explanation


def merge(members: Iterable[Member], profile: Profile, *, structure: Form | None = None) -> ConsolidationResult:
    """The department's form consolidated from `members` (see the module docstring)."""
    merger = Merger(structure=structure)
    for m in members:
        merger.add(m)
    if not len(merger):
        raise ConsolidationError("没有可以汇总的自评表。")
    return merger.result(profile)
