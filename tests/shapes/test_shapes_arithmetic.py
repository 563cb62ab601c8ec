"""Mutation tests of the budget arithmetic (shapes/arithmetic.ttl).

Each test changes printed figures of the sample and checks that exactly the expected
warnings appear, naming document, table, row (and column), the printed and the expected
figure. All arithmetic is exact decimal; the tolerance is half a unit of the printed
precision per summand and for the total.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.shapes.test_shapes_support import fixed_sample, observation, results, set_amount, validate

ARITHMETIC = [
    "RowSum", "RowBlankTotal", "ColumnSum", "ColumnBlankTotal", "SummaryCurrentTotals", "SummaryBalance",
    "SummaryGrandTotals", "SummaryVsExpenditure", "SummaryVsIncome", "AppropriationVsFundTables", "GeneralBudgetBasic",
]


def _warnings(triples):
    out = validate(triples, ARITHMETIC)
    assert all(r["severity"] == "Warning" for r in out.results)
    return sorted((r["rule"], r["table"], r["row"], r.get("column"), r["printed"], Decimal(r["expected"])) for r in out.results)


def test_sample_arithmetic_warnings():
    """The sample's only arithmetic findings: 公务用车购置及运维费 printed blank (see test_validation)."""
    assert _warnings(fixed_sample()) == [
        ("RowBlankTotal", "部门预算财政拨款“三公”经费支出表", "6 二、公务用车购置及运维费", "3 合计", "(blank)", Decimal("6.00")),
        ("RowBlankTotal", "部门预算财政拨款“三公”经费支出表", "6 二、公务用车购置及运维费", "4 一般公共预算财政拨款", "(blank)", Decimal("6.00")),
    ]


def test_one_changed_amount_names_table_and_row():
    # 支出总表 row 7 (2150501 行政运行), column 4 合计: 916.29 -> 917.29
    got = [w for w in _warnings(set_amount(fixed_sample(), "expenditure", 7, 4, "917.29")) if w[0] != "RowBlankTotal"]
    assert got == [
        ("ColumnSum", "部门预算支出总表", "7 2150501 行政运行", "4 合计", "917.29", Decimal("916.29")),
        ("RowSum", "部门预算支出总表", "6 21505 工业和信息产业监管", "4 合计", "1036.29", Decimal("1037.29")),
    ]
    out = validate(set_amount(fixed_sample(), "expenditure", 7, 4, "917.29"), ["RowSum"])
    r = results(out, "RowSum")[0]
    assert r["document"] == "sample.txt" and r["line"] and r["message_zh"]
    assert "000_60bd7a1a2874cc3a.txt" in r["message"] and "部门预算支出总表" in r["message"]


def test_total_row_is_sum_of_classes():
    got = _warnings(set_amount(fixed_sample(), "general_budget_expenditure", 1, 4, "1476.40"))
    assert ("RowSum", "部门预算一般公共预算财政拨款支出表", "1 合计", "4 合计", "1476.40", Decimal("1476.29")) in got


def test_basic_equals_personnel_plus_public():
    # 一般公共预算财政拨款基本支出表 row 3 (30101 基本工资), column 5 人员经费: 122.92 -> 122.02
    got = [w[:4] for w in _warnings(set_amount(fixed_sample(), "general_budget_basic_expenditure", 3, 5, "122.02"))]
    assert ("ColumnSum", "部门预算一般公共预算财政拨款基本支出表", "3 30101 基本工资", "4 合计") in got
    assert ("RowSum", "部门预算一般公共预算财政拨款基本支出表", "2 301 工资福利支出", "5 人员经费") in got


def test_three_public_total():
    got = [w for w in _warnings(set_amount(fixed_sample(), "three_public_expenses", 9, 3, "3.00")) if w[0] != "RowBlankTotal"]
    assert ("RowSum", "部门预算财政拨款“三公”经费支出表", "2 “三公”经费小计", "3 合计", "8", Decimal("9.00")) in got


