"""Column hierarchies of real tables under the arithmetic shapes (shapes/arithmetic.ttl): which columns are the
parts of a total column, and which column of a table stands for its total.

Each test reads a small real excerpt (tests/cases/<template>/<case>/input.pdf, pages cut from
../shared/samples/corpus); the figures quoted are those printed on the page images. Unmutated the excerpt adds up
(no finding); mutated it gives the one finding it must. Both engines run on each graph (test_shapes_support.validate).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from tests.shapes.test_shapes_support import B, set_amount, validate

CASES = Path(__file__).parents[1] / "cases"


@lru_cache(maxsize=8)
def _excerpt(case: str, department: str, year: str, phase: str = "budget") -> tuple:
    """The excerpt read and mapped as the document it was cut from (its cover is not in the excerpt)."""
    from budgetkg.etl.pipeline import Overrides, process_document
    from budgetkg.etl.read_pdf import read_pdf
    from budgetkg.etl.to_rdf import to_rdf

    doc = read_pdf(CASES / case / "input.pdf")
    overrides = Overrides(department=department, year=year, phase=phase)
    return tuple(to_rdf(process_document(doc, overrides=overrides), base="https://budgetkg.org/")[1])


def _findings(triples, rule: str) -> list[tuple]:
    out = validate(triples, [rule])
    return sorted((r["table"], r["row"], r.get("column"), r["printed"], Decimal(r["expected"])) for r in out.results)


def _column_dims(triples, table: str, col: int) -> dict[str, str]:
    """The coded dimensions of a column of a table (by table key and printed column index): local name -> concept."""
    column = next(t.object for t in triples if t.predicate == B("column") and f"/{table}/obs/" in t.subject.value
                  and t.object.value.endswith(f"/col/{col}"))
    return {t.predicate.value.rsplit("#", 1)[1]: t.object.value.rsplit("/cl/", 1)[1]
            for t in triples if t.subject == column and "/cl/" in t.object.value}


# 深圳 表1 收支总表 (pages 16-18) and 表3 支出总表 (pages 20-23): 支出总计 | 基本支出 | 项目支出 | ... | 2026年政府采购项目
# (小计 | 其中 中小企业 | 其中 小型、微型企业). 一般公共服务支出 prints 20,563.76 on both tables; its 政府采购 小计 is 3,790.75.
SHENZHEN = ("shenzhen/expenditure_with_procurement", "深圳市财政局", "2026")


def test_the_subtotal_of_a_procurement_group_is_not_the_expenditure_total():
    triples = _excerpt(*SHENZHEN)
    assert _column_dims(triples, "expenditure", 4) == {"expenditureType": "expenditure-type/_T"}  # 支出总计
    assert _column_dims(triples, "expenditure", 10) == {}  # 2026年政府采购项目 / 小计
    assert _findings(triples, "SummaryVsExpenditure") == []
    assert _findings(triples, "ColumnSum") == []


def test_the_summary_is_still_compared_with_the_expenditure_total():
    # 支出总表 row 2 (201 一般公共服务支出), 支出总计 20,563.76 -> 20,564.76: the 收支总表 line differs from it
    changed = set_amount(_excerpt(*SHENZHEN), "expenditure", 2, 4, "20564.76")
    assert _findings(changed, "SummaryVsExpenditure") == [
        ("收支总表", "1 (out) 一、一般公共服务支出", "4 2026年预算数", "20563.76", Decimal("20564.76"))]


# 北京 预算05表 一般公共预算支出表 (page 9): 合计 | 基本支出 (小计 | 人员经费 | 公用经费) | 项目支出 (项目支出总数 |
# 扣除基建项目后预算数). 2010602 一般行政管理事务 prints 5,046.830111 under 合计, 项目支出总数 and 扣除基建项目后预算数;
# 合计 44,169.357532 = 28,016.258321 + 16,153.099211.
BEIJING_05 = ("beijing/general_budget_net_of_construction", "北京市财政局", "2026")


def test_a_figure_net_of_construction_projects_is_no_further_part_of_the_total():
    triples = _excerpt(*BEIJING_05)
    assert _column_dims(triples, "general_budget_expenditure", 7)["expenditureType"] == "expenditure-type/project"
    assert "expenditureType" not in _column_dims(triples, "general_budget_expenditure", 8)
    assert _findings(triples, "ColumnSum") == []
    # 2010602, 项目支出总数 5,046.830111 -> 5,046.840111: 合计 no longer adds up
    changed = set_amount(triples, "general_budget_expenditure", 2, 7, "5046.840111")
    assert _findings(changed, "ColumnSum") == [
        ("预算05表一般公共预算支出表", "2 2010602 一般行政管理事务", "3 合计", "5046.830111", Decimal("5046.840111"))]


# 国家信访局 公开09表 一般公共预算财政拨款“三公”经费支出决算表 (page 15): 预算数 over six columns, 决算数 over six; each
# 合计 | 因公出国（境）费 | 公务用车购置及运行维护费 (小计 | 购置费 | 运行维护费) | 公务接待费, the category cells merged over
# two header rows. 预算数 76.43 = 30.00 + 40.63 + 5.80; 决算数 46.21 = 4.69 + 40.61 + 0.90
# (46.20: a rounding of the printed figures, within their precision).
CENTRAL_09 = ("central/three_public_budget_and_final", "国家信访局", "2024", "final-accounts")


def test_each_phase_block_of_a_three_public_table_adds_up_on_its_own():
    triples = _excerpt(*CENTRAL_09)
    assert _column_dims(triples, "three_public_expenses", 2)["budgetPhase"] == "phase/budget"  # 因公出国（境）费
    assert _column_dims(triples, "three_public_expenses", 8)["budgetPhase"] == "phase/final-accounts"
    assert _findings(triples, "ColumnSum") == []
    # 决算数 公务接待费 0.90 -> 1.90: the 决算数 合计 46.21 no longer adds up (4.69 + 40.61 + 1.90), the 预算数 合计 still does
    changed = set_amount(triples, "three_public_expenses", 1, 12, "1.90")
    assert _findings(changed, "ColumnSum") == [
        ("一般公共预算财政拨款“三公”经费支出决算表", "1", "7 合计", "46.21", Decimal("47.20"))]


# 北京 预算01表 收支总表 (pages 1-2): 本年收入合计 44,156.640120 and 本年支出合计 44,169.357532 are printed so (checked
# on the page image): the budget spends its carry-over, 上年结转结余 12.717412, 年终结转结余 blank, 收入总计 = 支出总计 =
# 44,169.357532. The current-year totals differ by the carry-over the budget spends (44,156.640120 + 12.717412): a
# grand total that differs from its current-year total says so, and SummaryBalance compares the grand totals only,
# which balance; each adds up.
BEIJING_01 = ("beijing/summary_spending_carry_over", "北京市财政局", "2026")


def test_a_budget_spending_its_carry_over_balances_in_its_grand_totals():
    triples = _excerpt(*BEIJING_01)
    assert _findings(triples, "SummaryBalance") == []
    assert _findings(triples, "SummaryGrandTotals") == []
    assert _findings(triples, "SummaryCurrentTotals") == []
