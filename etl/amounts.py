"""Printed amounts to exact decimals.

API: :func:`parse_amount` ``(text) -> Amount | None``; :func:`looks_numeric`;
:func:`unit_multiplier` ``(unit) -> int``; :class:`Amount`.

An amount keeps its printed precision: ``440.00`` is ``Decimal('440.00')`` with
2 decimals, ``8`` has 0. Full-width digits, thousands separators and invisible
characters are read as a careful reader would; an empty or dash-only cell is
no amount (``None``), never zero.

>>> parse_amount("１,２３４.５６")
Amount(value=Decimal('1234.56'), decimals=2)
>>> parse_amount("") is None, parse_amount("—") is None
(True, True)
>>> parse_amount("（12.50）").value
Decimal('-12.50')
>>> parse_amount("12a")
Traceback (most recent call last):
ValueError: not an amount: '12a'
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .lexicon import NOT_APPLICABLE, NUMBER_RE, UNITS
from .text import INVISIBLE, clean_cell


@dataclass(frozen=True)
class Amount:
    value: Decimal
    decimals: int

    def printed(self) -> str:
        """The amount as printed (without thousands separators)."""
        return f"{self.value:.{self.decimals}f}"


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", clean_cell(text.translate(INVISIBLE)))
    return text.replace(" ", "").replace("，", ",")


def parse_amount(text: str) -> Amount | None:
    """Parse a printed amount.

    :raises ValueError: when the cell holds something that is not an amount.
    """
    text = _normal(text)
    if text in NOT_APPLICABLE:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        text, negative = text[1:-1], True
    m = NUMBER_RE.match(text)
    if not m:
        raise ValueError(f"not an amount: {text!r}")
    sign, whole, frac = m.groups()
    value = Decimal(f"{sign}{whole.replace(',', '')}.{frac}" if frac else f"{sign}{whole.replace(',', '')}")
    if negative:
        value = -value
    return Amount(value, len(frac) if frac else 0)


def looks_numeric(text: str) -> bool:
    try:
        return parse_amount(text) is not None
    except ValueError:
        return False


def unit_multiplier(unit: str) -> int:
    """Power of ten of a printed unit (``万元`` -> 4).

    :raises ValueError: for a unit that is not a currency unit.
    """
    key = _normal(unit).strip("()（）")
    if key in UNITS:
        return UNITS[key]
    raise ValueError(f"unknown amount unit: {unit!r}")
