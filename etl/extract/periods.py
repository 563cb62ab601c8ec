"""Which year a printed column or row holds the figures of: the document's, the prior year's
(上年预算数, 2025年), or the change between them (增减变化金额, 比上年增减).

API: :func:`period_of` ``(cell) -> period | None``, :func:`column_periods` ``(columns)``,
:func:`combine` ``(row, column) -> period | None``, :func:`resolve` ``(period, year) -> (year, compared)``.

A period is ``"prior"`` (上年), ``"change"`` (a difference to the prior year), ``"current"``
(本年, 当年) or a printed year (``"2025"``, which is the document's own year or another).
The words are those of :mod:`budgetkg.etl.lexicon`.

>>> [period_of(c) for c in ("上年预算数", "2025年预算数", "当年", "增减变化金额", "上年结转", "合计")]
['prior', '2025', 'current', 'change', None, None]
>>> combine("2025", None), combine(None, "change"), combine("current", None)
('2025', 'change', None)
>>> resolve("prior", "2026"), resolve("2026", "2026"), resolve("change", "2026"), resolve(None, "2026")
(('2025', None), ('2026', None), ('2026', '2025'), ('2026', None))
"""

from __future__ import annotations

from ..lexicon import CHANGE_HEADER_RE, CURRENT_YEAR_HEADER_RE, PRIOR_YEAR_HEADER_RE, YEAR_HEADER_RE
from ..text import match_key
from .records import ColumnRec

PRIOR, CHANGE, CURRENT = "prior", "change", "current"


def period_of(cell: str) -> str | None:
    """The period a whole header cell or row label names, else None."""
    key = match_key(cell)
    if CHANGE_HEADER_RE.match(key):
        return CHANGE
    if PRIOR_YEAR_HEADER_RE.match(key):
        return PRIOR
    if m := YEAR_HEADER_RE.match(key):
        return m["year"]
    if CURRENT_YEAR_HEADER_RE.match(key):
        return CURRENT
    return None


def column_periods(cols: list[ColumnRec]) -> None:
    """Each amount column's period: named in its header path, else the one of the columns before it on its side.

    A period heads a block of columns (上年 | 当年 | 增减变化情况 over the same categories each); the header
    reader may give the spanning cell to the block's first column only, so the columns after it that name no
    period of their own are in the same block.
    """
    block, side = None, object()
    for col in cols:
        if col.side != side:
            block, side = None, col.side
        named = [p for p in map(period_of, col.path) if p]
        if named:
            block = CHANGE if CHANGE in named else named[0]
        if col.role in ("amount", "quantity"):
            col.period = block


def combine(row: str | None, column: str | None) -> str | None:
    """The period of a cell: a change if its row or column is one, else a year its row or column names."""
    if CHANGE in (row, column):
        return CHANGE
    return next((p for p in (row, column) if p not in (None, CURRENT)), None)


def resolve(period: str | None, year: str) -> tuple[str, str | None]:
    """(the fiscal year of the figure, the year a change compares with) in a document of ``year``."""
    prior = str(int(year) - 1)
    if period == PRIOR:
        return prior, None
    if period == CHANGE:
        return year, prior
    if period and period.isdigit():
        return period, None
    return year, None
