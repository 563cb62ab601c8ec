"""Performance target tables cut or joined by page breaks (etl/indicators.py).

Each case of tests/cases/<template>/<case>/ is a page excerpt of a corpus document
(../shared/samples/corpus/) with the indicators of its projects, typed by hand from the page
images (pypdfium2, scale 1.4), not from this code's output:

- fuzhou/performance_targets_split: 福州市医疗保障局 2026 pages 26-27 (the first rows of a project
  table, 项目名称 with a name broken by the page break, at the bottom of page 26; the rest, from the
  last character of the name, on page 27);
- fuzhou/performance_targets_same_title: the same document, pages 37-38 (two tables of one title,
  综合工作经费项目绩效目标表, and one project name, for two implementing units: the reader joins them
  and drops the second 项目名称 row as a repeated header);
- beijing/department_targets (typed in test_indicators_without_levels): 北京市财政局 2026 报表 pages 43-45,
  the 部门整体支出绩效目标表 of page 44 continued on page 45 by a grid of only its 5 labelled columns
  (活动 | 绩效指标 | 指标性质 | 指标值 | 度量单位; the blank ones left of them are not cut there);
- beijing/project_targets: 北京市财政局 2026 报表 pages 16-20 (16 only so that the title of 17 is no cover; 预算12表
  项目支出绩效目标表: 项目名称, 项目总额, 财政资金, 其他资金 and 绩效目标 merged down over each project's indicator rows,
  and over the page break: the project 企业财务会计决算报表工作服务 has 4 indicators at the foot of page 17, where its
  name is clipped away, and 4 at the top of page 18, where its name and amount are printed; the grids of pages
  18-20 have no rule above those columns; expected.csv holds that project);
- central/open_merged_cells: 国家信访局 2024 决算 pages 35-36 (信息化运行维护项目绩效自评表: the 一级指标 产出指标
  and the 二级指标 质量指标 are merged cells going on over the page break, printed without a bottom rule on
  page 35; page 36 prints only the columns from 二级指标 on).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from budgetkg.etl.pipeline import process_document
from budgetkg.etl.read_pdf import read_pdf
from budgetkg.etl.recognize import UNKNOWN_KIND

CASES = Path(__file__).parents[1] / "cases"


def _rec(case: str):
    doc = read_pdf(CASES / case / "input.pdf")
    doc.meta.update(department_name="某市某局", year="2026")  # the excerpt has no cover
    return process_document(doc)


def _got(projects) -> list[dict]:
    return [{
        "project": p.name, "amount": p.amount.printed() if p.amount else "", "amount_unit": p.amount_unit or "",
        "level1": i.level1, "level2": i.level2, "level3": i.name, "target": i.target.text, "kind": i.target.kind,
        "comparator": i.target.comparator or "", "number": i.target.printed_value or "", "unit": i.target.unit or "",
        "deadline": i.target.deadline.isoformat() if i.target.deadline else "",
    } for p in projects for i in p.indicators]


@pytest.mark.parametrize("case", ["fuzhou/performance_targets_split", "fuzhou/performance_targets_same_title",
                                  "central/open_merged_cells"])
def test_indicators_come_out_as_printed(case):
    with (CASES / case / "expected.csv").open(encoding="utf-8", newline="") as fh:
        expected = list(csv.DictReader(fh))
    rec = _rec(case)
    assert _got(rec.performance) == expected


def test_head_cut_by_the_page_break_is_read_with_its_table():
    rec = _rec("fuzhou/performance_targets_split")
    (p,) = rec.performance
    assert (p.page, p.goal) == (1, "2026年医疗服务与保障能力提升补助资金")  # the name stands on the first page
    assert not any(r.startswith(UNKNOWN_KIND) for _, r in rec.skipped)
    assert any("ends the project name" in r for r in rec.doc.repairs)


def test_fact_row_below_indicators_starts_the_next_project():
    rec = _rec("fuzhou/performance_targets_same_title")
    first, second = rec.performance
    assert first.goal.startswith("保证临时聘用人员的工资等待遇刚需需求") and first.page == 1
    assert (second.goal, second.page) == ("保证费用及时、准确支付。", 2)
    # the implementing unit of the second project, printed on its own page
    assert second.implementer == "福州市医疗保障服务行为监测中心"


def test_table_continued_without_its_blank_columns_joins_the_project():
    rec = _rec("beijing/department_targets")
    (p,) = rec.performance
    on_page = [i.page for i in p.indicators]
    assert (on_page.count(2), on_page.count(3)) == (14, 22)
    last = p.indicators[-1]
    assert (last.level1, last.level2, last.name, last.target.text) == ("产出指标", "质量指标", "总会计全年核算会计凭证", "≥4000")
    assert not any(loc.page == 3 and r.startswith(UNKNOWN_KIND) for loc, r in rec.skipped)
    # the 活动 cells on the continued page land in the column of their rank too
    assert any(i.page == 3 and i.activity == "国库管理" for i in p.indicators)
    assert not any(loc.page == 3 and "国库管理" in r for loc, r in rec.skipped)


def test_continued_table_of_other_columns_is_not_joined():
    from budgetkg.etl.model import Document, Row, Table


    column_row = ["活动", "", "绩效指标", "", "指标性质", "指标值", "度量单位"]
    first = Table(title="某表绩效目标表", line=1, page=1, header=[column_row],
                  rows=[Row(["甲", "", "产出指标数量指标某数", "", "≥", "1", "个"], 2, 1)])
    other = Table(title="某表绩效目标表", line=3, page=2, rows=[Row(["乙", "产出指标数量指标另数", "≥", "2"], 3, 2)])
    doc = Document(path="x.txt", sha256="0" * 64, fmt="text", blocks=[first, other], meta={"department_name": "某市某局", "year": "2026"})
    rec = process_document(doc)
    (p,) = rec.performance
    assert [i.name for i in p.indicators] == ["某数"]  # four cells for five labelled columns: not this table's rows
    assert any(loc.page == 2 and r.startswith(UNKNOWN_KIND) for loc, r in rec.skipped)


def test_continued_table_with_its_row_label_column():
    """The layout of 北京 报表 page 47: the last page of the table prints the row-label column again
    (整体绩效目标, a merged cell) left of the labelled columns, and the reader took its first rows as a header."""
    from budgetkg.etl.model import Document, Row, Table

    column_row = ["", "活动", "", "绩效指标", "", "指标性质", "指标值", "", "度量单位"]
    first = Table(title="某表绩效目标表", line=1, page=1, header=[column_row],
                  rows=[Row(["", "甲", "", "产出指标数量指标某数", "", "≥", "1", "", "个"], 2, 1)])
    last = Table(title="某表绩效目标表", line=3, page=2, header=[["整体绩效目标", "", "", "", "", ""],
                                                                ["", "乙", "效益指标社会效益指标某效", "定性", "优", ""]],
                 rows=[Row(["", "乙", "产出指标时效指标某时", "≤", "20", "日"], 5, 2)])
    doc = Document(path="x.txt", sha256="0" * 64, fmt="text", blocks=[first, last],
                   meta={"department_name": "某市某局", "year": "2026"})
    rec = process_document(doc)
    (p,) = rec.performance
    assert [(i.level1, i.level2, i.name, i.target.text) for i in p.indicators] == [
        ("产出指标", "数量指标", "某数", "≥1个"), ("效益指标", "社会效益指标", "某效", "优"), ("产出指标", "时效指标", "某时", "≤20日")]
    assert any("整体绩效目标" in r and "left out" in r for r in doc.repairs)
    assert not any("without a 一级指标" in r for _, r in rec.skipped)


def test_merged_cell_open_at_the_foot_of_the_page_keeps_its_text():
    rec = _rec("central/open_merged_cells")
    assert sum("merged cell left open at the foot of the page" in r for r in rec.doc.repairs) == 2
    # every level a concept, under its own level 1 (the lost 产出指标 made them inherit 成本指标)
    assert not any("does not belong" in r for _, r in rec.skipped)


def test_project_merged_over_the_page_break():
    rec = _rec("beijing/project_targets")
    # name, amount and indicator rows of each project, from the page images (the last goes on after page 20)
    assert [(p.name.split("-")[1], p.amount.printed(), p.amount_unit, len(p.indicators)) for p in rec.performance] == [
        ("评审工作经费", "839.000000", "万元", 10), ("企业财务会计决算报表工作服务", "67.700000", "万元", 8),
        ("财政监督业务服务", "316.976900", "万元", 9), ("决算管理工作服务", "54.320000", "万元", 14),
        ("北京市政府财务报告工作服务", "40.600000", "万元", 14), ("预算绩效管理服务", "670.428000", "万元", 8)]
    with (CASES / "beijing/project_targets/expected.csv").open(encoding="utf-8", newline="") as fh:
        expected = list(csv.DictReader(fh))
    (cut,) = [p for p in rec.performance if p.name == expected[0]["project"]]
    assert _got([cut]) == expected
    assert cut.goal == "组织完成本市国有企业财务会计决算报告上报工作，决算报告相关数据供相关决策者参考。"
    assert [i.page for i in cut.indicators] == [2] * 4 + [3] * 4
    assert any(r.startswith("page 3: '11000022T000000456408-企业财务会计决算报表工作服务' at the top of the page ends the cell")
               for r in rec.doc.repairs)
    # the continued pages are read with the table, not reported as tables of an unknown kind
    assert not any(r.startswith(UNKNOWN_KIND) for loc, r in rec.skipped if loc.page and loc.page > 1)


def test_cells_merged_over_three_pages(shared_dir):
    """北京市财政局 2026 报表 (the corpus document): the project 会计管理业务服务 starts in the last row of page 22, fills
    page 23 (its cells 项目名称 ... 绩效目标 without a rule above or below them there) and ends in the first row of
    page 24; 行政事业单位国有资产数据审核服务 starts under a full rule on page 40 and ends on page 41. Rows and
    texts from the page images."""
    doc = read_pdf(shared_dir / "samples" / "corpus" / "beijing_czj_2026_budget_dept_tables.pdf")
    doc.meta.update(department_name="北京市财政局", year="2026")  # the attachment has no cover
    rec = process_document(doc)
    by_name = {p.name.split("-", 1)[1]: p for p in rec.performance if p.page and 17 <= p.page <= 43}
    three = by_name["会计管理业务服务"]
    assert (three.name, three.amount.printed(), three.page) == ("11000022T000000457215-会计管理业务服务", "37.400000", 22)
    assert [i.page for i in three.indicators] == [22] + [23] * 13 + [24]
    first, last = three.indicators[0], three.indicators[-1]
    assert (first.level1, first.level2, first.name, first.target.text) == ("效益指标", "社会效益指标", "提升北京单位会计信息化建设水平", "优")
    assert (last.level1, last.level2, last.name, last.target.text) == ("满意度指标", "服务对象满意度指标", "咨询对象满意率", "≥99%")
    assert three.goal.startswith("为北京市会计人员提供政策咨询及管理服务。") and three.goal.endswith("会计人才培养等工作。")
    two = by_name["行政事业单位国有资产数据审核服务"]
    assert (two.amount.printed(), [i.page for i in two.indicators]) == ("351.860000", [40] * 13 + [41] * 3)
    # 预算12表 is one table: no page of it is a table of an unknown kind
    assert not any(r.startswith(UNKNOWN_KIND) for loc, r in rec.skipped if loc.page and 17 <= loc.page <= 43)
