"""The xlwings UDF shims: importable without Excel, the same results as the core, never None."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfeval.core import cellfunctions as cf
from perfeval.core.model import FormKind
from perfeval.excel import udfs
from perfeval.workbook import layout as L

SIGNATURES = {
    "EXEC_RATE": ["actual", "budget"],
    "EXEC_SCORE": ["actual", "budget", "weight", "profile"],
    "SCORE": ["target", "actual", "weight", "profile", "kind", "direction", "actual_format"],
    "BAND": ["completion", "profile", "completion_format", "target"],
    "BAND_SCORE": ["completion_or_band", "weight", "profile"],
    "CAP": ["score", "weight"],
    "WAVG": ["values", "weights"],
    "TOTAL": ["scores", "deductions", "execution_score", "profile"],
    "GRADE": ["total", "profile"],
    "TARGET": ["text", "kind", "direction"],
    "SCORE_TABLE": ["targets", "actuals", "weights", "profile", "kinds", "directions", "actual_formats"],
}
REQUIRED = {"EXEC_RATE": 2, "EXEC_SCORE": 2, "SCORE": 3, "BAND": 1, "BAND_SCORE": 2, "CAP": 2,
            "WAVG": 2, "TOTAL": 1, "GRADE": 1, "TARGET": 1, "SCORE_TABLE": 3}
RANGE_PARAMS = ("values", "weights", "scores", "deductions", "targets", "actuals", "kinds", "directions",
                "actual_formats")


def test_one_shim_per_cell_function_with_the_forms_argument_order():
    assert sorted(udfs.__all__) == sorted(cf.FUNCTIONS)
    for name, params in SIGNATURES.items():
        sig = inspect.signature(getattr(udfs, name))
        assert list(sig.parameters) == params, name
        # The shim passes every argument the cell function takes, in its order (BAND's target was
        # missed once); EXEC_RATE's rounding digits are the profile's, not the sheet's.
        internal = {"EXEC_RATE": ["digits"]}.get(name, [])
        assert list(sig.parameters) + internal == list(inspect.signature(getattr(cf, name)).parameters), name
        required = [p for p in sig.parameters.values() if p.default is inspect.Parameter.empty]
        assert len(required) == REQUIRED[name], name
        # No annotations: on Windows xw.func would turn them into converters.
        assert all(p.annotation is inspect.Parameter.empty for p in sig.parameters.values()), name
        assert re.search(r"[\u4e00-\u9fff]", getattr(udfs, name).__doc__), name


def test_every_formula_in_the_template_calls_a_shim_with_a_valid_argument_count():
    pattern = re.compile(r"\b(" + "|".join(cf.FUNCTIONS) + r")\(")
    for kind in FormKind:
        for ref, formula in L.layout_for(kind).formula_cells().items():
            for m in pattern.finditer(formula):
                name = m.group(1)
                # Count top-level arguments of this call.
                depth, args, i = 0, 1, m.end()
                while True:
                    ch = formula[i]
                    if ch == "(":
                        depth += 1
                    elif ch == ")":
                        if depth == 0:
                            break
                        depth -= 1
                    elif ch == "," and depth == 0:
                        args += 1
                    i += 1
                assert REQUIRED[name] <= args <= len(SIGNATURES[name]), (ref, formula)


CASES = [
    ("EXEC_RATE", (1745.81, 1745.81)),
    ("EXEC_RATE", (1745.81, 1241.99)),
    ("EXEC_RATE", (None, None)),
    ("EXEC_RATE", ("abc", 10.0)),
    ("EXEC_RATE", (5.0, 0.0)),
    ("EXEC_SCORE", (95.0, 100.0, 10.0, None)),
    ("EXEC_SCORE", (95.0, 100.0, None, "jiangxi-department")),
    ("EXEC_SCORE", (95.0, 100.0, 10.0, "no-such-profile")),
    ("SCORE", ("达90%以上", 0.95, 2.0, "gansu-department", None, None)),
    ("SCORE", ("≤", 1.0, 2.0, None, None, None)),
    ("SCORE", ("整合组建了4个机构", 1.0, 3.0, None, None, None)),
    ("SCORE", ("≤5%", 0.08, 4.0, None, "定量", "反向")),
    ("SCORE", (None, None, None, None, None, None)),
    ("BAND", (0.85, None)),
    ("BAND", ("85%", "hubei-department")),
    ("BAND", ("很好", None)),
    ("BAND_SCORE", (0.85, 4.0, None)),
    ("BAND_SCORE", ("部分达成预期指标并具有一定效果", 4.0, None)),
    ("CAP", (5.0, 3.0)),
    ("CAP", (-1.0, 3.0)),
    ("WAVG", ([[0.9], [0.8]], [[100.0], [300.0]])),
    ("WAVG", ([[1.0, 2.0]], [[1.0]])),
    ("TOTAL", ([[2.0], [2.0], [None], ["PE301 …"]], [[1.0], [None]], 10.0, None)),
    ("TOTAL", ([[None]], None, None, None)),
    ("GRADE", (91.0, None)),
    ("GRADE", (79.99, "hubei-department")),
    ("GRADE", ("九十", None)),
    ("TARGET", ("达90%以上", None, None)),
    ("TARGET", ("≤", None, None)),
]


@pytest.mark.parametrize("name, args", CASES)
def test_shim_returns_what_the_core_returns(name, args):
    got = getattr(udfs, name)(*args)
    assert got is not None
    assert got == cf.FUNCTIONS[name](*args)
    assert isinstance(got, float | str)


def test_the_seed_indicators_score_the_same_through_the_shims():
    from perfeval.example_data import SEED_INDICATORS

    for *_, target, actual, weight, _score in SEED_INDICATORS:
        args = (target, actual, float(weight), "gansu-department", None, None)
        assert udfs.SCORE(*args) == cf.SCORE(*args)
        assert udfs.TARGET(target) == cf.TARGET(target)


def test_an_unexpected_error_becomes_a_coded_message_not_an_exception(monkeypatch):
    def boom(*args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cf, "SCORE", boom)
    got = udfs.SCORE("≥90%", 0.9, 2.0)
    assert got.startswith("PE999 内部错误：ZeroDivisionError")
    assert len(got) <= 255


def test_none_from_the_core_becomes_blank(monkeypatch):
    monkeypatch.setattr(cf, "CAP", lambda *a: None)
    assert udfs.CAP(1.0, 2.0) == ""


excel_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.integers(-10**9, 10**9).map(float),
    st.text(max_size=12),
    st.sampled_from(["达90%以上", "≤5%", "100%", "95%", "≥", "无", "定性", "反向", "gansu-department", ""]),
)
excel_ranges = st.lists(st.lists(excel_scalars, min_size=1, max_size=3), min_size=1, max_size=4)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_shims_never_raise_and_never_return_none(data):
    for name in udfs.__all__:
        func = getattr(udfs, name)
        params = list(inspect.signature(func).parameters)
        args = [data.draw(excel_ranges if p in RANGE_PARAMS else excel_scalars) for p in params]
        got = func(*args)
        assert got is not None and _showable(got), (name, args, got)
        try:
            expected = cf.FUNCTIONS[name](*args)
        except Exception:  # noqa: BLE001 - the core raised: the shim must have turned it into text
            assert isinstance(got, str) and got.startswith("PE999"), (name, args, got)
        else:
            assert got == expected, (name, args)


def _showable(got: object) -> bool:
    """A cell value, or (an array function) rows of cell values."""
    if isinstance(got, list):
        return all(isinstance(row, list) and all(isinstance(v, float | str) for v in row) for row in got)
    return isinstance(got, float | str)


def test_the_array_shim_returns_rows_of_cell_values():
    got = udfs.SCORE_TABLE([["达90%以上"], ["始终坚持"], [None]], [[0.95], [0.7], [None]], [[2.0], [4.0], [None]])
    assert got == [[2.0, "≥90%", ""], [2.8, "定性", "部分达成预期指标并具有一定效果"], ["", "", ""]]


# --- the manual check list's table (docs/excel-check.md, step 4) ----------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "excel-check.md"


def _split_args(text: str) -> list[str]:
    args, depth, quoted, current = [], 0, False, ""
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "{":
            depth += 1
        elif not quoted and ch == "}":
            depth -= 1
        if ch == "," and depth == 0 and not quoted:
            args.append(current)
            current = ""
        else:
            current += ch
    return args + [current]


def _excel_value(arg: str) -> object:
    """An Excel constant as xlwings hands it over: text, a number, or an array as rows."""
    arg = arg.strip()
    if not arg:  # an omitted argument: (…,,…)
        return None
    if arg.startswith('"'):
        return arg[1:-1]
    if arg.startswith("{"):
        return [[_excel_value(v) for v in row.split(",")] for row in arg[1:-1].split(";")]
    return float(arg)


def _shown(value: object) -> str:
    if isinstance(value, list):  # an array in one cell shows its top-left value
        return _shown(value[0][0])
    if isinstance(value, float):
        return f"{value:.10g}"  # Excel's General format for these magnitudes
    return str(value)


def test_the_manual_check_lists_expected_values_are_what_the_functions_give():
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- udf-examples:start -->", 1)[1].split("<!-- udf-examples:end -->", 1)[0]
    rows = re.findall(r"^\| `=(\w+)\((.*)\)` \| (.*) \|$", table, re.MULTILINE)
    assert len(rows) >= len(udfs.__all__)
    assert {name for name, _, _ in rows} == set(udfs.__all__)
    for name, args, shown in rows:
        got = getattr(udfs, name)(*[_excel_value(a) for a in _split_args(args)])
        assert _shown(got) == shown, (name, args)
