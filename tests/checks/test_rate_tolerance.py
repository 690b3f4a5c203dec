"""PE101's tolerance: a stated 执行率 may be the recomputed one shown rounded, to the digits typed."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from perfeval.checks.budget import RATE_TOLERANCE, rate_tolerance

rates = st.integers(min_value=0, max_value=20000).map(lambda n: Decimal(n).scaleb(-4))  # 0.0000 … 2.0000


def shown(rate: Decimal, percent_decimals: int) -> Decimal:
    """The rate as a cell shows it with 0, 1 or 2 decimals of a percent, read back as a fraction."""
    return rate.quantize(Decimal(1).scaleb(-2 - percent_decimals), rounding=ROUND_HALF_UP)


@given(rates, st.integers(min_value=0, max_value=2))
def test_a_rate_shown_rounded_to_any_number_of_digits_is_the_same_rate(rate, digits):
    stated = shown(rate, digits)
    assert abs(stated - rate) <= rate_tolerance(stated)


@given(rates)
def test_a_rate_typed_to_two_decimals_of_a_percent_that_is_one_unit_off_is_another_rate(rate):
    off = rate + Decimal("0.0001")  # 86.18% typed as 86.19%
    assume(off.normalize().as_tuple().exponent == -4)  # 86.20% reads as 86.2%: one decimal typed
    assert abs(off - rate) > rate_tolerance(off)


def test_the_tolerance_never_exceeds_half_a_point_and_a_full_precision_result_is_not_an_error():
    assert rate_tolerance(Decimal("0.9")) == RATE_TOLERANCE  # "90%": half a point, not five
    assert rate_tolerance(Decimal("1")) == RATE_TOLERANCE
    # A formula's unrounded result (0.86183…) against the recomputed 0.8618 is the same rate.
    assert abs(Decimal("0.861830000000001") - Decimal("0.8618")) <= rate_tolerance(Decimal("0.861830000000001"))
