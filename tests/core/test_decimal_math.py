from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from perfeval.core.decimal_math import excel_round, fmt_decimal, fmt_percent, to_decimal

D = Decimal


def test_round_is_half_away_from_zero_like_excel_not_bankers():
    assert excel_round(D("2.675"), 2) == D("2.68")  # round(2.675, 2) == 2.67 in Python
    assert excel_round(D("-2.5"), 0) == D("-3")
    assert excel_round(D("0.125"), 2) == D("0.13")
    assert excel_round(D("1234.5"), -1) == D("1230")
    assert excel_round(D("1235"), -1) == D("1240")


def test_floats_become_the_digits_excel_shows_not_their_binary_value():
    assert to_decimal(2.675) == D("2.675")
    assert excel_round(to_decimal(1.005), 2) == D("1.01")
    assert to_decimal(0.1 + 0.2) == D("0.30000000000000004")


def test_text_numbers_and_junk():
    assert to_decimal(" 1,241.99 ") == D("1241.99")
    assert to_decimal("１２") == D("12")
    assert to_decimal("abc") is None
    assert to_decimal(True) is None
    assert to_decimal(float("nan")) is None


@given(st.integers(min_value=-10**9, max_value=10**9), st.integers(min_value=0, max_value=4))
def test_round_matches_excels_definition_on_generated_halves(n, digits):
    # n / 10**(digits+1) ending in 5 is the case binary floats get wrong; Excel rounds away from 0.
    value = D(n) / D(10) ** (digits + 1)
    got = excel_round(value, digits)
    scaled = abs(value) * D(10) ** digits
    whole = int(scaled)
    frac = scaled - whole
    expected_abs = whole + (1 if frac >= D("0.5") else 0)
    expected = D(expected_abs) / D(10) ** digits * (1 if value >= 0 else -1)
    assert got == expected


def test_display_helpers():
    assert fmt_decimal(D("98.00")) == "98"
    assert fmt_decimal(D("3.80")) == "3.8"
    assert fmt_percent(D("0.9567")) == "95.67%"
    assert fmt_percent(D("1")) == "100%"


@settings(max_examples=10_000, deadline=None)
@given(st.integers(min_value=-10**7, max_value=10**7), st.integers(min_value=1, max_value=3))
def test_round_agrees_with_excel_on_10000_float_halves_where_binary_goes_wrong(n, digits):
    # A value ending in 5 at the digit after `digits`, typed into Excel, arrives here as a float
    # (2.675 is 2.67499999… in binary). Excel rounds what it displays, half away from zero, so
    # "n5" at that position always rounds the magnitude of n up by one: an oracle in integers.
    typed = float(f"{n}5e-{digits + 1}")
    sign = -1 if n < 0 else 1
    expected = D(sign * (abs(n) + 1)).scaleb(-digits)
    assert excel_round(to_decimal(typed), digits) == expected


def _reference_round(value: Decimal, digits: int) -> Decimal:
    """Half away from zero by integer arithmetic on the exact decimal value."""
    sign, coefficient, exponent = value.as_tuple()
    n = int("".join(map(str, coefficient)) or "0")
    shift = exponent + digits  # value * 10**digits == n * 10**shift
    if shift >= 0:
        q = n * 10 ** shift
    else:
        q, r = divmod(n, 10 ** -shift)
        if 2 * r >= 10 ** -shift:
            q += 1
    return (-1 if sign else 1) * Decimal(q).scaleb(-digits)


def test_negative_digits_round_once_even_above_28_significant_digits():
    assert excel_round(D("24.99999999999999999999999999999"), -1) == D("20")
    assert excel_round(D("-25"), -1) == D("-30")


@given(st.integers(min_value=-10**40, max_value=10**40), st.integers(min_value=-35, max_value=0),
       st.integers(min_value=-6, max_value=4))
def test_round_agrees_with_exact_integer_rounding_at_any_precision(n, exponent, digits):
    value = D(n).scaleb(exponent)
    assert excel_round(value, digits) == _reference_round(value, digits)


def test_numbers_beyond_what_excel_can_hold_are_not_numbers():
    assert to_decimal("1e1000000") is None
    assert to_decimal(D("1e400")) is None
    assert to_decimal(1.7976931348623157e308) == D("1.7976931348623157E+308")  # the largest double
