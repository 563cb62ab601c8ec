"""Basic expenditure and project lists of all the department's funds, one column per fund source (issue 12:
every budget table recognized as its kind): ``basic_expenditure`` (基本支出总表, 基本支出预算情况表) and
``project_expenditure`` (项目支出总表, 项目支出预算情况表, 项目支出预算表).

Each case of tests/cases/<template>/<case>/ is one page cut from a corpus document; the expected cells were
read off the page images (rendered with pypdfium2), not from the code's output.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetkg.etl.model import Table
from budgetkg.etl.pipeline import process_document
from budgetkg.etl.read_pdf import read_pdf
from budgetkg.etl.recognize import recognize

CASES = Path(__file__).parents[1] / "cases"
CL = "https://budgetkg.org/def/cl/"


def _table(case: str, department: str, key: str):
    doc = read_pdf(CASES / case / "input.pdf")
    doc.meta.update(department_name=department, year="2026")
    rec = process_document(doc)
    assert not [s for s in rec.skipped if "unknown kind" in s.reason or "quarantined" in s.reason], rec.skipped
    (table,) = [t for t in rec.tables if t.key == key]
    return table


def _cells(table) -> dict[tuple[str, str], Decimal]:
    """(row label, fund source notation) -> amount."""
    return {(o.item.label, o.dims["fundSource"].rsplit("/", 1)[1]): o.amount.value for o in table.observations}


def _short(iri: str) -> str:
    return iri.rsplit("/", 1)[1]


def test_shenzhen_basic_expenditure_by_economic_class_and_fund_source():
    """深圳 表4 基本支出总表 (p24, 万元): names without codes, the department's row (深圳市财政局（本级）) its total."""
    t = _table("shenzhen/basic_expenditure_by_fund", "深圳市财政局", "basic_expenditure")
    assert t.unit == "万元" and t.unmatched == []
    assert {_short(o.dims["expenditureType"]) for o in t.observations} == {"basic"}
    first = t.items[0]
    assert first.label == "深圳市财政局（本级）" and _short(first.classification) == "_T"
    by_class = {(_short(o.dims["economicClassification"]), _short(o.dims["fundSource"])): o.amount.value
                for o in t.observations}
    assert [by_class[("_T", f)] for f in ("_T", "appropriation", "general-budget", "government-fund")] == [
        Decimal("11024.31"), Decimal("11024.31"), Decimal("11024.31"), Decimal("0.00")]
    assert by_class[("301", "_T")] == Decimal("8490.42")
    assert by_class[("30101", "general-budget")] == Decimal("1398.46")
    assert by_class[("302", "appropriation")] == Decimal("1462.93")
    assert by_class[("30205", "_T")] == Decimal("20.40")  # 水费
    assert by_class[("30206", "_T")] == Decimal("336.00")  # 电费
    # 13 columns (支出项目类别, 总计, 财政拨款 4, 财政专户管理资金, 单位资金 5, 上年结余、结转), 17 rows printed
    assert len(t.items) == 17 and len(t.observations) == 17 * 12


def test_yantai_basic_expenditure_by_two_economic_classifications():
    """烟台 公开表10 基本支出预算情况表 (p21, 万元): 部门 (301..) and 政府 (501..) economic classes, empty cells."""
    t = _table("yantai/basic_expenditure_by_fund", "烟台市统计局", "basic_expenditure")
    rows = [(it.code, it.label) for it in t.items[:4]]
    assert rows == [(None, "合计"), ("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴")]
    got = {(it_row, _short(o.dims["fundSource"])): o.amount.value
           for o in t.observations for it_row in [o.item.index]}
    assert [got[(1, f)] for f in ("_T", "appropriation", "general-budget")] == [Decimal("1704.11")] * 3
    assert got[(2, "_T")] == Decimal("705.28")  # 301 工资福利支出 under 501 机关工资福利支出
    assert got[(12, "_T")] == Decimal("746.73")  # 301 工资福利支出 again, under 505 对事业单位经常性补助
    assert (1, "government-fund") not in got  # an empty cell is no observation
    assert {_short(o.dims["economicClassification"]) for o in t.observations if o.item.index == 12} == {"301"}
    # the 政府 classification is printed text of the row
    assert [x.text for x in t.texts if x.item.index == 12] == ["301", "505", "对事业单位经常性补助"]


