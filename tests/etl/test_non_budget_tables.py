"""Tables that are not budget tables are said for what they are, never as tables of an unknown kind (issue 12:
nothing silently dropped, an unknown table reported with its page).

- tests/cases/xian/contents: 西安市统计局 2026 p25, 报表目录 (报表 | 报表名称 | 是否空表 | 表格为空的理由), the
  document's own list of its 16 tables: a contents page, said once in the summary (at its page) with what it lists and what
  of it was not among the tables read.
- tests/cases/central/evaluation_scores: 国家信访局 2024 决算 p48, 表2：综合评价得分情况表 (一级指标 | 分值 | 得分 |
  得分率) inside an annexed evaluation report: the scores of a performance evaluation, reported as such.

The listed titles were read off the page image (rendered with pypdfium2).
"""

from __future__ import annotations

from pathlib import Path

from budgetkg.etl.contents import listed
from budgetkg.etl.pipeline import Overrides, process_document
from budgetkg.etl.read_pdf import read_pdf
from budgetkg.etl.recognize import UNKNOWN_KIND, recognize

CASES = Path(__file__).parents[1] / "cases"

# 报表 | 报表名称 of 西安 p25, as printed (the 是否空表 column says 是 for 表9, 表11 and 表16)
XIAN_LISTED = [
    "表1 部门综合预算收支总表", "表2 部门综合预算收入总表", "表3 部门综合预算支出总表", "表4 部门综合预算财政拨款收支总表",
    "表5 部门综合预算一般公共预算支出明细表（按支出功能分类科目）", "表6 部门综合预算一般公共预算支出明细表（按支出经济分类科目）",
    "表7 部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）",
    "表8 部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）", "表9 部门综合预算政府性基金收支表",
    "表10 部门综合预算专项业务经费支出表", "表11 部门综合预算财政拨款上年结转资金支出表",
    "表12 部门综合预算政府采购（资产配置、购买服务）预算表",
    "表13 部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表", "表14 部门专项业务经费绩效目标表",
    "表15 部门整体支出绩效目标表", "表16 专项资金总体绩效目标表",
]


def _processed(case: str, department: str, year: str):
    return process_document(read_pdf(CASES / case / "input.pdf"), overrides=Overrides(department=department, year=year))


def test_a_list_of_tables_is_a_contents_page():
    doc = read_pdf(CASES / "xian" / "contents" / "input.pdf")
    (table,) = doc.tables()
    assert recognize(table) == "contents"
    assert [" ".join(t.split()) for t in listed(table)] == XIAN_LISTED


def test_a_contents_page_is_said_once_with_what_was_not_read():
    rec = _processed("xian/contents", "西安市统计局", "2026")
    assert not [s for s in rec.skipped if s.reason.startswith(UNKNOWN_KIND)]
    (item,) = [s for s in rec.skipped if "contents page" in s.reason]
    # the excerpt is the contents page alone: none of the 16 tables it lists was read
    assert item.location.page == 1 and item.reason.startswith("a contents page listing 16 tables")
    note = item.reason
    assert "表9 部门综合预算政府性基金收支表" in note and "表16 专项资金总体绩效目标表" in note


def test_the_scores_of_an_evaluation_are_reported_as_such():
    rec = _processed("central/evaluation_scores", "国家信访局", "2024")
    assert rec.tables == []
    (skipped,) = [s for s in rec.skipped if s.location.table]
    assert skipped.location.page == 1 and skipped.location.table == "表2：综合评价得分情况表"
    assert "performance evaluation" in skipped.reason and not skipped.reason.startswith(UNKNOWN_KIND)
