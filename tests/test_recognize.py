import pytest

from budgetkg.etl.model import Table
from budgetkg.etl.recognize import recognize


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
    ],
)
def test_kind_from_title(title, kind):
    assert recognize(Table(title=title, line=1, header=[["序号", "项目", "金额"]])) == kind


def test_performance_table_from_header():
    t = Table(title="3、某项目绩效目标表", line=1, header=[["一级指标", "二级指标", "三级指标"]])
    assert recognize(t) == "performance_targets"


def test_unknown_table():
    assert recognize(Table(title="人员编制情况表", line=1, header=[["项目", "人数"]])) is None


def test_position_is_not_used():
    a = Table(title="部门预算收入总表", line=900, header=[["序号"]])
    b = Table(title="部门预算收入总表", line=1, header=[["序号"]])
    assert recognize(a) == recognize(b) == "income"