def test_shenzhen_project_list():
    """深圳 表5 项目支出总表 (p27, 万元): one row per project, a name wrapped over two lines."""
    t = _table("shenzhen/project_list", "深圳市财政局", "project_expenditure")
    assert [it.label for it in t.items] == [
        "深圳市财政局（本级）", "财政监督管理业务", "财政综合管理业务", "上级转移支付项目", "信息化（财政审核）",
        "信息化服务类项目（非运维服务部分）", "预决算管理业务", "预算准备金", "综合管理"]
    cells = _cells(t)
    assert cells[("深圳市财政局（本级）", "_T")] == Decimal("26361.57")
    assert cells[("深圳市财政局（本级）", "general-budget")] == Decimal("25964.74")
    assert cells[("财政综合管理业务", "general-budget")] == Decimal("2658.66")
    assert cells[("信息化服务类项目（非运维服务部分）", "general-budget")] == Decimal("0.00")
    assert cells[("预决算管理业务", "_T")] == Decimal("18808.16")
    assert {_short(o.dims["expenditureType"]) for o in t.observations} == {"project"}
    # 上年结余、结转 (396.83, 55.37, 341.46): the carry-over, so that 总计 is the sum of the fund columns
    assert cells[("信息化服务类项目（非运维服务部分）", "carry-over")] == Decimal("341.46")
    assert cells[("深圳市财政局（本级）", "carry-over")] == Decimal("396.83")
    assert not [o for o in t.observations if o.dims["fundSource"].endswith("/_Z")]
    assert len(t.observations) == 9 * 11


def test_yantai_project_list_keeps_the_category_as_text():
    """烟台 公开表11 项目支出预算情况表 (p24, 万元): 项目名称 | 项目类别 | 合计 | 财政拨款 ... (empty cells)."""
    t = _table("yantai/project_list", "烟台市统计局", "project_expenditure")
    assert [it.label for it in t.items] == ["合计", "实施公车统管费用", "设备购置更新", "统计周期性调查", "1%人口抽样调查"]
    assert [x.text for x in t.texts] == ["其他运转类", "特定目标类", "特定目标类", "特定目标类"]
    cells = _cells(t)
    assert [cells[(p, "_T")] for p in ("合计", "实施公车统管费用", "设备购置更新", "统计周期性调查", "1%人口抽样调查")] == [
        Decimal("419.00"), Decimal("25.00"), Decimal("16.00"), Decimal("368.00"), Decimal("10.00")]
    assert cells[("统计周期性调查", "general-budget")] == Decimal("368.00")
    assert len(t.observations) == 5 * 3  # 合计, 小计, 一般公共预算 printed; the other six columns empty


def test_huzhou_project_list_names_the_unit_of_each_project():
    """湖州 表10 项目支出预算表 (p31, 万元): 单位名称 | 项目名称 | 总计 | 一般公共预算 | 政府性基金 ..."""
    t = _table("huzhou/project_list", "湖州市财政局", "project_expenditure")
    assert t.columns[0].role == "text" and t.columns[1].role == "label"
    got = [(it.label, it.organization.name if it.organization else None) for it in t.items]
    assert got == [("合计", None), ("全市会计人员考培", "湖州市财政局"), ("财政管理与改革", "湖州市财政局"),
                   ("信息化建设与运维", "湖州市财政局"), ("财政事务综合业务管理", "湖州市财政局"),
                   ("市级预算项目评审", "湖州市财政项目预算审核中心"), ("财政票据综合管理", "湖州市财政票据管理中心"),
                   ("财政服务综合业务管理", "湖州市绿色财政研究服务中心")]
    cells = _cells(t)
    assert cells[("合计", "_T")] == cells[("合计", "general-budget")] == Decimal("1266.75")
    assert cells[("市级预算项目评审", "general-budget")] == Decimal("371.00")
    assert cells[("财政票据综合管理", "_T")] == Decimal("10.00")
    assert len(t.observations) == 8 * 2
    # the 政府性基金 column is the government fund, not its group's appropriation
    gf = next(c for c in t.columns if c.label == "政府性基金")
    assert gf.dims["fundSource"] == CL + "fund-source/government-fund"


HEADER = [["支出项目类别", "总计", "财政拨款", "", "财政专户管理资金", "单位资金"],
          ["", "", "小计", "一般公共预算拨款", "", ""]]


@pytest.mark.parametrize("title,kind", [
    ("基本支出总表", "basic_expenditure"),
    ("基本支出预算情况表", "basic_expenditure"),
    ("项目支出总表", "project_expenditure"),
    ("项目支出预算情况表", "project_expenditure"),
    ("2026年市级部门项目支出预算表", "project_expenditure"),
    # one fund's tables, by function, of both types, of administrative costs: other kinds or none
    ("一般公共预算基本支出表", "general_budget_basic_expenditure"),
    ("财政拨款基本支出表（经济科目）", "appropriation_basic_expenditure"),
    ("部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）", None),
    ("一般公共预算项目支出情况表（按经济分类科目）", None),
    ("机关运行经费基本支出表", None),
    ("2026年市级部门项目支出绩效表", None),
])
def test_recognized_by_title_and_fund_columns(title, kind):
    # a code column as the tables classified by code print it (the kinds of one fund require one)
    got = recognize(Table(title=title, line=1, header=[["科目编码", *HEADER[0]], ["", *HEADER[1]]]))
    assert got == kind if kind else got not in ("basic_expenditure", "project_expenditure"), got