def test_summary_balance_and_grand_totals():
    got = [w[:3] for w in _warnings(set_amount(fixed_sample(), "income_expenditure_summary", 34, 5, "1476.39"))]
    assert ("SummaryBalance", "部门预算收支总表", "34 (in) 收入总计") in got
    assert ("SummaryGrandTotals", "部门预算收支总表", "34 (out) 支出总计") in got


def test_summary_current_totals():
    got = [w[:3] for w in _warnings(set_amount(fixed_sample(), "income_expenditure_summary", 1, 3, "1476.00"))]
    assert ("SummaryCurrentTotals", "部门预算收支总表", "32 (in) 本年收入合计") in got


def test_same_figure_in_two_tables():
    # 支出总表 row 2 (210 卫生健康支出) 合计 changed: the 收支总表 line of 类 210 disagrees
    got = _warnings(set_amount(fixed_sample(), "expenditure", 2, 4, "450.00"))
    assert ("SummaryVsExpenditure", "部门预算收支总表", "10 (out) 十、卫生健康支出", "5 预算数", "440.00", Decimal("450.00")) in got
    # 一般公共预算支出表 total changed: the 财政拨款收支总表 一般公共预算 column disagrees
    got = [w[:2] for w in _warnings(set_amount(fixed_sample(), "general_budget_expenditure", 1, 4, "1400.00"))]
    assert ("AppropriationVsFundTables", "部门预算财政拨款收支总表") in got
    # 基本支出表 total changed: the 基本支出 of the 一般公共预算支出表 disagrees
    got = [w[:2] for w in _warnings(set_amount(fixed_sample(), "general_budget_basic_expenditure", 1, 4, "891.00"))]
    assert ("GeneralBudgetBasic", "部门预算一般公共预算财政拨款支出表") in got
    # 收入总表 合计 changed: the 收支总表 收入总计 disagrees
    got = [w[:2] for w in _warnings(set_amount(fixed_sample(), "income", 1, 4, "1476.00"))]
    assert ("SummaryVsIncome", "部门预算收支总表") in got


def test_blank_total_column():
    base = list(fixed_sample())
    obs = observation(base, "expenditure", 8, 4)  # 2150502 一般行政管理事务, 合计 120.00 -> blank
    mutated = [t for t in base if t.subject != obs]
    got = [w for w in _warnings(mutated) if w[0] == "ColumnBlankTotal"]
    assert got == [("ColumnBlankTotal", "部门预算支出总表", "8 2150502 一般行政管理事务", "4 合计", "(blank)", Decimal("120.00"))]


@pytest.mark.parametrize("printed,warned", [("1036.30", False), ("1036.31", True), ("1036.27", True)])
def test_tolerance_is_half_a_unit_per_summand(printed, warned):
    # 款 21505 = 项 2150501 + 2150502 (3 figures of 2 decimals: tolerance 0.015)
    got = [w for w in _warnings(set_amount(fixed_sample(), "expenditure", 6, 4, printed)) if w[0] == "RowSum" and w[2].startswith("6 ")]
    assert bool(got) == warned


def test_tolerance_follows_printed_precision():
    # 资产总额 374.03 = 174 + 53.7 + 146.33: 174 has no decimals, so the sum is known to ±0.5
    close = set_amount(fixed_sample(), "fixed_assets", 1, 3, "374.40")
    assert not [w for w in _warnings(close) if w[1] == "部门固定资产占用情况表"]
    far = set_amount(fixed_sample(), "fixed_assets", 1, 3, "374.70")
    assert [w[:2] for w in _warnings(far) if w[1] == "部门固定资产占用情况表"] == [("RowSum", "部门固定资产占用情况表")]


def _excerpt_triples(title, header, rows):
    from budgetkg.etl.model import Document, Row, Table
    from budgetkg.etl.pipeline import Overrides, process_document
    from budgetkg.etl.to_rdf import to_rdf

    table = Table(title=title, line=1, page=1, header=header, rows=[Row(r, n, 1) for n, r in enumerate(rows, 2)])
    doc = Document("excerpt.pdf", "0" * 64, "pdf", blocks=[table], meta={"unit": "万元"})
    rec = process_document(doc, overrides=Overrides(department="烟台市统计局", year="2026", phase="budget"))
    return to_rdf(rec, base="https://budgetkg.org/")[1]


