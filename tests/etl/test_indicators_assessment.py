"""What a performance table prints beside its indicators (etl/indicators.py): the project's facts and
funds above the column row, and the columns of an assessment (分值, 得分, 实际完成值, 偏差原因 ...).

central/self_evaluation: 国家信访局 2024 决算 pages 30-31 (信访干部培训专项项目绩效自评表: 主管部门 | 实施单位
in one row; 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 columns of the fund lines; 预期目标 |
实际完成情况 of the goal; 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 of each indicator; the 总分 row).
Expected values typed from the page images, not from this code's output.
"""

from __future__ import annotations

import csv
from pathlib import Path

from budgetkg.etl.pipeline import process_document
from budgetkg.etl.read_pdf import read_pdf

CASES = Path(__file__).parents[1] / "cases"


def _rec(case: str):
    doc = read_pdf(CASES / case / "input.pdf")
    doc.meta.update(department_name="某部门", year="2024", phase="决算")  # the excerpt has no cover
    return process_document(doc)


def test_self_evaluation_of_a_project():
    rec = _rec("central/self_evaluation")
    (p,) = rec.performance
    assert (p.name, p.supervisor, p.implementer) == ("信访干部培训专项", "[292] 国家信访局", "国家信访局")
    assert p.goal.startswith("1.分级分类抓好信访系统干部培训") and p.goal.endswith("提升干部业务能力。")
    assert p.achieved.startswith("1.全年开展综合班次4期") and p.achieved.endswith("充分发挥信访部门培养锻炼干部的平台作用。")
    assert (p.weight.printed(), p.score.printed()) == ("100", "98")  # the 总分 row


def test_fund_lines_of_a_self_evaluation():
    (p,) = _rec("central/self_evaluation").performance
    got = [(f.label, f.total, f.measure, f.amount.printed(), f.unit,
            *(v.printed() if v else None for v in (f.weight, f.rate, f.score))) for f in p.funds]
    measures = ("initial-budget", "full-year-budget", "executed")
    expected = []
    for label, amounts, extras in (("年度资金总额", ("180.61", "180.03", "180.03"), ("10.0", "100.00", "10")),
                                   ("其中：财政拨款", ("140.61", "140.61", "140.61"), (None, "0.0", None)),
                                   ("上年结转", ("40.00", "39.42", "39.42"), (None, "0.0", None)),
                                   ("其他资金", ("0.00", "0.00", "0.00"), (None, "0.0", None))):
        for measure, amount in zip(measures, amounts):
            expected.append((label, label == "年度资金总额", measure, amount, "万元",
                             *(extras if measure == "executed" else (None, None, None))))
    assert got == expected
    assert (p.amount.printed(), p.amount_unit) == ("180.61", "万元")


def test_assessment_columns_of_the_indicators():
    rec = _rec("central/self_evaluation")
    (p,) = rec.performance
    with (CASES / "central/self_evaluation/expected.csv").open(encoding="utf-8", newline="") as fh:
        expected = list(csv.DictReader(fh))
    got = [{
        "level1": i.level1, "level2": i.level2, "level3": i.name, "target": i.target.text, "actual": i.actual.text,
        "actual_kind": i.actual.kind, "actual_value": i.actual.printed_value or "", "actual_unit": i.actual.unit or "",
        "weight": i.weight.printed(), "score": i.score.printed(), "deviation": i.deviation,
    } for i in p.indicators]
    assert got == expected
    assert all(i.weight_unit == "分" for i in p.indicators)


def test_nothing_of_the_self_evaluation_reported_unmapped():
    rec = _rec("central/self_evaluation")
    assert [r for loc, r in rec.skipped if loc.page is not None] == []


def test_blank_form_is_one_report():
    """xian/blank_form: 西安市统计局 2026 page 52, 专项资金总体绩效目标表 printed as a blank form (field names,
    level names and ``......`` only): no project, one report with its page instead of a line per empty field."""
    rec = _rec("xian/blank_form")
    assert rec.performance == []
    assert [(loc.page, r) for loc, r in rec.skipped if loc.page is not None] == [
        (1, "performance table printed as a blank form (no project named, no target filled in); not mapped")]


def test_main_tasks_of_a_department_table():
    """xian/department_targets: 西安市统计局 2026 pages 50-51 (表15 部门整体支出绩效目标表: 部门（单位）名称; 年度主要任务 |
    任务名称 | 主要内容 | 预算金额（万元） 总额/财政拨款/其他资金 | 执行率分值（10分）; 金额合计; then the indicators
    with 分值权重（90分）). Read off the page image."""
    rec = _rec("xian/department_targets")
    (p,) = rec.performance
    assert (p.implementer, p.rate_weight.printed(), p.amount.printed(), p.amount_unit) == ("西安市统计局", "10", "6210.92", "万元")
    assert [(t.name, t.content) for t in p.tasks] == [
        ("保障人员经费", "保障人员工资及社会保障缴费支出"),
        ("保障单位日常工作运转", "保障单位日常工作运转所需的办公室、维修维护费等支出"),
        ("保障各项调查、普查任务顺利开展", "保障开展调查工作所需的劳务费等支出")]
    got = [(f.task, f.label, f.total, f.amount.printed(), f.unit) for f in p.funds]
    expected = []
    for task, amounts in ((1, ("3455.78", "3455.78", "0")), (2, ("214.33", "214.33", "0")),
                          (3, ("2540.81", "2540.81", "0")), (None, ("6210.92", "6210.92", "0"))):
        expected += [(task, label, task is None and label == "总额", amount, "万元")
                     for label, amount in zip(("总额", "财政拨款", "其他资金"), amounts)]
    assert got == expected
    assert [(i.name, i.weight.printed()) for i in p.indicators][:2] == [("清查表登记成本（元/户）", "1"), ("短表登记成本（元/户）", "2")]
    assert len(p.indicators) == 25 and p.indicators[-1].name == "各市级部门对统计工作的满意度（%）"
    assert sum(i.weight.value for i in p.indicators) == 90  # the header's 分值权重（90分）
    assert [r for loc, r in rec.skipped if loc.page is not None] == []


