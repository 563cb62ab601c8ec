import pytest

from budgetkg.etl.model import Table
from budgetkg.etl.recognize import classify, recognize

# A header of a table classified by code (what 收入总表, 支出总表 ... must print).
CLASSIFIED = [["科目编码", "科目名称", "合计"]]


@pytest.mark.parametrize(
    "title,kind",
    [
        ("部门预算收支总表", "income_expenditure_summary"),
        ("2026年部门财务收支预算总表", "income_expenditure_summary"),
        ("收入支出决算总表", "income_expenditure_summary"),
        ("部门预算收入总表", "income"),
        ("收入决算表", "income"),
        ("部门预算支出总表", "expenditure"),
        ("支出决算表", "expenditure"),
        ("部门预算财政拨款收支总表", "appropriation_summary"),
        ("财政拨款收入支出决算总表", "appropriation_summary"),
        ("部门预算一般公共预算财政拨款支出表", "general_budget_expenditure"),
        ("2026年部门一般公共预算支出功能分类预算表", "general_budget_expenditure"),
        ("部门预算一般公共预算财政拨款基本支出表", "general_budget_basic_expenditure"),
        ("2026年部门一般公共预算基本支出部门预算经济分类预算表", "general_budget_basic_expenditure"),
        ("部门预算政府基金预算财政拨款支出表", "government_fund_expenditure"),
        ("政府性基金预算财政拨款收入支出决算表", "government_fund_expenditure"),
        ("国有资本经营预算财政拨款支出决算表", "state_capital_expenditure"),
        ("部门预算财政拨款“三公”经费支出表", "three_public_expenses"),
        ("“三公”经费和机关运行经费预算表", "three_public_expenses"),
        ("部门政府采购预算", "government_procurement"),
        ("部门固定资产占用情况表", "fixed_assets"),
        # the 收支总体情况表 family (Guangdong, Shandong, Chongqing, Hunan), as printed in the corpus
        ("收支总体情况表", "income_expenditure_summary"),
        ("2026年部门收入总体情况表", "income"),
        ("本年支出总体情况表", "expenditure"),
        ("2026年财政拨款收支总体情况表", "appropriation_summary"),
        ("一般公共预算支出情况表（按功能分类科目）", "general_budget_expenditure"),
        ("一般公共预算基本支出情况表（按经济分类科目）", "general_budget_basic_expenditure"),
        # table numbers before the title, the year moved to its end
        ("公开02表：收入预算总表", "income"),
        ("预算01表 收支总表", "income_expenditure_summary"),
        ("年一般公共预算支出情况表2026", "general_budget_expenditure"),
        ("2026年市级部门一般公共预算\"三公\"经费支出表", "three_public_expenses"),
        ("公开 11表：一般公共预算机关运行经费支出预算表", "administrative_expenses"),  # Jiangsu 公开11表
        ("一般公共预算项目支出情况表（按经济分类科目）", "general_budget_project_expenditure"),  # Guangzhou 表7
        ("部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）", "general_budget_basic_expenditure_by_function"),  # Xi'an 表7
        ("部门综合预算一般公共预算支出明细表（按支出经济分类科目）", "general_budget_expenditure_by_economic_class"),  # Xi'an 表6
        ("部门综合预算财政拨款上年结转资金支出表", "appropriation_carryover_expenditure"),  # Xi'an 表11
    ],
)
def test_kind_from_title(title, kind):
    assert recognize(Table(title=title, line=1, header=CLASSIFIED)) == kind


@pytest.mark.parametrize(
    "title",
    [
        "部门预算基本支出预算表",  # basic expenditure by unit and economic 类 (Guangzhou 表11)
        "部门预算项目支出及其他支出预算表",  # projects by unit (Guangzhou 表12)
        "基本支出总表",  # Shenzhen 表4
    ],
)
def test_other_tables_are_not_taken_for_a_kind(title):
    assert recognize(Table(title=title, line=1, header=CLASSIFIED)) is None


