"""A contents page that lists the document's tables (报表目录: 表1 | 部门综合预算收支总表 | 是否空表 | 理由): not a table
of facts, but the document's own list of the tables it prints, checked against the tables read.

API: :func:`lists_tables` ``(table) -> bool``; :func:`listed` ``(table) -> list[str]``;
:func:`contents_reason` ``(table, titles) -> str``.

>>> from budgetkg.etl.model import Row, Table
>>> toc = Table(title="", line=1, header=[["报表", "报表名称", "是否空表"], ["公开01表", "部门收支总表", ""],
...             ["表2", "部门政府性基金收支表（按功能分类）", "是"]])
>>> lists_tables(toc), listed(toc)
(True, ['公开01表 部门收支总表', '表2 部门政府性基金收支表（按功能分类）'])
>>> contents_reason(toc, ["部门收支总表"])
'a contents page listing 2 tables (no facts); listed but not among the tables read: 表2 部门政府性基金收支表（按功能分类）'
>>> lists_tables(Table(title="", line=1, header=[["项目", "金额"]], rows=[Row(["收入总表", "12.50"], 2)]))
False
"""

from __future__ import annotations

from .lexicon import AMOUNT_RE, TABLE_NUMBER_RE, TABLE_WORD, TITLE_QUALIFIER_RE, YEAR_WORD_RE
from .model import Table
from .text import match_key

# The shortest name of a table (收支总表): 报表 or 附表 in a header cell is a column's name, not a table's.
_SHORTEST_NAME = 4
# A row number (序号 1, 2 ...) is no amount; an amount prints more digits or decimals.
_ROW_NUMBER_DIGITS = 3


def _key(title: str) -> str:
    """A table's title compared without its number, year and bracketed qualifier."""
    key = match_key(TABLE_NUMBER_RE.sub("", match_key(title)))
    return YEAR_WORD_RE.sub("", TITLE_QUALIFIER_RE.sub("", key))


def _names_a_table(cell: str) -> bool:
    key = TITLE_QUALIFIER_RE.sub("", match_key(cell))
    return len(key) >= _SHORTEST_NAME and key.endswith(TABLE_WORD) and not TABLE_NUMBER_RE.fullmatch(key)


def _rows(table: Table) -> list[list[str]]:
    return [r for r in table.header if any(r)] + [r.cells for r in table.rows]


def _name_column(rows: list[list[str]]) -> int | None:
    """The column naming a table in most rows (报表名称), or None."""
    width = max(map(len, rows), default=0)
    counts = [sum(i < len(r) and _names_a_table(r[i]) for r in rows) for i in range(width)]
    best = max(range(width), key=counts.__getitem__, default=None)
    return best if best is not None and counts[best] * 2 > len(rows) else None


def lists_tables(table: Table) -> bool:
    """Whether a column of ``table`` names a table in most rows and no cell prints an amount: a list of tables."""
    rows = _rows(table)
    if any(AMOUNT_RE.match(c.strip()) and len(c.strip()) > _ROW_NUMBER_DIGITS for r in rows for c in r):
        return False
    return _name_column(rows) is not None


def listed(table: Table) -> list[str]:
    """The tables ``table`` lists, each with its number where a cell before it prints one (表1 部门收支总表)."""
    rows = _rows(table)
    at = _name_column(rows)
    out = []
    for row in rows if at is not None else ():
        if at < len(row) and _names_a_table(row[at]):
            number = next((match_key(c) for c in row[:at] if TABLE_NUMBER_RE.fullmatch(match_key(c))), "")
            out.append(f"{number} {row[at].strip()}".strip())
    return out


def contents_reason(table: Table, titles: list[str]) -> str:
    """What the summary says of a contents page (at its location): what it lists and what of it was not among
    ``titles`` (the titles of the tables read)."""
    names = listed(table)
    read = {_key(t) for t in titles if t}
    missing = [n for n in names if _key(n.split(" ", 1)[-1]) not in read]
    reason = f"a contents page listing {len(names)} tables (no facts)" if names else "table of contents (no facts)"
    if missing:
        reason += "; listed but not among the tables read: " + ", ".join(missing)
    return reason