def test_a_class_printed_once_per_second_classification_totals_the_rows_below_it():
    # yantai_tjj_2026_budget_dept.pdf, page 16 (公开表6 一般公共预算基本支出情况表): 301 工资福利支出 is printed under
    # the 政府预算 class 501 (705.28) and again under 505 (746.73); each totals the 款 printed below it
    header = [["科目编码", "", "部门预算支出经济分类科目名称", "科目编码", "", "政府预算支出经济分类科目名称", "基本支出预算", "", ""],
              ["类", "款", "", "类", "款", "", "小计", "人员支出", "日常公用支出"]]
    rows = [
        ["301", "", "工资福利支出", "501", "", "机关工资福利支出", "705.28", "705.28", ""],
        ["301", "01", "基本工资", "501", "01", "工资奖金津补贴", "169.28", "169.28", ""],
        ["301", "02", "津贴补贴", "501", "01", "工资奖金津补贴", "177.68", "177.68", ""],
        ["301", "03", "奖金", "501", "01", "工资奖金津补贴", "148.84", "148.84", ""],
        ["301", "08", "机关事业单位基本养老保险缴费", "501", "02", "社会保障缴费", "69.37", "69.37", ""],
        ["301", "09", "职业年金缴费", "501", "02", "社会保障缴费", "25.00", "25.00", ""],
        ["301", "10", "职工基本医疗保险缴费", "501", "02", "社会保障缴费", "31.65", "31.65", ""],
        ["301", "11", "公务员医疗补助缴费", "501", "02", "社会保障缴费", "17.34", "17.34", ""],
        ["301", "12", "其他社会保障缴费", "501", "02", "社会保障缴费", "6.63", "6.63", ""],
        ["301", "13", "住房公积金", "501", "03", "住房公积金", "59.50", "59.50", ""],
        ["301", "", "工资福利支出", "505", "", "对事业单位经常性补助", "746.73", "746.73", ""],
        ["301", "01", "基本工资", "505", "01", "工资福利支出", "189.31", "189.31", ""],
        ["301", "02", "津贴补贴", "505", "01", "工资福利支出", "66.18", "66.18", ""],
        ["301", "03", "奖金", "505", "01", "工资福利支出", "142.68", "142.68", ""],
        ["301", "07", "绩效工资", "505", "01", "工资福利支出", "143.49", "143.49", ""],
        ["301", "08", "机关事业单位基本养老保险缴费", "505", "01", "工资福利支出", "75.96", "75.96", ""],
        ["301", "10", "职工基本医疗保险缴费", "505", "01", "工资福利支出", "34.65", "34.65", ""],
        ["301", "11", "公务员医疗补助缴费", "505", "01", "工资福利支出", "18.99", "18.99", ""],
        ["301", "12", "其他社会保障缴费", "505", "01", "工资福利支出", "10.49", "10.49", ""],
        ["301", "13", "住房公积金", "505", "01", "工资福利支出", "64.98", "64.98", ""],
    ]
    title = "一般公共预算基本支出情况表"
    assert _warnings(_excerpt_triples(title, header, rows)) == []
    rows[14][6] = "134.49"  # 绩效工资 under 505: 143.49 misprinted
    assert _warnings(_excerpt_triples(title, header, rows)) == [
        ("ColumnSum", title, "15 30107 绩效工资", "7 小计", "134.49", Decimal("143.49")),
        ("RowSum", title, "11 301 工资福利支出", "7 小计", "746.73", Decimal("737.73")),
    ]


def _shenzhen_three_public():
    """深圳 表9 财政拨款“三公”经费支出表 (page 38, tests/cases/shenzhen/three_public_by_fund): each category a
    group of 一般公共预算 | 政府性基金预算 | 国有资本经营预算 columns, the first group 总计."""
    return _excerpt("shenzhen/three_public_by_fund", "深圳市财政局")


