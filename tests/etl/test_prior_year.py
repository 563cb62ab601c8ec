"""Figures of the prior year and changes printed beside the document year's (issue 12, feeds issue 14).

A row label or a column header naming another year than the document's (2025年, 上年, 2025年预算数) or a
change (增减变化金额, 增减变化情况) marks the cells it covers: a prior year's figure carries that year as its
bkg:fiscalYear, a change carries bkg:figureKind "change" and the year it compares with; neither counts as a
figure of the document's year. Each case is one page of a corpus document (tests/cases/<template>/); the
expected values are read off the page images.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from budgetkg.etl.extract.periods import period_of
from budgetkg.etl.pipeline import process_document
from budgetkg.etl.read_pdf import read_pdf
from budgetkg.etl.to_rdf import to_rdf

CASES = Path(__file__).parents[1] / "cases"
BKG = "https://budgetkg.org/def/budget#"
TP = "https://budgetkg.org/def/cl/three-public/"


def _store(case: str, department: str) -> ox.Store:
    doc = read_pdf(CASES / case / "input.pdf")
    doc.meta.update(department_name=department, year="2026")  # the excerpt has no cover
    graph, triples = to_rdf(process_document(doc), base="https://budgetkg.org/")
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return store


def _cells(store: ox.Store, category: str) -> dict[tuple[str, str | None], set[Decimal]]:
    """(fiscal year, the year a change compares with) -> the amounts of that 三公 category (general budget, all funds,
    or no fund printed)."""
    q = f"""SELECT ?year ?compared ?amount WHERE {{
        ?obs <{BKG}threePublicCategory> <{TP}{category}> ; <{BKG}fiscalYear> ?year ; <{BKG}amount> ?amount .
        OPTIONAL {{ ?obs <{BKG}fundSource> ?fund }}
        FILTER (!BOUND(?fund) || ?fund IN (<https://budgetkg.org/def/cl/fund-source/general-budget>,
                                            <https://budgetkg.org/def/cl/fund-source/_T>,
                                            <https://budgetkg.org/def/cl/fund-source/_Z>))
        OPTIONAL {{ ?obs <{BKG}comparedToYear> ?compared ; <{BKG}figureKind> "change" }} }}"""
    out: dict = {}
    for s in store.query(q, use_default_graph_as_union=True):
        key = (s["year"].value, s["compared"].value if s["compared"] else None)
        out.setdefault(key, set()).add(Decimal(s["amount"].value))
    return out


@pytest.mark.parametrize("cell,period", [
    ("上年", "prior"), ("上年预算数", "prior"), ("上年执行数", "prior"), ("2025年", "2025"), ("2025年预算数", "2025"),
    ("当年", "current"), ("本年预算数", "current"), ("增减变化金额", "change"), ("增减变化情况", "change"),
    ("比上年增减", "change"), ("增减额", "change"),
    # items of this year, not periods
    ("上年结转", None), ("上年结转结余", None), ("2026年政府采购项目", None), ("合计", None), ("增长率", None),
])
def test_period_words(cell, period):
    assert period_of(cell) == period


def test_shenzhen_rows_of_2025_and_the_change():
    """深圳 表9 财政拨款“三公”经费支出表 (p38): rows 2025年 | 2026年 | 增减变化金额; 总计 of 一般公共预算
    59.66 | 58.46 | -1.20, 公务用车购置及运行维护费 小计 8.60 | 7.40 | -1.20, 因公出国(境)费 41.60 each year, 0.00 change."""
    store = _store("shenzhen/three_public_by_fund", "深圳市财政局")
    assert _cells(store, "_T") == {("2025", None): {Decimal("59.66")}, ("2026", None): {Decimal("58.46")},
                                   ("2026", "2025"): {Decimal("-1.20")}}
    assert _cells(store, "vehicles") == {("2025", None): {Decimal("8.60")}, ("2026", None): {Decimal("7.40")},
                                         ("2026", "2025"): {Decimal("-1.20")}}
    assert _cells(store, "overseas-travel") == {("2025", None): {Decimal("41.60")}, ("2026", None): {Decimal("41.60")},
                                                ("2026", "2025"): {Decimal("0.00")}}


def test_yantai_column_groups_of_two_years():
    """烟台 公开表7 一般公共预算“三公”经费支出情况表 (p18): 2025年预算数 | 2026年预算数, each 合计 14.30,
    公务用车购置及运行维护费 小计 12.50, 公务接待费 1.80 (因公出国 and 公务用车购置 blank)."""
    store = _store("yantai/three_public_by_year", "烟台市统计局")
    assert _cells(store, "_T") == {("2025", None): {Decimal("14.30")}, ("2026", None): {Decimal("14.30")}}
    assert _cells(store, "vehicles") == {("2025", None): {Decimal("12.50")}, ("2026", None): {Decimal("12.50")}}
    assert _cells(store, "reception") == {("2025", None): {Decimal("1.80")}, ("2026", None): {Decimal("1.80")}}
    assert _cells(store, "overseas-travel") == {}


def test_xian_blocks_of_prior_year_current_year_and_change():
    """西安 表13 (p39): blocks 上年 | 当年 | 增减变化情况, the spanning header over each block's columns. Row 合计:
    合计 518,400.00 | 913,900.00 | 395,500.00; “三公” 小计 93,000.00 | 81,000.00 | -12,000.00;
    公务接待费 18,000.00 | 15,000.00 | -3,000.00 (119001 西安市统计局: 13,000.00 | 10,000.00 | -3,000.00)."""
    store = _store("xian/three_public_by_year", "西安市统计局")
    three_public = _cells(store, "three-public-total")
    assert Decimal("93000.00") in three_public[("2025", None)]
    assert Decimal("81000.00") in three_public[("2026", None)] and Decimal("93000.00") not in three_public[("2026", None)]
    assert Decimal("-12000.00") in three_public[("2026", "2025")]
    reception = _cells(store, "reception")
    assert reception[("2025", None)] >= {Decimal("18000.00"), Decimal("13000.00")}
    assert reception[("2026", None)] >= {Decimal("15000.00"), Decimal("10000.00")}
    assert reception[("2026", "2025")] >= {Decimal("-3000.00")}
    assert not reception[("2026", None)] & {Decimal("18000.00"), Decimal("-3000.00")}


def test_named_query_counts_the_document_years_figures_only():
    """The named query three_public_by_category on 西安 表13 gives the 当年 block (“三公” 小计 81,000.00 in row 合计,
    76,000.00 for 119001, 5,000.00 for 119003; 公务接待费 15,000.00 | 10,000.00 | 5,000.00), not the 上年 block
    (93,000.00 | 88,000.00; 18,000.00 | 13,000.00) nor the changes (-12,000.00; -3,000.00)."""
    from budgetkg.queries import load_queries, run

    store = _store("xian/three_public_by_year", "西安市统计局")
    rows = list(run(store, load_queries()["three_public_by_category"]))
    by_category: dict[str, set[Decimal]] = {}
    for r in rows:
        by_category.setdefault(r["category"].value.rsplit("/", 1)[1], set()).add(Decimal(r["amount"].value))
    assert {r["year"].value for r in rows} == {"2026"}
    assert by_category["three-public-total"] == {Decimal("81000.00"), Decimal("76000.00"), Decimal("5000.00")}
    assert by_category["reception"] == {Decimal("15000.00"), Decimal("10000.00"), Decimal("5000.00")}
