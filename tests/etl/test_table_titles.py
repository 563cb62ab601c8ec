"""Which printed line is a table's title (etl/read_pdf.py) and what a performance table's project is
called (etl/indicators.py).

A section heading (第七部分 ..., 七、...), a sentence (...情况如下：) or a bracketed subtitle
(（2024年度）) above a table is not its title; a table printed without a title is untitled, unless it
continues the table of the page before, whose title it keeps. Each case is a page excerpt of a corpus
document (tests/cases/<template>/<case>/input.pdf, pages cut out of ../shared/samples/corpus/); the
expected titles, names and amounts are read off the page images (pypdfium2 renderings), not from this
code's output:

- central/subtitled_title: 国家信访局 2024 决算 pages 30-31: title 信访干部培训专项项目绩效自评表 over the
  subtitle （2024年度）; page 31 carries on the indicator rows without a title (受训学员满意率 last);
- shenzhen/section_heading: 深圳市财政局 2026 pages 11-12: heading 第七部分 重点项目预算绩效情况说明 and the
  sentence 2026年，本单位重点项目绩效目标情况如下： above an untitled table of eight projects (二级预算单位名称 |
  一级项目名称 | 预算数（万元） | 绩效目标) that goes on over page 12;
- xian/subtitled_titles: 西安市统计局 2026 pages 49-51: 表14 部门专项业务经费绩效目标表 (2026年度) with a
  项目名称 row (法律咨询服务, 3.00), 表15 部门整体支出绩效目标表 （2026年度） without one (金额合计 6210.92), its
  last rows on page 51;
- guangzhou/project_goals: 广州市统计局 2026 pages 24-25: heading 七、重点项目预算绩效目标情况 and its sentence
  at the foot of page 24, the untitled table at the top of page 25.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetkg.etl.indicators import KIND
from budgetkg.etl.model import Row, Table
from budgetkg.etl.pipeline import process_document
from budgetkg.etl.read_pdf import read_pdf
from budgetkg.etl.recognize import recognize

CASES = Path(__file__).parents[1] / "cases"

# case -> (page of the excerpt, title) of every table, in order
TITLES = {
    "central/subtitled_title": [(1, "信访干部培训专项项目绩效自评表"), (2, "信访干部培训专项项目绩效自评表")],
    "shenzhen/section_heading": [(1, "")],
    "xian/subtitled_titles": [(1, "部门专项业务经费绩效目标表"), (2, "部门整体支出绩效目标表"), (3, "部门整体支出绩效目标表")],
    "guangzhou/project_goals": [(2, "")],
}

# case -> (project name, amount as printed, unit) of every project
PROJECTS = {
    "central/subtitled_title": [("信访干部培训专项", "180.61", "万元")],
    "shenzhen/section_heading": [
        ("预决算管理业务", "18808.16", "万元"), ("财政综合管理业务", "2714.03", "万元"), ("上级转移支付项目", "2000.00", "万元"),
        ("财政监督管理业务", "1509.83", "万元"), ("信息化（财政审核）", "416.43", "万元"),
        ("信息化服务类项目（非运维服务部分）", "341.46", "万元"), ("预算准备金", "297.50", "万元"), ("综合管理", "274.16", "万元"),
    ],
    # the 部门整体 table names no project: it is the title's (without 绩效目标表); its 金额合计 6210.92 is under
    # 预算金额（万元）, read as the table's amount since its main tasks land (8bdf2c9)
    "xian/subtitled_titles": [("法律咨询服务", "3.00", "万元"), ("部门整体支出", "6210.92", "万元")],
}


def _doc(case: str):
    doc = read_pdf(CASES / case / "input.pdf")
    doc.meta.update(department_name="某市某局", year="2026")  # the excerpt has no cover
    return doc


@pytest.mark.parametrize("case", sorted(TITLES))
def test_titles_are_the_printed_ones(case):
    assert [(t.page, t.title) for t in _doc(case).tables()] == TITLES[case]


@pytest.mark.parametrize("case", ["shenzhen/section_heading", "guangzhou/project_goals"])
def test_untitled_project_goals_are_performance_tables(case):
    (table,) = _doc(case).tables()
    assert recognize(table) == KIND


def test_an_untitled_table_goes_on_over_the_page_break():
    (table,) = _doc("shenzhen/section_heading").tables()
    assert sorted({r.page for r in table.rows}) == [1, 2]


@pytest.mark.parametrize("case", sorted(PROJECTS))
def test_project_names_come_from_the_table(case):
    rec = process_document(_doc(case))
    assert [(p.name, p.amount.printed(), p.amount_unit) for p in rec.performance] == PROJECTS[case]


def test_a_continued_table_keeps_its_title_and_its_rows():
    rec = process_document(_doc("central/subtitled_title"))
    (p,) = rec.performance
    assert p.title == "信访干部培训专项项目绩效自评表"
    assert len(p.indicators) == 10  # 8 on page 1, 信访系统干部整体素质 and 受训学员满意率 on page 2
    assert (p.indicators[-1].name, p.indicators[-1].target.text, p.indicators[-1].page) == ("受训学员满意率", "≥95%", 2)


def test_a_table_continued_with_cell_text_above_it_keeps_its_title():
    rec = process_document(_doc("xian/subtitled_titles"))
    whole = rec.performance[1]
    assert len(whole.indicators) == 25  # 19 on page 2, 6 on page 3 under the cut 质量指标 text
    assert whole.indicators[-1].name == "各市级部门对统计工作的满意度（%）"


# ---------------------------------------------------------------- made-up tables


def test_header_alone_names_only_an_untitled_table():
    header = [["项目", "金额", "绩效目标"]]
    assert recognize(Table(title="", line=1, header=header, rows=[Row(["某项目", "1.00", "某目标"], 2)])) == KIND
    # a titled table with a 绩效目标 column is told by its title: this one by none of the kinds
    titled = Table(title="部门预算项目支出及其他支出预算表", line=1, header=[["支出项目类别", "总计", "绩效目标"]])
    assert recognize(titled) != KIND
