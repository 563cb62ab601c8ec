"""Recognise the kind of a printed table from its title and header.

API: :func:`recognize` ``(table) -> str | None``; :data:`TABLE_KINDS`.

Position in the document is never used: templates order their tables
differently. A rule names words the title must contain, words it must not, and
words the header must contain; the first rule that fits wins, so the more
specific rules stand first.

>>> from budgetkg.etl.model import Table
>>> recognize(Table(title="部门预算财政拨款收支总表", line=1, header=[["序号", "收入", "", "支出"]]))
'appropriation_summary'
>>> recognize(Table(title="2026年部门财务收支预算总表", line=1, header=[["收入", "支出"]]))
'income_expenditure_summary'
>>> recognize(Table(title="目录", line=1, header=[["部门预算收支总表.....", "3"]]))
'contents'
"""

from __future__ import annotations

from .lexicon import KIND_WORDS, TOC_ENTRY_RE, KindWords

# How far into the body a column row is looked for (templates print project facts above it).
ROWS_SEARCHED = 12
from .model import Table
from .text import match_key


RULES: tuple[tuple[str, KindWords], ...] = KIND_WORDS

TABLE_KINDS: tuple[str, ...] = tuple(dict.fromkeys(kind for kind, _ in RULES))


def _is_contents(table: Table) -> bool:
    rows = list(table.header) + [r.cells for r in table.rows]
    entries = [c for c in (r[0] if r else "" for r in rows) if c]
    return bool(entries) and sum(bool(TOC_ENTRY_RE.search(c)) for c in entries) * 2 > len(entries)


def recognize(table: Table) -> str | None:
    """Return the table key, ``"contents"`` for a table of contents, or None when unknown."""
    if _is_contents(table):
        return "contents"
    title = match_key(table.title)
    header = {match_key(c) for row in table.header for c in row if c}
    top = header | {match_key(c) for row in table.rows[:ROWS_SEARCHED] for c in row.cells if c}
    for kind, rule in RULES:
        if rule.title_all and not all(w in title for w in rule.title_all):
            continue
        if rule.title_any and not any(w in title for w in rule.title_any):
            continue
        if any(w in title for w in rule.title_none):
            continue
        if rule.header_any and not any(any(w in h for h in header) for w in rule.header_any):
            continue
        if rule.rows_any and not any(any(w in h for h in top) for w in rule.rows_any):
            continue
        return kind
    return None
