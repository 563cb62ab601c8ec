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
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from budgetkg.etl.codelists import codelists, concept_iri
from budgetkg.etl.narrative_figures import read_figures
from budgetkg.etl.pipeline import Overrides, process_document
from budgetkg.etl.read_pdf import read_pdf

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
