"""The arithmetic shapes (shapes/arithmetic.ttl) on real disclosures of ../shared/samples/corpus.

A subtotal line is the total of the lines under it: it is recognized by the code hierarchy (一般公共预算
under 财政拨款, a 款 under its 类), never by its position. Each test starts from a corpus document as the
reader maps it; unmutated it gives none of the findings below (the printed tables add up), mutated it gives
the one it must, naming table, page, row and column. Figures are those printed on the page (checked on the
page images). Both engines run on each graph (test_shapes_support.validate).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import pytest

from tests.conftest import SHARED
from tests.shapes.test_shapes_support import B, decimal, observation, replace, validate

CORPUS = SHARED / "samples" / "corpus"


@lru_cache(maxsize=4)
def corpus_triples(stem: str) -> tuple:
    from budgetkg.etl.to_rdf import map_document
    from budgetkg.names import DEFAULT_BASE

    path = CORPUS / f"{stem}.pdf"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    return tuple(map_document(str(path), base=DEFAULT_BASE)[2])


def findings(triples, rule: str) -> list[tuple]:
    out = validate(triples, [rule])
    return sorted((r["severity"], r["table"], r.get("page"), r["row"], r.get("column"), r["printed"], Decimal(r["expected"]))
                  for r in out.results)


def mutated(stem: str, table: str, row: int, col: int, amount: str) -> list:
    triples = list(corpus_triples(stem))
    return replace(triples, observation(triples, table, row, col), B("amount"), decimal(amount))


# 收支总体情况表 (烟台, page 7), 2026年市级部门收支预算总表 (湖州, page 17), 收支总表 (深圳, pages 16-18): 一、财政拨款
# and the 一般公共预算 line under it both print the whole appropriation; the expenditure side prints 类, 款 and 项.
SUMMARIES = ["yantai_tjj_2026_budget_dept", "huzhou_czj_2026_budget_dept", "shenzhen_czj_2026_budget_dept"]


@pytest.mark.parametrize("stem", SUMMARIES)
def test_summary_current_totals_count_a_subtotal_line_once(stem):
    assert findings(corpus_triples(stem), "SummaryCurrentTotals") == []


def test_summary_current_totals_still_find_a_top_line_that_disagrees():
    # 烟台 page 7: 一、财政拨款收入 2,123.11 -> 2,123.21; 本年收入合计 prints 2,123.11
    got = findings(mutated("yantai_tjj_2026_budget_dept", "income_expenditure_summary", 1, 2, "2123.21"), "SummaryCurrentTotals")
    assert got == [("Warning", "收支总体情况表", 7, "22 (in) 本年收入合计", "2 预算数", "2123.11", Decimal("2123.21"))]


def test_a_line_under_a_printed_line_is_not_a_further_part():
    # 烟台 page 7: 一般公共预算收入 (under 一、财政拨款收入) 2,123.11 -> 2,000.00: 本年收入合计 is the sum of the lines
    # that are under no other printed line, which did not change
    got = findings(mutated("yantai_tjj_2026_budget_dept", "income_expenditure_summary", 2, 2, "2000.00"), "SummaryCurrentTotals")
    assert got == []


def test_summary_current_totals_on_the_expenditure_side_sum_the_classes():
    # 深圳 page 16: 一、一般公共服务支出 20,563.76 -> 20,564.76 (its 款 财政事务 and 项 行政运行 ... are under it);
    # 本年支出合计 (page 18) prints 37,385.88
    got = findings(mutated("shenzhen_czj_2026_budget_dept", "income_expenditure_summary", 1, 4, "20564.76"), "SummaryCurrentTotals")
    assert got == [("Warning", "收支总表", 18, "30 (out) 本年支出合计", "4 2026年预算数", "37385.88", Decimal("37386.88"))]


# 2026年预算单位财务收支预算总表 (上海市审计局, page 7, 元): the expenditure side in column groups 合计 | 基本支出 (人员经费,
# 公用经费) | 项目支出; 一、一般公共服务支出 134,339,860 = 93,654,340 + 20,825,520 + 19,860,000. The income side's
# 收入总计 is printed blank (a real omission: 支出总计 prints 195,774,300).
SHANGHAI = "shanghai_sjj_2026_budget_unit"


def test_only_the_total_column_of_a_side_in_column_groups_is_compared_with_the_other_tables():
    assert findings(corpus_triples(SHANGHAI), "SummaryVsExpenditure") == []
    assert findings(corpus_triples(SHANGHAI), "SummaryBalance") == [
        ("Warning", "2026年预算单位财务收支预算总表", 7, "8 (in) 收入总计", None, "(blank)", Decimal("195774300"))]


def test_the_total_column_of_a_side_in_column_groups_still_disagrees():
    got = findings(mutated(SHANGHAI, "income_expenditure_summary", 1, 4, "134339870"), "SummaryVsExpenditure")
    assert got == [("Warning", "2026年预算单位财务收支预算总表", 7, "1 (out) 一、一般公共服务支出", "4 合计", "134339870",
                    Decimal("134339860"))]


def test_the_column_groups_add_up_to_the_total_column():
    assert findings(corpus_triples(SHANGHAI), "ColumnSum") == []
    got = findings(mutated(SHANGHAI, "income_expenditure_summary", 1, 5, "93654350"), "ColumnSum")
    assert got == [("Warning", "2026年预算单位财务收支预算总表", 7, "1 (out) 一、一般公共服务支出", "4 合计", "134339860",
                    Decimal("134339870"))]


# 烟台 一般公共预算支出情况表 (page 14) prints the 基本支出 小计 of its 合计 line as 1,704.11; 一般公共预算基本支出情况表
# (page 16) prints its 合计 as 1,704.12 (= 1,573.37 + 130.75): one unit of the last printed digit, a rounding.
YANTAI = "yantai_tjj_2026_budget_dept"
GBE_TOTAL = ("一般公共预算支出情况表", 14, "1 合计", "6 小计")


def test_one_unit_of_the_last_digit_between_two_tables_is_a_rounding_info():
    assert findings(corpus_triples(YANTAI), "GeneralBudgetBasic") == []
    out = validate(corpus_triples(YANTAI), ["GeneralBudgetBasicRounding"])
    assert [(r["severity"], r["table"], r["page"], r["row"], r["column"], r["printed"], Decimal(r["expected"]))
            for r in out.results] == [("Info", *GBE_TOTAL, "1704.11", Decimal("1704.12"))]
    [r] = out.results
    assert "a rounding difference" in r["message"] and "舍入差异" in r["message_zh"]


def test_more_than_one_unit_between_two_tables_is_a_warning():
    triples = mutated(YANTAI, "general_budget_expenditure", 1, 6, "1704.14")
    assert findings(triples, "GeneralBudgetBasic") == [("Warning", *GBE_TOTAL, "1704.14", Decimal("1704.12"))]
    assert findings(triples, "GeneralBudgetBasicRounding") == []



# 西安 部门综合预算收支总表 (表1, page 26, 元): each side opens with the block line 一、部门预算 62,109,297.20 and numbers
# its parts under it (income: 1、财政拨款 62,109,297.20, under it (1)一般公共预算拨款 62,109,297.20; expenditure:
# 1、一般公共服务支出 50,037,708.13, 5、教育支出 775,000.00 ...; by economic class 1、人员经费和公用经费支出
# 36,701,197.20 with (1)工资福利支出 32,493,937.03 ... under it): 本年收入合计 = 本年支出合计 = 62,109,297.20, the block
# line. 部门综合预算财政拨款收支总表 (表4, page 29) opens each side with 一、财政拨款 instead.
XIAN = "xian_tjj_2026_budget_dept"


def test_lines_numbered_under_a_block_line_are_counted_in_it():
    assert findings(corpus_triples(XIAN), "SummaryCurrentTotals") == []


def test_a_block_line_that_disagrees_with_the_current_total_is_found():
    got = findings(mutated(XIAN, "income_expenditure_summary", 1, 2, "62109298.20"), "SummaryCurrentTotals")
    assert got == [("Warning", "部门综合预算收支总表", 26, "26 (in) 本年收入合计", "2 预算数", "62109297.20",
                    Decimal("62109298.20"))]


def test_a_line_numbered_under_a_block_line_is_no_further_part():
    # 1、财政拨款 62,109,297.20 -> 60,000,000.00: 本年收入合计 sums the block line 一、部门预算, which did not change
    assert findings(mutated(XIAN, "income_expenditure_summary", 2, 2, "60000000.00"), "SummaryCurrentTotals") == []


# 深圳 收支总表 (page 18, 万元): 本年收入合计 36,989.05 | 上年结余、结转 396.83 | 1.财政拨款结余、结转 396.83 |
# 2.非财政拨款结余、结转 0.00 | 收入总计 37,385.88; 本年支出合计 37,385.88 | 结转下年 0.00 | 支出总计 37,385.88.
SHENZHEN = "shenzhen_czj_2026_budget_dept"


def test_a_breakdown_numbered_under_the_carry_over_line_is_counted_in_it():
    assert findings(corpus_triples(SHENZHEN), "SummaryGrandTotals") == []
    # 上年结余、结转 396.83 -> 397.83: 收入总计 = 36,989.05 + 397.83 (its breakdown 1. 2. not counted again)
    got = findings(mutated(SHENZHEN, "income_expenditure_summary", 31, 2, "397.83"), "SummaryGrandTotals")
    assert got == [("Warning", "收支总表", 18, "34 (in) 收入总计", "2 2026年预算数", "37385.88", Decimal("37386.88"))]


def test_a_budget_spending_its_carry_over_balances_in_the_grand_totals():
    # the current-year totals differ by the carry-over the budget spends (36,989.05 + 396.83 = 37,385.88): no finding
    assert findings(corpus_triples(SHENZHEN), "SummaryBalance") == []
    # printed without a carry-over (上年结余、结转 0.00, 收入总计 = 本年收入合计 36,989.05), the current year must balance
    triples = list(corpus_triples(SHENZHEN))
    for row, amount in ((31, "0.00"), (32, "0.00"), (34, "36989.05")):
        triples = replace(triples, observation(triples, "income_expenditure_summary", row, 2), B("amount"), decimal(amount))
    assert findings(triples, "SummaryBalance") == [
        ("Warning", "收支总表", 18, "30 (in) 本年收入合计", "2 2026年预算数", "36989.05", Decimal("37385.88")),
        ("Warning", "收支总表", 18, "34 (in) 收入总计", "2 2026年预算数", "36989.05", Decimal("37385.88"))]


# 西安 表13 部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表 (page 39, 元): in each of 上年 | 当年 |
# 增减变化情况, 合计 = “三公”经费 小计 + 会议费 + 培训费 (合计 row, 当年: 913,900.00 = 81,000.00 + 57,900.00 +
# 775,000.00; 119003 西安市统计局普查中心, 上年: 21,000.00 = 5,000.00 + 16,000.00); 会议费 and 培训费 are not 三公.
THREE_PUBLIC_XIAN = "部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表"


def test_meeting_and_training_columns_are_parts_of_the_total_not_of_the_three_public():
    assert findings(corpus_triples(XIAN), "ColumnSum") == []
    # 当年 会议费 of the 合计 row 57,900.00 -> 58,900.00: 合计 913,900.00 is short of 914,900.00
    got = findings(mutated(XIAN, "three_public_expenses", 1, 19, "58900.00"), "ColumnSum")
    assert [(g[1], g[2], g[4], g[5], g[6]) for g in got] == [(THREE_PUBLIC_XIAN, 39, "12 合计", "913900.00", Decimal("914900"))]


def test_meeting_and_training_columns_of_a_one_row_table_are_parts_of_its_total():
    # 江苏 公开 09 表：一般公共预算“三公”经费、会议费、培训费支出预算表 (page 19, 万元): 合计 1,384.74 = “三公”经费 小计
    # 484.30 + 会议费 200.44 + 培训费 700.00; 培训费 700.00 -> 701.00: 合计 is short of 1,385.74
    # (its 公开 03表 支出预算总表 has a ColumnSum finding of its own, not this table's)
    stem, table = "jiangsu_jcy_2018_budget_dept", "公开 09 表：一般公共预算“三公”经费、会议费、培训费支出预算表"
    assert [g for g in findings(corpus_triples(stem), "ColumnSum") if g[1] == table] == []
    got = findings(mutated(stem, "three_public_expenses", 1, 9, "701.00"), "ColumnSum")
    assert [(g[2], g[4], g[5], g[6]) for g in got if g[1] == table] == [(19, "1 合计", "1384.74", Decimal("1385.74"))]
