"""Recognise the kind of a printed table from its title and header.

API: :func:`recognize` ``(table) -> str | None``; :func:`classify` ``(table) -> Recognition``
(the kind, or why there is none: no candidate, or a tie, with the candidates' scores);
:data:`TABLE_KINDS`.

Position in the document is never used: templates order their tables differently. The
words are the lexicon's (:data:`budgetkg.etl.lexicon.KIND_WORDS`): every way a kind is
printed that fits the title (all of ``title_all``, one of ``title_any``, none of
``title_none``) and the header (one of ``header_any``; one of ``rows_any`` in the header or
the first body rows; one of ``header_must``, the columns the kind must have, when the table
has a header) is a candidate, scored by how much of the
title and header it explains (the length of the words found) plus its ``weight``. The best
score wins; two kinds with the same best score are a tie, and a tie is no kind (the
pipeline reports it with the table's page), never a guess.

>>> from budgetkg.etl.model import Table
>>> recognize(Table(title="部门预算财政拨款收支总表", line=1, header=[["序号", "收入", "", "支出"]]))
'appropriation_summary'
>>> recognize(Table(title="2026年部门财务收支预算总表", line=1, header=[["收入", "支出"]]))
'income_expenditure_summary'
>>> recognize(Table(title="目录", line=1, header=[["部门预算收支总表.....", "3"]]))
'contents'
>>> recognize(Table(title="", line=1, header=[["报表", "报表名称"], ["表1", "部门收支总表"], ["表2", "部门收入总表"]]))
'contents'
>>> recognize(Table(title="部门预算基本支出预算表", line=1, header=[["支出项目类别", "合计"]])) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .contents import lists_tables
from .lexicon import KIND_WORDS, TOC_ENTRY_RE, KindWords
from .model import Table
from .text import match_key

# How far into the body a column row is looked for (templates print project facts above it).
ROWS_SEARCHED = 12

UNKNOWN_KIND = "table of an unknown kind, not mapped"
TABLE_KINDS: tuple[str, ...] = tuple(dict.fromkeys(kind for kind, _ in KIND_WORDS))


@dataclass(frozen=True)
class Recognition:
    """What recognition made of a table: ``kind`` (None when unknown) and why."""

    kind: str | None
    candidates: dict[str, int] = field(default_factory=dict)  # kind -> best score

    @property
    def reason(self) -> str:
        """Why the table has no kind (for the report), or ``""``."""
        if self.kind is not None:
            return ""
        if not self.candidates:
            return UNKNOWN_KIND
        best = max(self.candidates.values())
        tied = sorted(k for k, v in self.candidates.items() if v == best)
        return f"{UNKNOWN_KIND} (ambiguous: {' and '.join(tied)} fit equally, score {best})"


def _is_contents(table: Table) -> bool:
    """Entries with dot leaders (部门收支总表......3), or a list of the document's tables (报表目录)."""
    if lists_tables(table):
        return True
    rows = list(table.header) + [r.cells for r in table.rows]
    entries = [c for c in (r[0] if r else "" for r in rows) if c]
    return bool(entries) and sum(bool(TOC_ENTRY_RE.search(c)) for c in entries) * 2 > len(entries)


def _found(words: tuple[str, ...], texts: list[str]) -> int:
    """Length of the longest of ``words`` found in one of ``texts`` (0: none)."""
    return max((len(w) for w in words if any(w in t for t in texts)), default=0)


def _score(words: KindWords, title: str, header: list[str], top: list[str]) -> int | None:
    if words.untitled and title:
        return None
    if not all(w in title for w in words.title_all) or any(w in title for w in words.title_none):
        return None
    score = sum(map(len, words.title_all))
    if words.title_any:
        found = _found(words.title_any, [title])
        if not found:
            return None
        score += found
    if words.header_any:
        found = _found(words.header_any, header)
        if not found:
            return None
        score += found
    if words.rows_any:
        found = _found(words.rows_any, top)
        if not found:
            return None
        score += found
    if words.header_must and header and not _found(words.header_must, header):
        return None
    if words.header_none and _found(words.header_none, header):
        return None
    return score + words.weight


def classify(table: Table) -> Recognition:
    """The kind of ``table`` with the scores of every candidate kind."""
    if _is_contents(table):
        return Recognition("contents")
    title = match_key(table.title)
    header = [match_key(c) for row in table.header for c in row if c]
    top = header + [match_key(c) for row in table.rows[:ROWS_SEARCHED] for c in row.cells if c]
    scores: dict[str, int] = {}
    for kind, words in KIND_WORDS:
        score = _score(words, title, header, top)
        if score is not None and score > scores.get(kind, -1):
            scores[kind] = score
    if not scores:
        return Recognition(None)
    best = max(scores.values())
    tied = [k for k, v in scores.items() if v == best]
    return Recognition(tied[0] if len(tied) == 1 else None, scores)


def recognize(table: Table) -> str | None:
    """Return the table key, ``"contents"`` for a table of contents, or None when unknown or tied."""
    return classify(table).kind
