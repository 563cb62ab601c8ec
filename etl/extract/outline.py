"""The outline of a tree of names printed without codes: the parent of each name by its indent.

API: :func:`label_indents` ``(rows, columns) -> {(row index, side): indent}``, :func:`printed_parent`
``(items, indents, index, side) -> LineRec | None``, :func:`fits_outline`.

A 支出总表 may print its functional classes as names only, each level indented further (一般公共服务支出 |
　社会工作事务 | 　　其他社会工作事务支出); a name several 项 share (行政运行, 一般行政管理事务) is then the one
under the name its row is indented below, and a name the code list has under another 款 is not that one.
"""

from __future__ import annotations

from ..codelists import TOTAL, CodeLists
from ..model import Row
from .records import ColumnRec, LineRec

# Points: a deeper level starts further right than this (a level is indented by a character, 9 to 12 pt);
# smaller differences are the cell padding of one level.
STEP = 2.0
# Schemes whose concepts nest by their code (类 > 款 > 项): the outline must agree with them.
LEVELLED = ("functional", "economic")


def label_indents(rows: list[Row], columns: list[ColumnRec]) -> dict[tuple[int, str | None], float]:
    """The indent of each row's label, by (row index from 1, side), where the side's label column prints
    names at two levels at least; empty for a table without measured indents (text, unruled) or one level.

    >>> col = ColumnRec(1, "科目名称", ["科目名称"], None, "label")
    >>> rows = [Row(["一般公共服务支出", "1"], 1, indents=(5.4, 30.0)), Row(["社会工作事务", "1"], 2, indents=(15.4, 30.0))]
    >>> label_indents(rows, [col])
    {(1, None): 5.4, (2, None): 15.4}
    >>> label_indents(rows[:1], [col])
    {}
    """
    found: dict[tuple[int, str | None], float] = {}
    for col in columns:
        if col.role != "label":
            continue
        for index, row in enumerate(rows, start=1):
            indent = row.indents[col.index - 1] if row.indents and col.index <= len(row.indents) else None
            if indent is not None and row.cells[col.index - 1]:
                found.setdefault((index, col.side), indent)
    by_side: dict[str | None, list[float]] = {}
    for (_, side), indent in found.items():
        by_side.setdefault(side, []).append(indent)
    flat = {side for side, indents in by_side.items() if max(indents) - min(indents) <= STEP}
    return {key: indent for key, indent in found.items() if key[1] not in flat}


def printed_parent(items: list[LineRec], indents: dict[tuple[int, str | None], float], index: int,
                   side: str | None) -> LineRec | None:
    """The nearest line above (``index``, ``side``) whose label is indented less: its parent; None at the top."""
    mine = indents[(index, side)]
    for item in reversed(items):
        theirs = indents.get((item.index, side)) if item.side == side else None
        if theirs is not None and theirs < mine - STEP:
            return item
    return None


def fits_outline(lists: CodeLists, scheme: str, iri: str, key: str, parent: LineRec | None) -> bool:
    """Whether the concept ``iri`` matched by the name ``key`` can be the line under ``parent``: below the
    parent's concept of the same scheme (a total parent: anything); under a parent the code list does not
    know, only a name no other concept shares (行政运行 under an unknown 款 is no 行政运行 known elsewhere)."""
    if scheme not in LEVELLED or parent is None:
        return True
    if parent.classification and parent.scheme == scheme:
        if parent.classification.endswith(f"/{TOTAL}"):
            return True
        return iri != parent.classification and parent.classification in lists.lineage(iri)
    if parent.classification:  # a line of another list above it (a fund or summary line): no level to agree with
        return True
    return key not in lists.shared.get(scheme, {})
