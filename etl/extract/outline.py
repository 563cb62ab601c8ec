"""The outline of a table's row labels: the line each line is printed under.

API: :func:`label_indents` ``(rows, columns) -> {(row index, side): indent}``, :func:`printed_parent`
``(items, indents, index, side) -> LineRec | None``, :func:`fits_outline`; :func:`outline_parents`
``(items, is_total) -> None``.

By indent: a 支出总表 may print its functional classes as names only, each level indented further (一般公共服务支出 |
　社会工作事务 | 　　其他社会工作事务支出); a name several 项 share (行政运行, 一般行政管理事务) is then the one
under the name its row is indented below, and a name the code list has under another 款 is not that one; a name
the code lists do not know (社会工作事务) is a part of that line (``bkg:parentLine``).

By numbering (:func:`outline_parents` sets :attr:`LineRec.parent`, published as ``bkg:parentLine``): the lines the
outline numbering (:data:`~budgetkg.etl.lexicon.OUTLINE_LEVELS`) or a 其中 makes parts of another line of their side.
The code hierarchy (a 款 under its 类) is the code lists' to say, not this.

- A line numbered at a lower level is a part of the nearest line above it numbered at a higher level
  (一、部门预算 | 1、财政拨款 | (1)一般公共预算拨款 | 2、上级补助收入: 1、 and 2、 under 一、, (1) under 1、).
- A numbering that starts (一、, 1、 ...) right under an unnumbered line breaks that line down
  (上年结余、结转 | 1.财政拨款结余、结转 | 2.非财政拨款结余、结转); a total line (本年收入合计) breaks nothing
  down, and a numbering that does not start there (二、教育支出 below 利息费用补贴支出) is not under it.
- 其中：X is a part of the line above it (its nearest line that is not itself a 其中).
"""

from __future__ import annotations

from collections.abc import Callable

from ..codelists import LEVELLED, TOTAL, CodeLists  # LEVELLED: the outline must agree with their codes
from ..lexicon import OF_WHICH_MARKS, OUTLINE_LEVELS
from ..model import Row
from .records import ColumnRec, LineRec

# Points: a deeper level starts further right than this (a level is indented by a character, 9 to 12 pt);
# smaller differences are the cell padding of one level.
STEP = 2.0


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


def _numbered(label: str) -> tuple[int, bool] | None:
    """(level, whether the ordinal is the first of its level) of a numbered label; None if it is not numbered."""
    for level, (pattern, first) in enumerate(OUTLINE_LEVELS, start=1):
        if m := pattern.match(label):
            return level, m.group(1) == first
    return None


def outline_parents(items: list[LineRec], is_total: Callable[[str], bool]) -> None:
    """Set ``parent`` (the row index of the line it is a part of, on its side) of the lines the outline makes parts;
    ``is_total`` tells a total line (本年收入合计) by its label.

    >>> from budgetkg.etl.extract.records import LineRec
    >>> rows = ["一、部门预算", "1、财政拨款", "(1)一般公共预算拨款", "其中：专项资金", "(2)政府性基金拨款", "2、上级补助收入",
    ...         "本年收入合计", "上年结余、结转", "1.财政拨款结余、结转", "2.非财政拨款结余、结转", "收入总计"]
    >>> items = [LineRec(i, i, 1, "in", None, None, label) for i, label in enumerate(rows, start=1)]
    >>> outline_parents(items, lambda label: label.endswith("合计"))
    >>> [(it.label, items[it.parent - 1].label) for it in items if it.parent]  # doctest: +NORMALIZE_WHITESPACE
    [('1、财政拨款', '一、部门预算'), ('(1)一般公共预算拨款', '1、财政拨款'), ('其中：专项资金', '(1)一般公共预算拨款'),
     ('(2)政府性基金拨款', '1、财政拨款'), ('2、上级补助收入', '一、部门预算'),
     ('1.财政拨款结余、结转', '上年结余、结转'), ('2.非财政拨款结余、结转', '上年结余、结转')]
    >>> items = [LineRec(i, i, 1, "out", None, None, label)
    ...          for i, label in enumerate(["一、一般公共服务支出", "财政事务", "行政运行", "二、教育支出"], start=1)]
    >>> outline_parents(items, lambda label: label.endswith("合计"))
    >>> [it.parent for it in items]
    [None, None, None, None]
    """
    stacks: dict = {}  # side -> [[level, line, level of the numbering it breaks down (0: a line not numbered)]]
    plain: dict = {}  # side -> the last line that is not a 其中
    for item in items:
        label = item.label.strip()
        stack = stacks.setdefault(item.side, [])
        if label.startswith(OF_WHICH_MARKS):
            if (above := plain.get(item.side)) is not None:
                item.parent = above.index
            continue
        above, plain[item.side] = plain.get(item.side), item
        numbered = _numbered(label)
        if numbered is None:
            # a line not numbered starts an outline of its own (it may be broken down), a total line none
            stacks[item.side] = [] if not label or is_total(label) else [[0, item, None]]
            continue
        level, first = numbered
        while stack and stack[-1][0] >= level and stack[-1][0] > 0:
            stack.pop()
        if stack and stack[-1][0] == 0:
            top = stack[-1]
            if top[2] is None and first and top[1] is above:
                top[2] = level  # the numbering starting right under it breaks it down
            if top[2] == level:
                item.parent = top[1].index
            elif top[2] is None or level < top[2]:
                stack.clear()  # a numbering of its own: not under the line above
        elif stack:
            item.parent = stack[-1][1].index
        stack.append([level, item, None])