def test_a_part_column_adds_up_with_the_total_of_its_own_fund():
    """The 2026 row prints 总计 58.46 | 0.00 | 0.00 = 因公出国(境)费 41.60 + 公务接待费 9.46 + 公务用车 小计 7.40 in the
    一般公共预算 columns, 0.00 in the others (checked on the page image): each fund's total is the sum of that
    fund's columns only, so the page is consistent. Changing one 一般公共预算 part is found against its own fund."""
    triples = _shenzhen_three_public()
    assert _warnings(triples) == []
    changed = set_amount(triples, "three_public_expenses", 2, 6, "42.60")  # 因公出国(境)费, 一般公共预算: 41.60 -> 42.60
    got = [w for w in _warnings(changed) if w[0] == "ColumnSum"]
    assert got == [("ColumnSum", "财政拨款“三公”经费支出表", "2 2026年", "3 一般公共预算", "58.46", Decimal("59.46"))]


def _excerpt(case: str, department: str):
    """One page of a corpus document (tests/cases/<template>/<case>/input.pdf) mapped; the excerpt has no cover."""
    from pathlib import Path

    from budgetkg.etl.pipeline import process_document
    from budgetkg.etl.read_pdf import read_pdf
    from budgetkg.etl.to_rdf import to_rdf

    doc = read_pdf(Path(__file__).parents[1] / "cases" / case / "input.pdf")
    doc.meta.update(department_name=department, year="2026")
    return to_rdf(process_document(doc), base="https://budgetkg.org/")[1]


def test_column_blocks_of_two_years_add_up_each_on_its_own():
    """烟台 公开表7 (p18, tests/cases/yantai/three_public_by_year): 2025年预算数 | 2026年预算数 side by side, each
    合计 14.30 = 公务用车 小计 12.50 + 公务接待费 1.80 (page image): no warning. The 2025 parts were summed under
    the 2026 total before (expected 28.6). A changed 2026 part is found against the 2026 total only."""
    triples = _excerpt("yantai/three_public_by_year", "烟台市统计局")
    assert _warnings(triples) == []
    changed = set_amount(triples, "three_public_expenses", 1, 12, "2.80")  # 2026 公务接待费 1.80 -> 2.80
    assert [w for w in _warnings(changed) if w[0] == "ColumnSum"] == [
        ("ColumnSum", "一般公共预算“三公”经费支出情况表", "1", "7 合计", "14.30", Decimal("15.30"))]


def test_prior_year_current_year_and_change_blocks_add_up_each_on_its_own():
    """西安 表13 (p39, tests/cases/xian/three_public_by_year): blocks 上年 | 当年 | 增减变化情况 over the same columns.
    Each block's “三公” 小计 is the sum of its own block's categories (合计 row: 93,000.00 = 18,000.00 + 75,000.00;
    81,000.00 = 15,000.00 + 66,000.00; -12,000.00 = -3,000.00 - 9,000.00, page image), and each 合计 the sum of its
    own block's 小计, 会议费 and 培训费 (518,400.00 = 93,000.00 + 130,000.00 + 295,400.00; 913,900.00 = 81,000.00 +
    57,900.00 + 775,000.00; 395,500.00 = -12,000.00 - 72,100.00 + 479,600.00): no warning, and never a comparison
    with the sum of the three blocks' columns."""
    triples = _excerpt("xian/three_public_by_year", "西安市统计局")
    assert [w for w in _warnings(triples) if w[0] == "ColumnSum"] == []
    # 当年 会议费 of the 合计 row 57,900.00 -> 58,900.00: only the 当年 合计 (column 12) is short, of its own block's sum
    changed = set_amount(triples, "three_public_expenses", 1, 19, "58900.00")
    got = [w for w in _warnings(changed) if w[0] == "ColumnSum"]
    assert [(w[3], w[4], w[5]) for w in got] == [("12 合计", "913900.00", Decimal("914900"))]
