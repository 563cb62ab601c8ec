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

import re
from dataclasses import dataclass

from .model import Table
from .text import match_key


@dataclass(frozen=True)
class Rule:
    kind: str
    title_all: tuple[str, ...] = ()
    title_any: tuple[str, ...] = ()
    title_none: tuple[str, ...] = ()
    header_any: tuple[str, ...] = ()


RULES: tuple[Rule, ...] = (
    Rule("performance_targets", title_any=("绩效目标表", "绩效目标申报表"), header_any=("一级指标",)),
    Rule("performance_targets", header_any=("一级指标",)),
    Rule("three_public_expenses", title_any=("三公",)),
    Rule("government_procurement", title_any=("政府采购",)),
    Rule("fixed_assets", title_any=("固定资产", "国有资产占用")),
    Rule("units", header_any=("单位名称",), title_none=("收入", "支出")),
    Rule("government_fund_expenditure", title_any=("政府基金", "政府性基金")),
    Rule("state_capital_expenditure", title_any=("国有资本经营",)),
    Rule("general_budget_basic_expenditure", title_all=("一般公共预算",), title_any=("基本支出",)),
    Rule("general_budget_expenditure", title_all=("一般公共预算",), title_any=("支出",)),
    Rule("appropriation_summary", title_all=("财政拨款",), title_any=("收支总表", "收入支出总表", "收支预算总表", "收入支出决算总表", "收支决算总表")),
    Rule("income_expenditure_summary", title_any=("收支总表", "收入支出总表", "收支预算总表", "收入支出决算总表", "收支决算总表")),
    Rule("income", title_any=("收入总表", "收入预算总表", "收入决算表", "收入预算表")),
    Rule("expenditure", title_any=("支出总表", "支出预算总表", "支出决算表", "支出预算表")),
)

TABLE_KINDS: tuple[str, ...] = tuple(dict.fromkeys(r.kind for r in RULES))

_TOC_ENTRY = re.compile(r"(\.{3,}|…{2,}|·{3,})\s*$")


def _is_contents(table: Table) -> bool:
    rows = list(table.header) + [r.cells for r in table.rows]
    entries = [c for c in (r[0] if r else "" for r in rows) if c]
    return bool(entries) and sum(bool(_TOC_ENTRY.search(c)) for c in entries) * 2 > len(entries)


def recognize(table: Table) -> str | None:
    """Return the table key, ``"contents"`` for a table of contents, or None when unknown."""
    if _is_contents(table):
        return "contents"
    title = match_key(table.title)
    header = {match_key(c) for row in table.header for c in row if c}
    for rule in RULES:
        if rule.title_all and not all(w in title for w in rule.title_all):
            continue
        if rule.title_any and not any(w in title for w in rule.title_any):
            continue
        if any(w in title for w in rule.title_none):
            continue
        if rule.header_any and not any(any(w in h for h in header) for w in rule.header_any):
            continue
        return rule.kind
    return None
