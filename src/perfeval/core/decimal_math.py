"""Exact arithmetic the way Excel shows it.

Excel's ROUND rounds half away from zero on the decimal value the user sees; Python's round()
rounds half to even on the binary float, so round(2.675, 2) == 2.67 where Excel shows 2.68.
Everything here works on Decimal, and floats coming from openpyxl/xlwings are converted through
their shortest repr (the digits Excel displays), never through their exact binary value.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

__all__ = [
    "to_decimal", "excel_round", "parse_number_text", "clamp", "fmt_decimal", "fmt_percent",
]

_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def to_decimal(value: object) -> Decimal | None:
    """A number as Excel shows it, or None when the value is not a plain number.

    bool is refused on purpose: TRUE in a money cell is a typing error, not 1.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if _in_excel_range(value) else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        # repr gives the shortest string that round-trips: the digits Excel itself displays.
        return Decimal(repr(value))
    if isinstance(value, str):
        return parse_number_text(value)
    return None


def parse_number_text(text: str) -> Decimal | None:
    """'1,241.99', '１２４１.９９', ' 95 ' -> Decimal; anything else -> None (no units, no %)."""
    s = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    if not s or not _NUMBER_TEXT.match(s):
        return None
    try:
        d = Decimal(s)
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        return None
    return d if _in_excel_range(d) else None


# Excel holds doubles: nothing at or above 1e308 is a number it could show. Text such as
# "1e1000000" is refused here rather than overflowing the first sum that meets it.
_EXCEL_MAX_ADJUSTED = 308


def _in_excel_range(d: Decimal) -> bool:
    return d.is_finite() and (not d or d.adjusted() <= _EXCEL_MAX_ADJUSTED)


def excel_round(value: Decimal, digits: int = 2) -> Decimal:
    """Excel's ROUND(value, digits): half away from zero; digits may be negative.

    The context's precision is widened to the value's size: quantize would otherwise raise for
    a number of more than 28 digits (a budget typed as 1e30 must give a finding, not a crash).
    One quantize for negative digits too (to a quantum like 1E+1): dividing first would round
    the quotient to the context's precision, and a second rounding can carry (24.999…9 with 31
    digits would become 30 instead of 20).
    """
    quantum = Decimal(1).scaleb(-digits)
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + max(digits, 0) + 3)
        return value.quantize(quantum, rounding=ROUND_HALF_UP)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


def fmt_decimal(value: Decimal | None, digits: int | None = None) -> str:
    """Plain text for messages: no exponent, no trailing zeros ('98', '3.8', '0.5')."""
    if value is None:
        return "（空）"
    if digits is not None:
        value = excel_round(value, digits)
    if value.is_finite() and value and value.adjusted() >= 15:
        # Beyond Excel's 15 digits a typed number is noise; 309 zeros in a message help no one.
        mantissa, _, exponent = f"{value:.6E}".partition("E")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}E{exponent}"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_percent(value: Decimal | None, digits: int = 2) -> str:
    """0.9567 -> '95.67%'; trailing zeros dropped (1 -> '100%')."""
    if value is None:
        return "（空）"
    return fmt_decimal(value * 100, digits) + "%"