def test_without_a_fund_source_column_it_is_not_these_kinds():
    # 部门预算基本支出预算表 printing 支出项目类别 | 合计 only says nothing of its fund sources
    assert recognize(Table(title="部门预算基本支出预算表", line=1, header=[["支出项目类别", "合计"]])) is None
    assert recognize(Table(title="项目支出预算表", line=1, header=[["项目名称", "金额"]])) is None
    # a list of projects printing each one's goal beside its funds is one too (广州 表12, b43bbbd); a title naming
    # 绩效 is a performance table
    goals = [["支出项目类别", "总计", "财政拨款", "绩效目标"]]
    assert recognize(Table(title="部门预算项目支出及其他支出预算表", line=1, header=goals)) == "project_expenditure"
    assert recognize(Table(title="项目支出绩效表", line=1, header=goals)) != "project_expenditure"


def test_a_project_line_names_the_project_of_the_target_tables(shared_dir):
    """烟台 prints its four projects in the list (公开表11, p24) and each in a 政策和项目预算绩效目标表 (p30-33):
    each line of the list is linked to the project of the same name; the 合计 line to none."""
    import pyoxigraph as ox

    from budgetkg.etl.pipeline import process
    from budgetkg.etl.to_rdf import to_rdf

    rec = process(shared_dir / "samples" / "corpus" / "yantai_tjj_2026_budget_dept.pdf")
    _, triples = to_rdf(rec, base="https://budgetkg.org/")
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    rows = store.query("""
        PREFIX bkg: <https://budgetkg.org/def/budget#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?line ?project WHERE {
          ?ds bkg:tableKind <https://budgetkg.org/def/cl/table-kind/project_expenditure> ; bkg:hasLineItem ?l .
          ?l rdfs:label ?line . OPTIONAL { ?l bkg:project ?p . ?p a bkg:Project ; rdfs:label ?project } }""")
    got = {r["line"].value: (r["project"].value if r["project"] else None) for r in rows}
    assert got == {"合计": None, "实施公车统管费用": "实施公车统管费用", "设备购置更新": "设备购置更新",
                   "统计周期性调查": "统计周期性调查", "1%人口抽样调查": "1%人口抽样调查"}


def test_a_name_printed_twice_links_no_project():
    """杭州 表10 (p37) prints 日常保障运行 once per unit, as do its target tables: which is which is not printed."""
    from budgetkg.etl.extract.records import LineRec, TableRec
    from budgetkg.etl.indicators import ProjectRec
    from budgetkg.etl.indicators_rdf import _project_lines
    from budgetkg.etl.iris import Minter

    items = [LineRec(i, i, 1, None, None, None, name) for i, name in enumerate(("合计", "法治保障", "日常保障运行", "日常保障运行"), 1)]
    table = TableRec("project_expenditure", "项目支出预算表", 1, 1, "万元", 4, [], items, [], project_rows=True)
    projects = [ProjectRec(i, "绩效表", name, None, 1, 1) for i, name in enumerate(("法治保障", "日常保障运行", "日常保障运行"), 1)]

    class Rec:
        tables = [table]

    emitted = []
    _project_lines(Rec, Minter("https://example.org/", "330100", "2026", "x", "budget"), lambda *t: emitted.append(t), projects)
    assert [(s.value.rsplit("/", 2)[-1], o.value.rsplit("/", 2)[-2:]) for s, _, o in emitted] == [("2", ["project", "1"])]


def test_hangzhou_project_list_government_fund_under_its_group():
    """杭州 表10 2026年市级部门项目支出预算表 (p37, 万元): 财政拨款收入 over 一般公共预算 | 政府性基金 | 国有资本经营预算;
    the same project name (日常保障运行) printed once per unit."""
    t = _table("hangzhou/project_list", "杭州市司法局", "project_expenditure")
    funds = {c.label: _short(c.dims["fundSource"]) for c in t.columns if c.role == "amount"}
    assert funds == {"总计": "_T", "一般公共预算": "general-budget", "政府性基金": "government-fund",
                     "国有资本经营预算": "state-capital", "财政专户管理资金": "fiscal-special-account", "单位资金": "unit-funds"}
    got = {(it.organization.name if it.organization else None, it.label, _short(o.dims["fundSource"])): o.amount.value
           for o in t.observations for it in [o.item]}
    assert [got[(None, "合计", f)] for f in ("_T", "general-budget", "unit-funds")] == [
        Decimal("28506.17"), Decimal("21118.51"), Decimal("7387.66")]
    assert [got[("杭州市东郊监狱", "狱政设施建设", f)] for f in ("_T", "general-budget", "unit-funds")] == [
        Decimal("1059.66"), Decimal("120.50"), Decimal("939.16")]
    assert got[("杭州市西郊监狱", "日常保障运行", "unit-funds")] == Decimal("1130.00")
    assert ("杭州市司法局", "日常保障运行", "general-budget") not in got  # printed empty
