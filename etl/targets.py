"""Parse a printed performance target (指标值) into what it states.

API: :func:`parse_target` ``(text, year=None) -> Target``; :class:`Target`;
:data:`KINDS`.

A target is kept as printed and also read as a careful reader would: a
comparison with a number and a unit (``≥95 %``), a deadline (``2022 年底``,
``6 月底前``: relative dates fall in the fiscal ``year``), a qualitative
statement (``好于去年``) or not applicable (``不涉及``). Anything else is
``unparsed``, with the reason, and the caller reports it; the printed text is
never dropped. Numbers stay :class:`~decimal.Decimal` as printed.

>>> t = parse_target("≥95 %")
>>> (t.kind, t.comparator, t.value, t.unit)
('quantitative', '≥', Decimal('95'), '%')
>>> parse_target("≤1500 人/天").unit
'人/天'
>>> parse_target("≤18000元/人*月").unit
'元/人*月'
>>> parse_target("100 %").comparator
'='
>>> parse_target("2022 年底").deadline
datetime.date(2022, 12, 31)
>>> parse_target("6 月底前", year="2022").deadline
datetime.date(2022, 6, 30)
>>> parse_target("2026年5月至6月").deadline, parse_target("次年2月份前", year="2024").deadline
(datetime.date(2026, 6, 30), datetime.date(2025, 2, 28))
>>> parse_target("好于去年").kind, parse_target("不涉及").kind
('qualitative', 'not-applicable')
>>> parse_target("好于2021年").kind
'unparsed'
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .lexicon import (
    CN_COUNT_RE,
    CN_DIGITS,
    CN_NUMERAL_CHARS,
    CN_SCALES,
    COMPARISON_PREFIX_WORDS,
    COMPARISON_SUFFIX_WORDS,
    DEADLINE_PATTERNS,
    FIRST_HALF,
    ORDINAL_IN_BRACKETS,
    TARGET_NOT_APPLICABLE,
)
from .text import INVISIBLE

KINDS = ("quantitative", "deadline", "qualitative", "not-applicable", "unparsed")

# Printed comparison signs (after NFKC) and the sign they stand for.
_SIGNS = {
    ">=": "≥", "≥": "≥", "≧": "≥", "⩾": "≥", "=>": "≥",
    "<=": "≤", "≤": "≤", "≦": "≤", "⩽": "≤", "=<": "≤",
    ">": ">", "<": "<", "=": "=", "==": "=",
}
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_QUANTITY = re.compile(rf"^(?P<sign>[<>=≥≤≧≦⩾⩽]{{1,2}})?(?P<num>[+-]?{_NUMBER})(?P<unit>[^\d]*)$")
# A unit per a product of two (元/人*月: per person-month) joins them with * or ·.
_UNIT = re.compile(r"^(?:[%‰℃°]|[A-Za-z²³]{1,6}|[^\x00-\x7f\s\d%‰]{1,4}(?:/[^\x00-\x7f\s\d]{1,3}(?:[*·][^\x00-\x7f\s\d]{1,3})?)?"
                   r"|[^\x00-\x7f\s\d]{1,3}/[A-Za-z]{1,3})$")
_NAME_UNIT = re.compile(r"\((?P<unit>[^()]{1,8})\)$")
# Units per two quantities (元/户/月) printed in an indicator name.
_COMPOUND_UNIT = re.compile(r"^[^\x00-\x7f\s\d]{1,3}(?:/[^\x00-\x7f\s\d]{1,3}){1,2}$")


@dataclass(frozen=True)
class Target:
    text: str  # as printed
    kind: str  # one of KINDS
    comparator: str | None = None  # ≥ ≤ = > <
    value: Decimal | None = None
    printed_value: str | None = None  # the number as printed, for an xsd:decimal literal
    unit: str | None = None
    deadline: date | None = None
    reason: str | None = None  # why a target is unparsed


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text.translate(INVISIBLE))
    return re.sub(r"\s+", "", text)


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(printed: str | None, fiscal: str | int | None) -> int | None:
    if printed:
        return int(printed)
    return int(fiscal) if fiscal is not None and str(fiscal).isdigit() else None


def _deadline(key: str, fiscal: str | int | None) -> date | None | str:
    """The date a deadline target names; a reason string when it needs a year it lacks."""
    for pattern, kind in DEADLINE_PATTERNS:
        m = pattern.match(key)
        if not m:
            continue
        y = _year(m.groupdict().get("y"), fiscal)
        if y is None:
            return "a relative deadline and no fiscal year"
        if m.groupdict().get("next"):
            y += 1
        try:
            if kind == "year":
                return date(y, 12, 31)
            if kind == "month":
                return _last_day(y, int(m["m"]))
            if kind == "day":
                return date(y, int(m["m"]), int(m["d"]))
            if kind == "half":
                return date(y, 6, 30) if m["h"] == FIRST_HALF else date(y, 12, 31)
            q = CN_DIGITS.get(m["q"]) or int(m["q"])
            return _last_day(y, 3 * q)
        except ValueError:
            return "not a calendar date"
    return None


def _chinese_number(text: str) -> int | None:
    """Small Chinese numerals (一 .. 九百九十九)."""
    total, digit = 0, None
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None:
                return None
            digit = CN_DIGITS[ch]
        elif ch in CN_SCALES:
            scale = CN_SCALES[ch]
            total += (1 if digit is None else digit) * scale
            digit = None
        else:
            return None
    return total + (digit or 0)


def _quantity(key: str) -> Target | None:
    comparator = None
    for word in sorted(COMPARISON_PREFIX_WORDS, key=len, reverse=True):
        if key.startswith(word) and len(key) > len(word) and (key[len(word)].isdigit() or key[len(word)] in CN_NUMERAL_CHARS):
            comparator, key = COMPARISON_PREFIX_WORDS[word], key[len(word):]
            break
    suffix = None
    for word in sorted(COMPARISON_SUFFIX_WORDS, key=len, reverse=True):
        if key.endswith(word):
            suffix, key = COMPARISON_SUFFIX_WORDS[word], key[: -len(word)]
            break
    m = _QUANTITY.match(key)
    if m:
        sign = m["sign"]
        if sign:
            if sign not in _SIGNS or comparator:
                return None
            comparator = _SIGNS[sign]
        printed, unit = m["num"].replace(",", ""), m["unit"]
    else:
        m = CN_COUNT_RE.match(key)
        if not m or (n := _chinese_number(m["num"])) is None:
            return None
        printed, unit = str(n), m["unit"]
    if unit and not _UNIT.match(unit):
        return None
    if suffix and comparator and suffix != comparator:
        return None
    comparator = comparator or suffix or "="
    return Target("", "quantitative", comparator, Decimal(printed), printed, unit or None)


def is_comparator(text: str) -> bool:
    """Whether a printed cell is a comparison sign or word (``≥``, ``＝``, ``不低于``).

    >>> is_comparator("＝"), is_comparator("不低于"), is_comparator("定性")
    (True, True, False)
    """
    key = _normal(text)
    return key in _SIGNS or key in COMPARISON_PREFIX_WORDS or key in COMPARISON_SUFFIX_WORDS


def unit_of_name(name: str) -> str | None:
    """The unit an indicator name ends with in brackets (``内审报告（篇）`` -> ``篇``), if it reads as one.

    >>> unit_of_name("采购设备合格率（%）"), unit_of_name("人均成本（元/人/天）"), unit_of_name("活动（一）")
    ('%', '元/人/天', None)
    """
    m = _NAME_UNIT.search(_normal(name))
    if not m or any(ch in ORDINAL_IN_BRACKETS for ch in m["unit"]):
        return None
    return m["unit"] if _UNIT.match(m["unit"]) or _COMPOUND_UNIT.match(m["unit"]) else None


def parse_target(text: str, year: str | int | None = None) -> Target:
    """Read a printed target; ``year`` is the fiscal year that relative deadlines fall in."""
    key = _normal(text)
    if not key:
        return Target(text, "unparsed", reason="no target printed")
    if key.lower() in TARGET_NOT_APPLICABLE:
        return Target(text, "not-applicable")
    deadline = _deadline(key, year)
    if isinstance(deadline, date):
        return Target(text, "deadline", deadline=deadline)
    if isinstance(deadline, str):
        return Target(text, "unparsed", reason=deadline)
    q = _quantity(key)
    if q is not None:
        return Target(text, q.kind, q.comparator, q.value, q.printed_value, q.unit)
    if not any(ch.isdigit() for ch in key) and any(not ch.isascii() for ch in key):
        return Target(text, "qualitative")
    return Target(text, "unparsed", reason="neither a number with a unit, a deadline nor a statement without figures")