def test_a_classified_kind_needs_its_code_columns():
    """A 基本支出预算表 by unit (no 科目 column) is not the 支出总表 by functional class."""
    assert recognize(Table(title="部门支出预算表", line=1, header=[["单位名称", "合计", "基本支出"]])) is None
    assert recognize(Table(title="部门支出预算表", line=1, header=CLASSIFIED)) == "expenditure"
    # the 收入总表 is printed by unit too (Beijing 预算02表, Guangzhou 表2): no column is required
    assert recognize(Table(title="部门预算收入总表", line=1, header=[["单位名称", "合计", "财政拨款"]])) == "income"


def test_tie_is_reported_not_guessed():
    found = classify(Table(title="收入总表 支出总表", line=1, header=CLASSIFIED))
    assert found.kind is None
    assert found.candidates == {"income": 4, "expenditure": 4}
    assert "ambiguous: expenditure and income fit equally" in found.reason


def test_unknown_reason():
    assert "unknown kind" in classify(Table(title="人员编制情况表", line=1, header=[["项目", "人数"]])).reason


def test_performance_table_from_header():
    t = Table(title="3、某项目绩效目标表", line=1, header=[["一级指标", "二级指标", "三级指标"]])
    assert recognize(t) == "performance_targets"


def test_unknown_table():
    assert recognize(Table(title="人员编制情况表", line=1, header=[["项目", "人数"]])) is None


def test_position_is_not_used():
    a = Table(title="部门预算收入总表", line=900, header=[["序号", "科目名称"]])
    b = Table(title="部门预算收入总表", line=1, header=[["序号", "科目名称"]])
    assert recognize(a) == recognize(b) == "income"


def test_an_evaluation_score_table_is_no_target_table():
    # 国家信访局 2024 部门决算, page 48 (the annexed evaluation report): '表 2：综合评价得分情况表' prints
    # 一级指标 | 分值 | 得分 | 得分率 (决策 20 17.90 89.50% ...): scores, no targets (a kind reported as not a budget
    # table: tests/etl/test_non_budget_tables.py); its 表 1 (page 46) is targets.
    score = Table(title="表2：综合评价得分情况表", line=1, header=[["一级指标", "分值", "得分", "得分率"]])
    assert recognize(score) == "evaluation_scores"
    targets = Table(title="表1：项目年度绩效指标表", line=1, header=[["一级指标", "二级指标", "三级指标", "指标值"]])
    assert recognize(targets) == "performance_targets"


def test_the_general_budget_by_economic_class_with_a_basic_column_is_the_basic_expenditure_table():
    """深圳 表8 一般公共预算支出表（按经济分类） (p34) prints 支出总计 | 基本支出 | 项目支出 by economic class: the
    document's only table of general-budget basic expenditure by economic class. Without a 基本支出 column (福州
    一般公共预算支出经济分类情况表: 预算数 only; 西安 表6: 人员经费支出 | 公用经费支出 | 专项业务经费支出) it is the
    general budget's expenditure by economic class, of all types."""
    header = [["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"]]
    assert recognize(Table(title="一般公共预算支出表（按经济分类）", line=1, header=header)) == "general_budget_basic_expenditure"
    assert recognize(Table(title="2026年度一般公共预算支出经济分类情况表", line=1,
                           header=[["科目编码", "科目名称", "预算数"]])) == "general_budget_expenditure_by_economic_class"
    assert recognize(Table(title="部门综合预算一般公共预算支出明细表（按支出经济分类科目）", line=1,
                           header=[["部门经济科目编码", "部门经济科目名称", "合计", "人员经费支出", "公用经费支出",
                                    "专项业务经费支出"]])) == "general_budget_expenditure_by_economic_class"
    # a table of projects only is not the basic expenditure, whatever its columns
    assert recognize(Table(title="一般公共预算项目支出情况表（按经济分类科目）", line=1, header=header)) == (
        "general_budget_project_expenditure")
