"""Performance target tables of other templates than the Hebei sample (etl/indicators.py).

Each case of tests/cases/<template>/performance_targets/ is a page excerpt of a corpus
document (../shared/samples/corpus/) and the indicators of its projects, typed by hand from
the page images (``pdftoppm -r 110``), not from this code's output:

- xian: 西安市统计局 2026 page 40 (项目名称 / 资金金额 / 总体目标 rows above the column row, the unit
  in the indicator name: ``内审报告（篇）`` | ``1``; 成本指标 as a level 1);
- yantai: 烟台市统计局 2026 page 30 (a ``绩效指标`` label on every row, 经济成本 without 指标);
- changsha: 长沙市信访局 2026 pages 22-23 (several projects in one table, 指标值 / 度量单位 / 指标值类型
  in columns of their own, the project row repeated after the page break, unit and total rows);
- fuzhou: 福州市医疗保障局 2026 pages 28-29 (the title printed inside the ruled table; two project
  tables the reader joins into one).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from budgetkg.etl.codelists import codelists, concept_iri
from budgetkg.etl.indicators import KIND
from budgetkg.etl.model import Table, Row
from budgetkg.etl.pipeline import process_document
from budgetkg.etl.read_pdf import read_pdf
from budgetkg.etl.read_text import read_text
from budgetkg.etl.recognize import recognize

CASES = Path(__file__).parents[1] / "cases"
TEMPLATES = ("xian", "yantai", "changsha", "fuzhou")
LEVEL = "https://budgetkg.org/def/cl/indicator-level/"


def _rec(template: str):
    doc = read_pdf(CASES / template / KIND / "input.pdf")
    doc.meta.update(department_name="某市某局", year="2026")  # the excerpt has no cover
    return process_document(doc)


@pytest.fixture(scope="module", params=TEMPLATES)
def case(request):
    template = request.param
    with (CASES / template / KIND / "expected.csv").open(encoding="utf-8", newline="") as fh:
        expected = list(csv.DictReader(fh))
    return template, _rec(template), expected


def test_indicators_come_out_as_printed(case):
    template, rec, expected = case
    names = list(dict.fromkeys(row["project"] for row in expected))
    projects = rec.performance[: len(names)]  # an excerpt may end with the start of the next one
    assert [p.name for p in projects] == names
    got = []
    for p in projects:
        for i in p.indicators:
            t = i.target
            got.append({
                "project": p.name, "amount": p.amount.printed() if p.amount else "", "amount_unit": p.amount_unit or "",
                "level1": i.level1, "level2": i.level2, "level3": i.name, "target": t.text, "kind": t.kind,
                "comparator": t.comparator or "", "number": t.printed_value or "", "unit": t.unit or "",
                "deadline": t.deadline.isoformat() if t.deadline else "",
            })
    assert got == expected


def test_every_printed_level_is_a_concept(case):
    _, rec, _ = case
    for p in rec.performance:
        for i in p.indicators:
            assert i.level1_concept and i.level2_concept, (p.name, i.name)
            assert codelists().broader[i.level2_concept] == i.level1_concept, (p.name, i.name)


def test_cost_indicators_of_the_newer_framework(case):
    _, rec, _ = case
    first = rec.performance[0].indicators[0]
    assert (first.level1_concept, first.level2_concept) == (LEVEL + "costs", LEVEL + "economic-cost")


def test_project_goals_as_printed(case):
    template, rec, _ = case
    starts = {
        "xian": ["为了强化内部管理、加强资金监管"],
        "yantai": ["主要用于保障机构正常运转、完成调查任务工作。"],
        "changsha": ["根据年终考核及综合评价情况，分档次将信访工作经费调拨至各区县"],
        "fuzhou": ["根据福州市人民政府办公厅文件办理告知单", "按闽医保办【2016】29号文要求"],
    }[template]
    goals = [p.goal for p in rec.performance][: len(starts)]
    assert len(goals) == len(starts)
    assert all(g.startswith(s) for g, s in zip(goals, starts))


def test_rows_not_mapped_are_reported_with_their_page():
    rec = _rec("changsha")
    assert any(loc.page == 1 and "合计 | 417.41" in r for loc, r in rec.skipped), rec.skipped


# The project facts above the column row, read off the page images: 主管部门 (and its code), 实施单位, and
# every printed amount of the project's funds (label, measure, amount) with the execution rate's points.
FACTS = {
    "xian": ("内审服务", "西安市统计局", None, "10",
             [("实施期资金总额", True, "implementation-period", "1.50"), ("其中：财政拨款", False, "implementation-period", "1.50"),
              ("其他资金", False, "implementation-period", "0.00")]),
    "yantai": ("实施公车统管费用", "315_烟台市统计局", "烟台市统计局", None,
               [("年度预算资金总额", True, "annual", "25.00"), ("其中：财政拨款", False, "annual", "25.00"),
                ("其他资金", False, "annual", "0.00")]),
    "fuzhou": ("医保服务站工作经费", "福州市医疗保障局", "福州市医疗保障局", None,
               [("资金总额", True, "total", "968.00"), ("财政拨款", False, "total", "968.00"), ("其他资金", False, "total", "0.00")]),
}


@pytest.mark.parametrize("template", sorted(FACTS))
def test_project_facts_and_funds(template):
    name, supervisor, implementer, rate_weight, funds = FACTS[template]
    rec = _rec(template)
    (p,) = [p for p in rec.performance if p.name == name]
    assert (p.supervisor, p.implementer) == (supervisor, implementer)
    assert (p.rate_weight.printed() if p.rate_weight else None) == rate_weight
    assert [(f.label, f.total, f.measure, f.amount.printed(), f.unit) for f in p.funds] == [(*f, "万元") for f in funds]
    assert not [r for loc, r in rec.skipped if loc.page == p.page and (supervisor in r or "资金" in r)]


def test_weights_of_the_indicators():
    """西安 分值权重（90分）: the points of each indicator, read off the page image."""
    (p,) = _rec("xian").performance[:1]
    assert [(i.name, i.weight.printed(), i.weight_unit) for i in p.indicators] == [
        ("委托中介机构费（万元）", "10", "分"), ("内审报告（篇）", "20", "分"), ("内审报告合格率（%）", "10", "分"),
        ("内审开展时间（月）", "10", "分"), ("提升内部管理水平", "30", "分"), ("管控时效", "10", "分")]


def test_unit_row_of_a_multi_project_table_heads_the_projects_of_its_code():
    """长沙 p22: 126001 | 长沙市信访局 | 417.41 is the unit whose projects (单位编码 126001) follow; not a project."""
    rec = _rec("changsha")
    assert "长沙市信访局" not in [p.name for p in rec.performance]
    assert [(p.implementer, p.implementer_code) for p in rec.performance] == [("长沙市信访局", "126001")] * len(rec.performance)
    assert any("长沙市信访局" in r and "417.41 not mapped" in r for _, r in rec.skipped)
    assert not any(r.endswith("126001") for _, r in rec.skipped)


def test_department_table_funds_by_column():
    """changsha/department_targets: 长沙市信访局 2026 p30 (2026年部门整体支出绩效目标表: 单位编码 | 单位名称 | 年度预算申请:
    资金总额, 按收入性质分 一般公共预算 | 政府性基金拨款 | 财政专户管理资金 | 其他资金, 按支出性质分 基本支出 | 项目支出).
    Read off the page image: 126001 长沙市信访局 1,935.36 | 1,935.36 | (blank) x3 | 1,517.95 | 417.41."""
    doc = read_pdf(CASES / "changsha" / "department_targets" / "input.pdf")
    doc.meta.update(department_name="某市某局", year="2026")
    rec = process_document(doc)
    (p,) = rec.performance
    assert (p.implementer, p.implementer_code, p.amount.printed(), p.amount_unit) == ("长沙市信访局", "126001", "1935.36", "万元")
    assert [(f.label, f.fund, f.expenditure, f.amount.printed(), f.unit) for f in p.funds] == [
        ("一般公共预算", "一般公共预算", None, "1935.36", "万元"), ("基本支出", None, "基本支出", "1517.95", "万元"),
        ("项目支出", None, "项目支出", "417.41", "万元")]
    assert not [r for loc, r in rec.skipped if loc.page is not None]


# ---------------------------------------------------------------- short made-up excerpts


def test_column_row_below_project_facts_is_recognised():
    table = Table(title="2026年部门综合预算公开报表", line=1, header=[["项目名称", "", "某项目"]], rows=[
        Row(["资金金额(万元)", "实施期资金总额：", "1.50"], 2), Row(["总体目标", "某目标", ""], 3),
        Row(["年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值"], 4),
    ])
    assert recognize(table) == KIND


HEAD = "## 收入总表\n\n901 某市某局\n\n预算年度：2023\n\n单位：万元\n\n序号\t项目\t金额\n1\t合计\t1.00\n\n"


def test_sign_and_unit_columns_make_one_target():
    text = HEAD + ("## 某项目绩效目标表\n\n一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\n"
                   "成本指标\t经济成本指标\t总成本\t≤\t35.78\t万元\n"
                   "产出指标\t质量指标\t合格\t定性\t优\t\n"
                   "\t时效指标\t期限\t＝\t1\t年\n")
    (p,) = process_document(read_text(text)).performance
    a, b, c = (i.target for i in p.indicators)
    assert (a.text, a.kind, a.comparator, a.printed_value, a.unit) == ("≤35.78万元", "quantitative", "≤", "35.78", "万元")
    assert (b.text, b.kind) == ("优", "qualitative")
    assert (c.comparator, c.printed_value, c.unit) == ("=", "1", "年")
    assert any("指标性质 '≤'" in n for n in p.indicators[0].notes)


def test_level_cost_follows_its_column():
    text = HEAD + ("## 某项目绩效目标表\n\n一级指标\t二级指标\t三级指标\t指标值\n"
                   "产出指标\t成本指标\t单价\t≤3 元\n"
                   "成本指标\t经济成本指标\t总价\t≤9 元\n")
    (p,) = process_document(read_text(text)).performance
    old, new = p.indicators
    assert (old.level1_concept, old.level2_concept) == (concept_iri("indicator-level", "output"), concept_iri("indicator-level", "cost"))
    assert (new.level1_concept, new.level2_concept) == (concept_iri("indicator-level", "costs"), concept_iri("indicator-level", "economic-cost"))


# ---------------------------------------------------------------- project goals without indicators
# hangzhou/project_goals: 杭州市司法局 2026 page 39 (表11 市级部门项目支出绩效表: 单位名称 | 项目名称 |
# 金额 | 绩效目标, unit 万元 above the table); guangzhou/project_goals: 广州市统计局 2026 pages 24-25
# (七、重点项目预算绩效目标情况: 项目 | 预算数（单位：万元） | 绩效目标). Read off the page images.


@pytest.mark.parametrize("template,expected", [
    ("hangzhou", [("法治杭州建设", "69.00", "加快推进法治领域改革杭州实践，制定并实施年度涉外法治重点项目。"),
                  ("法治政府建设", "676.51", "推进行政立法工作科学高效，法治政府建设再上台阶，加强立法宣传工作。")]),
    ("guangzhou", [("广州市第四次全国农业普查经费", "534.72", None), ("统计专项经费", "195.19", None),
                   ("其他运行经费", "7", "通过完成各项后勤服务，为本单位统计监测和统计发展工作提供后勤支持。")]),
])
def test_project_goals_tables(template, expected):
    doc = read_pdf(CASES / template / "project_goals" / "input.pdf")
    doc.meta.update(department_name="某市某局", year="2026")
    rec = process_document(doc)
    projects = rec.performance
    got = [(p.name, p.amount.printed(), p.amount_unit, p.indicators) for p in projects[: len(expected)]]
    assert got == [(name, amount, "万元", []) for name, amount, _ in expected]
    for p, (_, _, goal) in zip(projects, expected):
        assert p.goal == goal or goal is None and p.goal.startswith("通过")


def test_project_goals_table_reads_the_unit_column():
    doc = read_pdf(CASES / "hangzhou" / "project_goals" / "input.pdf")
    doc.meta.update(department_name="某市某局", year="2026")
    rec = process_document(doc)
    assert len(rec.performance) == 17  # the rows of the page
    # the 单位名称 column: the unit that implements each project (read off the page image)
    assert [p.implementer for p in rec.performance] == ["杭州市司法局"] * 6 + ["杭州市东郊监狱"] * 5 + ["杭州市西郊监狱"] * 5 + [
        "杭州市南郊监狱"]
    assert not [r for _, r in rec.skipped if "监狱" in r or "司法局" in r]


def test_indicators_without_levels_beside_the_goal():
    """The layout of the Chongqing 市级一般性项目绩效目标表 (a project row, then its indicators below)."""
    text = HEAD + ("## 某年市级一般性项目绩效目标表\n\n序号\t项目名称\t当年财政拨款预算金额\t当年绩效目标\t指标名称\t指标性质\t指标值\t计量单位\t指标权重\n"
                   "1\t某事务管理\t26.50\t保障运转。\t发放单位\t≥\t16\t个\t20\n"
                   "\t\t\t\t培训人次\t≥\t350\t人次\t15\n")
    rec = process_document(read_text(text))
    (p,) = rec.performance
    assert (p.name, p.amount.printed(), p.goal) == ("某事务管理", "26.50", "保障运转。")
    assert [(i.level1, i.name, i.target.text, i.target.unit) for i in p.indicators] == [
        ("", "发放单位", "≥16个", "个"), ("", "培训人次", "≥350人次", "人次")]
    assert [(i.weight.printed(), i.weight_unit) for i in p.indicators] == [("20", None), ("15", None)]  # 指标权重: no scale
