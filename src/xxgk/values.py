"""Reading one table cell's text as a value: counts, signed changes, amounts.

Pure functions over the cell's normalised text; the caller keeps the raw text and the
span. What was repaired (``?0``, full-width digits, a leading ideographic space) or why
there is no value (``/``, ``-``, ``无``, empty) is returned, never hidden: the table stage
turns it into a diagnostic.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Literal

import attrs

__all__ = ["ValueKind", "ValueReading", "kind_of_column", "read_value"]

ValueKind = Literal["count", "signed", "amount"]

# Thousands separators only in groups of three ("1,234"): "1,2" is two numbers, not 12.
_NUMBER = re.compile(
    r"(?P<sign>[+\-增减])?(?P<digits>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?P<unit>万元|亿元|元)?"
)
_NULL_MARKS = frozenset({"/", "-", "—", "——", "–", "无", "--"})
# Noise around a number; white space inside one ("1 2") is not noise but two numbers.
_NOISE = re.compile(r"[?？]+")


@attrs.frozen
class ValueReading:
    """The outcome of reading a cell: ``value`` (``None`` when there is none), the
    ``unit`` printed with an amount, ``repaired`` (why the text was not a clean number
    but a value was read all the same), ``missing`` (why there is no value) and
    ``invalid`` (text that is not a value of this kind)."""

    value: int | Decimal | None
    unit: str | None = None
    repaired: str | None = None
    missing: str | None = None
    invalid: str | None = None


def kind_of_column(column: str) -> ValueKind:
    """The kind of value a canonical column holds."""
    if column == "change":
        return "signed"
    if column == "amount":
        return "amount"
    return "count"


@functools.lru_cache(maxsize=4096)
def read_value(text: str, kind: ValueKind) -> ValueReading:
    """Read ``text`` (a cell's normalised text) as a value of ``kind``."""
    if "\n" in text:  # a cell printed over several lines: messages stay on one line
        return read_value(" ".join(part.strip() for part in text.split("\n")), kind)
    stripped = text.strip()
    if not stripped:
        return ValueReading(None, missing="empty cell")
    cleaned = _NOISE.sub("", stripped).strip()
    repaired = "stray '?' around the number" if "?" in stripped or "？" in stripped else None
    if cleaned in _NULL_MARKS:
        return ValueReading(None, missing=f"'{stripped}' printed instead of a number")
    match = _NUMBER.fullmatch(cleaned)
    if match is None:
        return ValueReading(None, invalid=f"'{stripped}' is not a number")
    sign, digits, unit = match.group("sign"), match.group("digits"), match.group("unit")
    digits = digits.replace(",", "")
    if kind == "amount":
        if sign in ("-", "减"):
            return ValueReading(None, invalid=f"'{stripped}' is a negative amount")
        try:
            amount = Decimal(digits)
        except InvalidOperation:  # pragma: no cover - the regex admits only decimals
            return ValueReading(None, invalid=f"'{stripped}' is not an amount")
        return ValueReading(amount, unit=unit, repaired=repaired)
    if "." in digits or unit is not None:
        return ValueReading(None, invalid=f"'{stripped}' is not a whole number")
    number = int(digits)
    if kind == "signed":
        return ValueReading(-number if sign in ("-", "减") else number, repaired=repaired)
    if sign in ("-", "减"):
        return ValueReading(None, invalid=f"'{stripped}' is negative; a count cannot be")
    if sign is not None:
        repaired = repaired or f"sign '{sign}' on a count"
    return ValueReading(number, repaired=repaired)
