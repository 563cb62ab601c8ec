"""Fund sources besides the appropriation that templates print as one group: 其他资金 (fund-source/other-funds,
the parent of unit-funds) and 使用非财政拨款结余 (fund-source/non-appropriation-balance, a source of its own
beside 上年结转).

Each case of tests/cases/<template>/<case>/ is cut from a corpus document; the expected cells were read off
the page images (rendered with pypdfium2), not from the code's output:

- guangzhou/project_list_other_funds: 广州市统计局 2026 page 21 (表12 部门预算项目支出及其他支出预算表, 万元):
  总计 | 财政拨款 (合计, 一般公共预算, 政府性基金预算, 国有资本经营预算) | 财政专户拨款 | 其他资金 | 绩效目标.
- yantai/income_by_fund: 烟台市统计局 2026 page 8 (公开表2 收入总体情况表, 万元): ... 附属单位上缴收入 |
  使用非财政拨款结余 | 上年结转, both last columns printed empty.
- jiangsu/other_funds: 江苏省人民检察院 2018 pages 13, 14 and 23 (公开01表 收支预算总表: 三、其他资金 14.39; the
  explanation: 2．其他资金收入预算总计 14.39 万元).
- beijing/project_targets: 北京市财政局 2026 报表 pages 16-20 (预算12表 项目支出绩效目标表 from page 17: 项目名称 |
  项目总额 | 其中： over 财政资金 | 其他资金 | 绩效目标 | 一级指标 ..., 金额单位：万元).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from budgetkg.etl.codelists import codelists, concept_iri
from budgetkg.etl.narrative_figures import read_figures
from budgetkg.etl.pipeline import Overrides, process_document
from budgetkg.etl.read_pdf import read_pdf
from budgetkg.etl.read_text import read_text

CASES = Path(__file__).parents[1] / "cases"


def _fs(notation: str) -> str:
    return concept_iri("fund-source", notation)


def _rec(case: str, department: str, year: str):
    doc = read_pdf(CASES / case / "input.pdf")
    return process_document(doc, overrides=Overrides(department=department, year=year, phase="budget"))


def test_other_funds_is_the_parent_of_the_units_own_funds():
    lists = codelists()
    assert lists.match("fund-source", "其他资金") == _fs("other-funds")
    assert lists.lineage(_fs("other-income")) == [_fs("other-income"), _fs("unit-funds"), _fs("other-funds"),
                                                  _fs("current-year")]
    # the use of non-appropriation balances is neither the year's income nor the carry-over
    assert lists.lineage(_fs("non-appropriation-balance")) == [_fs("non-appropriation-balance")]
    assert lists.label(_fs("other-funds"), "en") == "Other funds"


def test_guangzhou_project_list_other_funds_column():
    (t,) = _rec("guangzhou/project_list_other_funds", "广州市统计局", "2026").tables
    assert t.key == "project_expenditure" and t.unit == "万元"
    funds = {c.label: c.dims.get("fundSource") for c in t.columns if c.role == "amount"}
    assert funds["其他资金"] == _fs("other-funds")
    assert funds["财政专户拨款"] == _fs("fiscal-special-account")
    cells = {(o.item.label, o.dims["fundSource"]): o.amount.value for o in t.observations}
    # 总计 = 财政拨款 合计 + 财政专户拨款 + 其他资金, as printed
    for row, total, appropriation, other in [("合计", "1082.05", "1032.05", "50.00"),
                                             ("广州市统计局", "1075.05", "1025.05", "50.00"),
                                             ("上级拨入专项调查经费", "50.00", "0.00", "50.00"),
                                             ("统计专项经费", "195.19", "195.19", "0.00")]:
        assert cells[(row, _fs("_T"))] == Decimal(total)
        assert cells[(row, _fs("appropriation"))] == Decimal(appropriation)
        assert cells[(row, _fs("other-funds"))] == Decimal(other)
        assert cells[(row, _fs("fiscal-special-account"))] == Decimal("0.00")


def test_yantai_use_of_non_appropriation_balances_column():
    (t,) = _rec("yantai/income_by_fund", "烟台市统计局", "2026").tables
    assert t.key == "income"
    funds = {c.label: c.dims.get("fundSource") for c in t.columns if c.role == "amount"}
    assert funds["使用非财政拨款结余"] == _fs("non-appropriation-balance")
    assert funds["上年结转"] == _fs("carry-over")
    assert funds["其他收入"] == _fs("other-income")
    # both columns are printed empty: no observation (an empty cell is not zero)
    used = {o.dims["fundSource"] for o in t.observations}
    assert _fs("non-appropriation-balance") not in used and _fs("carry-over") not in used
    total = {o.item.label: o.amount.value for o in t.observations if o.dims["fundSource"] == _fs("_T")}
    assert total["合计"] == Decimal("2123.11") and total["行政运行"] == Decimal("588.75")


def test_jiangsu_other_funds_line_and_narrative_total():
    rec = _rec("jiangsu/other_funds", "江苏省人民检察院", "2018")
    summary = next(t for t in rec.tables if t.key == "income_expenditure_summary")
    lines = {it.label: it.classification for it in summary.items if it.side == "in"}
    assert lines["三、其他资金"] == _fs("other-funds")
    assert lines["一、财政拨款"] == _fs("appropriation")
    other = [o.amount.value for o in summary.observations if o.item.label == "三、其他资金"]
    assert other == [Decimal("14.39")]
    # 2．其他资金收入预算总计 14.39 万元 states the total of the other funds, not the income grand total (21,955.35)
    figures = {f.label: f for f in rec.narrative.figures if f.kind == "level"}
    fig = figures["2．其他资金收入预算总计"]
    assert (fig.amount.value, fig.dims) == (Decimal("14.39"), {"fundSource": _fs("other-funds")})
    assert figures["收入预算总计"].dims == {"summaryItem": concept_iri("summary-item", "income-grand-total")}
    assert figures["1．财政拨款收入预算总计"].dims == {"fundSource": _fs("appropriation")}


def test_a_fund_total_in_the_text_names_its_fund_only_when_a_fund_precedes_it():
    (fig,) = read_figures([(1, 1, "收入预算总计100.00万元。", "")], year="2026")
    assert fig.dims == {"summaryItem": concept_iri("summary-item", "income-grand-total")}
    (fig,) = read_figures([(1, 1, "单位资金收入预算总计5.00万元。", "")], year="2026")
    assert fig.dims == {"fundSource": _fs("unit-funds")}


def _funds(project) -> list[tuple[str, bool, str, str, str]]:
    return [(f.label, f.total, f.measure, f.amount.printed(), f.unit) for f in project.funds]


def test_beijing_project_amount_by_fund_source_columns():
    rec = _rec("beijing/project_targets", "北京市财政局", "2026")
    first, second, third = rec.performance[:3]
    # page 17: 评审工作经费 839.000000, 财政资金 839.000000, 其他资金 blank (no line: empty is not zero)
    assert first.name == "11000022T000000455794-评审工作经费"
    assert (first.amount.printed(), first.amount_unit) == ("839.000000", "万元")
    assert _funds(first) == [("财政资金", False, "total", "839.000000", "万元")]
    # page 18: 67.700000 and 316.976900, all of them 财政资金
    assert _funds(second) == [("财政资金", False, "total", "67.700000", "万元")]
    assert _funds(third) == [("财政资金", False, "total", "316.976900", "万元")]
    reported = [s.reason for s in rec.skipped if s.location.table and "预算12表" in s.location.table]
    assert not [r for r in reported if "财政资金" in r or "cells outside the indicator columns" in r], reported


HEAD = "## 收入总表\n\n901 某市某局\n\n预算年度：2023\n\n单位：万元\n\n序号\t项目\t金额\n1\t合计\t1.00\n\n"
# The layout of 北京 预算12表 with 其他资金 filled in (the corpus prints it blank throughout).
SPLIT = HEAD + ("## 项目支出绩效目标表\n\n金额单位：万元\n\n"
                "项目名称\t项目总额\t其中：\t\t绩效目标\t一级指标\t二级指标\t三级指标\t绩效指标性质\t本年绩效指标值\t绩效度量单位\n"
                "\t\t财政资金\t其他资金\t\t\t\t\t\t\t\n"
                "甲项目\t120.50\t100.00\t20.50\t保障运转。\t产出指标\t数量指标\t评审项目数量\t≥\t420\t个\n"
                "\t\t\t\t\t效益指标\t社会效益指标\t效益\t定性\t优\t\n"
                "乙项目\t8.00\t8.00\t\t完成任务。\t产出指标\t时效指标\t完成时间\t≤\t12\t月\n")


def test_fund_source_columns_under_the_amount_are_its_parts():
    import pyoxigraph as ox

    from budgetkg.etl.to_rdf import to_rdf

    rec = process_document(read_text(SPLIT))
    a, b = rec.performance
    assert (a.amount.printed(), len(a.indicators), b.amount.printed(), len(b.indicators)) == ("120.50", 2, "8.00", 1)
    assert _funds(a) == [("财政资金", False, "total", "100.00", "万元"), ("其他资金", False, "total", "20.50", "万元")]
    assert [f.label for f in b.funds] == ["财政资金"]  # 其他资金 blank: no line
    _, triples = to_rdf(rec, base="https://budgetkg.org/")
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    rows = store.query("""PREFIX bkg: <https://budgetkg.org/def/budget#>
        SELECT ?label ?fs ?amount WHERE { ?p a bkg:Project ; bkg:hasFundLine ?f . ?p bkg:rowIndex 1 .
          ?f bkg:printedLabel ?label ; bkg:fundSource ?fs ; bkg:amount ?amount }""")
    got = sorted((r["label"].value, r["fs"].value, Decimal(r["amount"].value)) for r in rows)
    assert got == [("其他资金", _fs("other-funds"), Decimal("20.50")), ("财政资金", _fs("appropriation"), Decimal("100.00"))]
