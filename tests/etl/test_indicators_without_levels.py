"""Performance target tables without 一级/二级指标 columns (etl/indicators.py).

Each case of tests/cases/<template>/<case>/ is a page excerpt of a corpus document
(../shared/samples/corpus/) with the indicators of its projects, typed by hand from the page
images (pypdfium2, scale 1.4), not from this code's output:

- chongqing/performance_targets: 重庆市科学技术局 2026 pages 25-27 (page 25 only so that the title of page 26
  is no cover; 表十 部门整体绩效目标表: 当年整体绩效目标
  with its text in the row below; 表十一 市级重点专项资金绩效目标表: 项目名称, 当年预算, 当年绩效目标 rows;
  then 绩效指标 | 指标名称 | 指标性质 | 指标值 | 计量单位 | 指标权重 | 是否核心, no levels);
- beijing/department_targets: 北京市财政局 2026 报表 pages 43-45 (43 only so that the title of 44 is no
  cover; 45 continues the table of 44 without its blank columns, see test_indicators_page_breaks; 预算13表 部门整体支出绩效目标表: 活动 |
  绩效指标 | 指标性质 | 指标值 | 度量单位, the 绩效指标 cell printing 一级指标, 二级指标 and the name in one
  run: 产出指标数量指标财政评审项目数量).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from budgetkg.etl.codelists import codelists
from budgetkg.etl.pipeline import process_document
from budgetkg.etl.read_pdf import read_pdf

from .test_indicators_page_breaks import _got

CASES = Path(__file__).parents[1] / "cases"
LEVEL = "https://budgetkg.org/def/cl/indicator-level/"


def _rec(case: str):
    doc = read_pdf(CASES / case / "input.pdf")
    doc.meta.update(department_name="某市某局", year="2026")  # the excerpt has no cover
    return process_document(doc)


@pytest.mark.parametrize("case", ["chongqing/performance_targets", "beijing/department_targets"])
def test_indicators_come_out_as_printed(case):
    with (CASES / case / "expected.csv").open(encoding="utf-8", newline="") as fh:
        expected = list(csv.DictReader(fh))
    assert _got(_rec(case).performance) == expected


def test_goals_and_weights_without_levels():
    rec = _rec("chongqing/performance_targets")
    whole, project = rec.performance
    assert whole.goal.startswith("提质建设“416”科技创新布局") and whole.goal.endswith("确保财政科技资金使用效率和使用效益。")
    assert project.goal.startswith("2026年布局关键技术不少于260项")
    assert all(i.level1_concept is None and i.level2_concept is None for p in rec.performance for i in p.indicators)
    # 指标权重(%) and 是否核心 of the project (page 3 of the excerpt, read off the page image)
    assert [(i.name, i.weight.printed(), i.weight_unit, i.core) for i in project.indicators] == [
        ("技术合同成交额", "20", "%", True), ("布局关键技术", "30", "%", True), ("获批国家自然基金项目数量", "20", "%", True),
        ("带动企业研发投入", "10", "%", False), ("实施科技传播与普及项目惠及受众", "10", "%", False),
        ("年度预算执行率", "10", "%", False)]


def test_levels_printed_before_the_name_are_concepts():
    (p,) = _rec("beijing/department_targets").performance
    assert p.goal.startswith("继续落实积极财政政策")
    first, social = p.indicators[0], p.indicators[4]
    assert (first.level1_concept, first.level2_concept) == (LEVEL + "output", LEVEL + "quantity")
    assert (social.level1_concept, social.level2_concept) == (LEVEL + "outcome", LEVEL + "social")
    assert any("split off" in n for n in first.notes)


def test_department_table_funds_and_activities():
    """预算13表 (page image of 北京市财政局 2026 p44): 部门名称, the 总体资金情况（万元） block (预算支出总额, then 合计 |
    基本支出 | 项目支出 under 财政拨款 and under 其他资金, the latter printed empty) and the 活动 of each indicator."""
    rec = _rec("beijing/department_targets")
    (p,) = rec.performance
    assert p.implementer == "北京市财政局"
    assert [(f.label, f.total, f.fund, f.expenditure, f.amount.printed(), f.unit) for f in p.funds] == [
        ("预算支出总额", True, "预算支出总额", None, "44169.357532", "万元"),
        ("财政拨款/合计", False, "财政拨款", "合计", "44169.357532", "万元"),
        ("财政拨款/基本支出", False, "财政拨款", "基本支出", "28016.258321", "万元"),
        ("财政拨款/项目支出", False, "财政拨款", "项目支出", "16153.099211", "万元")]
    assert [i.activity for i in p.indicators[:8]] == ["预算评审"] * 5 + ["会计考试及会计管理"] * 2 + ["资产管理"]
    assert not [r for loc, r in rec.skipped if loc.page in (2, 3) and ("资金" in r or "预算评审" in r or "其他说明" in r)]


@pytest.mark.parametrize("text,expected", [
    ("成本指标经济成本指标培训住宿费", ("成本指标", "经济成本指标", "培训住宿费")),
    ("效益指标可持续影响指标项目持续发挥作用的期限", ("效益指标", "可持续影响指标", "项目持续发挥作用的期限")),
    ("满意度调查覆盖率", None),  # 满意度 is a level-1 label, but no level 2 follows: a name
    ("产出指标数量指标", None),  # levels without a name
])
def test_levels_in_name(text, expected):
    from budgetkg.etl.indicators import _levels_in_name
    assert _levels_in_name(codelists(), text) == expected
