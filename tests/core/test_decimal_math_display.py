"""How numbers read in messages: plain, except where Excel itself would not show the digits."""

from decimal import Decimal as D

from perfeval.core.decimal_math import fmt_decimal


def test_a_huge_typed_number_reads_in_a_message_as_excel_shows_it_not_as_hundreds_of_digits():
    assert fmt_decimal(D("-1e308")) == "-1E+308"
    assert fmt_decimal(D("123456789012345678")) == "1.234568E+17"


def test_ordinary_amounts_and_scores_stay_plain():
    assert [fmt_decimal(D(x)) for x in ("1745.81", "98", "3.80", "999999999999999", "-0")] == \
        ["1745.81", "98", "3.8", "999999999999999", "0"]