def test_facts_beside_the_name_and_empty_fund_lines():
    """beijing/transfer_targets: 北京市财政局 2026 p48 (预算14表 专项转移支付绩效目标表: 转移支付名称 | X | 市级主管部门 | Y
    in one row; 资金情况（万元） 年度金额：5612.000000, 其中：中央财政资金 and 其他资金 printed empty, 市级财政资金
    5612.000000). Read off the page image."""
    rec = _rec("beijing/transfer_targets")
    (p,) = rec.performance
    assert (p.name, p.supervisor, p.goal) == ("普惠金融发展专项资金", "北京市财政局", "支持重点群体和符合条件的小微企业融资发展。")
    assert [(f.label, f.total, f.measure, f.amount.printed(), f.unit) for f in p.funds] == [
        ("年度金额", True, "annual", "5612.000000", "万元"), ("市级财政资金", False, "annual", "5612.000000", "万元")]
    # only the target that reads as none of the kinds is reported
    assert [r for loc, r in rec.skipped if loc.page is not None] == [
        "指标值 '上限LPR+50BPs' not parsed (neither a number with a unit, a deadline nor a statement without figures);"
        " kept as printed text"]


def test_overview_and_supervisor_of_a_chongqing_project():
    """chongqing/performance_targets page 3 (重庆 p27 表十一: 项目名称 | 科技发展专项 | 主管部门 | 重庆市科学技术局; 当年预算
    109,703.00 | 市级支出 109,703.00 | 补助区县 printed empty; 项目概况). Read off the page image."""
    doc = read_pdf(CASES / "chongqing/performance_targets/input.pdf")
    doc.meta.update(department_name="某市某局", year="2026")
    rec = process_document(doc)
    p = next(p for p in rec.performance if p.name == "科技发展专项")
    assert p.supervisor == "重庆市科学技术局"
    assert p.overview.startswith("贯彻落实党的二十大和二十届历次全会精神") and p.overview.endswith("奋力打造具有全国影响力的科技创新中心。")
    assert [(f.label, f.total, f.amount.printed(), f.unit) for f in p.funds] == [
        ("当年预算", True, "109703.00", "万元"), ("市级支出", False, "109703.00", "万元")]
    assert not [r for loc, r in rec.skipped if loc.page == 3]


def test_self_evaluation_as_triples():
    """The records above as the graph states them: the executed amount of the total line with its weight, rate and
    score; an indicator's weight (points), score and value achieved; the project's 总分."""
    from decimal import Decimal

    import rdflib

    from budgetkg.etl.to_rdf import to_graph

    g = to_graph(_rec("central/self_evaluation"), base="https://budgetkg.org/")
    B = rdflib.Namespace("https://budgetkg.org/def/budget#")
    executed = [n for n in g.subjects(B.amountMeasure, rdflib.Literal("executed"))
                if g.value(n, B.printedLabel) == rdflib.Literal("年度资金总额", lang="zh")]
    (line,) = executed
    assert [g.value(line, p).toPython() for p in (B.amount, B.weight, B.executionRate, B.score)] == [
        Decimal("180.03"), Decimal("10.0"), Decimal("100.00"), Decimal("10")]
    assert str(g.value(line, B.fundSource)).endswith("/fund-source/_T")
    ind = g.value(predicate=B.indicatorName, object=rdflib.Literal("培训人数", lang="zh"))
    assert [g.value(ind, p).toPython() for p in (B.targetText, B.actualText, B.actualValue, B.actualUnit, B.weight, B.weightUnit, B.score)] == [
        "≥300人", "366人", Decimal("366"), "人", Decimal("6"), "分", Decimal("6")]
    project = g.value(ind, B.project)
    assert (g.value(project, B.weight).toPython(), g.value(project, B.score).toPython()) == (Decimal("100"), Decimal("98"))
    assert str(g.value(project, B.supervisingDepartment)) == "[292] 国家信访局"


def test_a_unit_printed_alone_at_the_end_of_the_organisation_line():
    """湖州 表11 项目支出绩效表 (p32): ``341-湖州市财政局`` at the left and ``万元`` alone at the right of the
    line above the table, without 单位：; every project's 金额 is in 万元 (read from the page image)."""
    doc = read_pdf(CASES / "huzhou/project_goals_bare_unit" / "input.pdf")
    (table,) = doc.tables()
    assert table.meta["unit"] == "万元"
    assert not any("341" in str(b) for b in doc.blocks if b is not table)  # the line is the table's, not text
    doc.meta.update(department_name="湖州市财政局", year="2026")  # the excerpt has no cover
    rec = process_document(doc)
    got = [(p.name, p.amount.printed(), p.amount_unit) for p in rec.performance]
    assert got == [("财政服务综合业务管理", "120.00", "万元"), ("财政票据综合管理", "10.00", "万元"),
                   ("市级预算项目评审", "371.00", "万元"), ("财政管理与改革", "110.00", "万元"),
                   ("财政事务综合业务管理", "355.00", "万元"), ("信息化建设与运维", "113.75", "万元"),
                   ("全市会计人员考培", "187.00", "万元")]
