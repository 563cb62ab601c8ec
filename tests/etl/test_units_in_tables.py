"""Tables listing several budget units: each line and its observations belong to the unit of their row
segment; the 合计 row and the department's own total row to the department (issue 12, "several units
listed in one table (one row segment per unit)").

Excerpts typed from the page images (values and names checked by hand):
- 杭州市司法局 2026 部门预算, page 34, 表7 一般公共预算“三公”经费预算表 (万元): 单位名称 | “三公”经费合计 |
  因公出国(境)费用 | 公务用车购置及运行费 (小计, 购置费, 运行维护费) | 公务接待费; 合计 then seven units, the
  first the department's own office under the department's name (17.00 beside 413.68);
- the same document, page 25, 表2 收入预算总表: 合计, 杭州市司法局 (99,230.46, the department), 杭州市司法局
  again, indented (12,586.47, its own office), then the prisons;
- 西安市统计局 2026, page 39, 表13 “三公”经费及会议费、培训费 (元): 单位编码 | 单位名称; 合计, 119 西安市统计局
  (the department: the codes below extend 119), 119001 西安市统计局, 119002 西安市社会经济调查中心, 119003
  西安市统计局普查中心;
- the same document, page 38, 表12 部门综合预算政府采购（资产配置、购买服务）预算表 (元): 科目编码 (201 05 07) |
  单位编码 | 采购项目 | 采购目录 ... | 预算金额; 合计, 1 全额, then 119001 西安市统计局 alone heading the purchases
  (excerpt: the first two and the last);
- 苏州市审计局 2026, page 22, 政府采购支出表 (万元): 采购品目大类 货物, then 苏州市审计局 heading its items
  (no unit column: recognized by content), then 服务.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from budgetkg.etl.pipeline import process_document
from budgetkg.etl.read_text import read_text
from budgetkg.etl.to_rdf import to_rdf

BKG = "https://budgetkg.org/def/budget#"
ORG = "http://www.w3.org/ns/org#"
BASE = "https://budgetkg.org/"

HANGZHOU_HEAD = "# 杭州市司法局 2026 年部门预算\n\n"
HANGZHOU_THREE_PUBLIC = """## 2026年市级部门一般公共预算“三公”经费预算表

部门名称：杭州市司法局

单位：万元

单位名称\t“三公”经费合计\t因公出国(境)费用\t公务用车购置费\t公务用车运行维护费\t公务接待费
合计\t413.68\t\t151.68\t188.00\t74.00
杭州市司法局\t17.00\t\t\t\t17.00
杭州市东郊监狱\t89.60\t\t28.00\t46.60\t15.00
杭州市西郊监狱\t101.60\t\t49.00\t37.60\t15.00
杭州市法律援助中心\t2.00\t\t\t\t2.00
"""
HANGZHOU_INCOME = """## 2026年市级部门收入预算总表

部门名称：杭州市司法局

单位：万元

单位名称\t总计\t一般公共预算\t其他收入
合计\t99,230.46\t91,495.48\t7,387.66
杭州市司法局\t99,230.46\t91,495.48\t7,387.66
杭州市司法局\t12,586.47\t11,242.75\t996.40
杭州市东郊监狱\t18,764.53\t17,198.27\t1,566.26
"""
XIAN = """# 西安市统计局 2026 年部门预算

## 部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表

单位：元

单位编码\t单位名称\t合计\t公务接待费\t会议费\t培训费
合计\t\t518,400.00\t18,000.00\t130,000.00\t295,400.00
119\t西安市统计局\t518,400.00\t18,000.00\t130,000.00\t295,400.00
119001\t西安市统计局\t459,400.00\t13,000.00\t101,000.00\t270,400.00
119002\t西安市社会经济调查中心\t38,000.00\t\t13,000.00\t25,000.00
119003\t西安市统计局普查中心\t21,000.00\t5,000.00\t16,000.00\t
"""
XIAN_PROCUREMENT = """
## 部门综合预算政府采购（资产配置、购买服务）预算表

单位：元

科目编码\t单位编码\t采购项目\t采购目录\t数量\t预算金额
合计\t\t\t\t187,920\t18,712,700.00
2010507\t1\t全额\t\t187,920\t18,712,700.00
2010507\t119001\t西安市统计局\t\t187,920\t18,712,700.00
2010507\t\t1%人口普查（2026）\tC16030200数据加工处理服务\t1\t280,000.00
2010507\t\t1%人口普查（2026）\tC16040000云计算服务\t1\t204,600.00
2010507\t\t统计资料印刷\tC23090200出版服务\t800\t110,000.00
"""
SUZHOU = """# 苏州市审计局 2026 年部门预算

## 政府采购支出表

单位：万元

采购品目大类\t专项名称\t采购品目名称\t一般公共预算资金
合计\t\t\t188.50
货物\t\t\t5.50
苏州市审计局\t\t\t5.50
\t定额\t复印纸\t1.30
\t设备购置\t便携式计算机\t4.20
服务\t\t\t183.00
"""


def _rec(text: str):
    rec = process_document(read_text(text, path="x.txt"))
    return rec


def _orgs(table) -> list[tuple[str, str | None]]:
    """(row label, organisation: unit name, or "dept" for the department) of each line."""
    return [(it.label or it.text_label, it.organization.name if it.organization else "dept") for it in table.items]


def test_a_unit_column_names_the_unit_of_each_row_and_the_total_is_the_departments():
    [t] = _rec(HANGZHOU_HEAD + HANGZHOU_THREE_PUBLIC).tables
    assert t.by_unit
    # 杭州市司法局 beside its prisons (17.00, not the 413.68 of 合计) is its own office: a unit
    assert _orgs(t) == [("合计", "dept"), ("杭州市司法局", "杭州市司法局"), ("杭州市东郊监狱", "杭州市东郊监狱"),
                        ("杭州市西郊监狱", "杭州市西郊监狱"), ("杭州市法律援助中心", "杭州市法律援助中心")]
    assert not any(it.organization and it.organization.department for it in t.items)


def test_the_department_named_twice_is_first_the_department_then_its_own_office():
    [t] = _rec(HANGZHOU_HEAD + HANGZHOU_INCOME).tables
    assert _orgs(t) == [("合计", "dept"), ("杭州市司法局", "dept"), ("杭州市司法局", "杭州市司法局"),
                        ("杭州市东郊监狱", "杭州市东郊监狱")]


def test_unit_codes_tell_the_department_from_its_units():
    [t] = _rec(XIAN).tables
    assert _orgs(t) == [("合计", "dept"), ("西安市统计局", "dept"), ("西安市统计局", "西安市统计局"),
                        ("西安市社会经济调查中心", "西安市社会经济调查中心"), ("西安市统计局普查中心", "西安市统计局普查中心")]
    assert [it.organization.code for it in t.items[2:]] == ["119001", "119002", "119003"]


def test_a_table_listing_one_unit_is_told_from_the_department_by_the_codes_of_the_other_tables():
    # 119001 extends the 119 that the 三公 table prints for the department: a unit, heading the purchases
    # (their rows print a 科目编码 of their own, not a row of another level); 合计 and 全额 are the department's
    [_, t] = _rec(XIAN + XIAN_PROCUREMENT).tables
    assert t.key == "government_procurement"
    assert _orgs(t) == [("合计", "dept"), ("全额", "dept")] + [(label, "西安市统计局") for label in (
        "西安市统计局", "1%人口普查（2026）", "1%人口普查（2026）", "统计资料印刷")]
    assert {it.organization.code for it in t.items[2:]} == {"119001"}
    # alone, the table cannot tell: the one organisation it names, under the department's name, is the department
    [alone] = _rec("# 西安市统计局 2026 年部门预算\n" + XIAN_PROCUREMENT).tables
    assert [it.organization for it in alone.items] == [None] * 6


def test_a_unit_named_in_the_label_column_heads_its_rows_until_a_row_of_another_level():
    [t] = _rec(SUZHOU).tables
    # the department is the only organisation printed: its rows are the department's
    assert t.by_unit and [it.organization for it in t.items] == [None] * 6
    # a unit other than the department heads its rows; 服务 (a category above the units) ends its segment
    [t] = _rec(SUZHOU.replace("苏州市审计局\t", "苏州市审计事务中心\t")).tables
    assert _orgs(t) == [("合计", "dept"), ("货物", "dept"), ("苏州市审计事务中心", "苏州市审计事务中心"),
                        ("", "苏州市审计事务中心"), ("", "苏州市审计事务中心"), ("服务", "dept")]


def test_a_classification_name_is_no_unit():
    # 监狱 (functional 款 20407) ends like a prison's name but names no place: no unit, no table by unit
    rec = _rec(HANGZHOU_HEAD + """## 2026年市级部门支出预算总表

单位：万元

功能分类科目名称\t总计
合计\t10.00
公共安全支出\t10.00
监狱\t10.00
""")
    assert not rec.tables[0].by_unit and [it.organization for it in rec.tables[0].items] == [None] * 3


@pytest.fixture(scope="module")
def xian_graph():
    rec = _rec(XIAN)
    _, triples = to_rdf(rec, base=BASE)
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return store


def _select(store, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple(s[v].value for v in s.variables) if hasattr(s, "variables") else
                  tuple(x.value for x in s) for s in store.query(f"PREFIX bkg: <{BKG}> PREFIX org: <{ORG}> " + query))


def test_each_observation_carries_the_organization_of_its_row(xian_graph):
    # "the 公务接待费 of unit X": the observation of the column 公务接待费 whose organization is named X
    rows = _select(xian_graph, """SELECT ?name ?code ?amount WHERE {
        ?obs bkg:column/bkg:columnIndex 4 ; bkg:amount ?amount ; bkg:organization ?unit ; bkg:lineItem ?line .
        ?line bkg:organization ?unit .
        ?unit a bkg:BudgetUnit ; org:subOrganizationOf ?dept ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?name ;
              <http://www.w3.org/2004/02/skos/core#notation> ?code .
        ?dept a bkg:Department }""")
    assert rows == [("西安市统计局", "119001", "13000"), ("西安市统计局普查中心", "119003", "5000")]


def test_the_total_rows_carry_the_department(xian_graph):
    rows = _select(xian_graph, """SELECT ?row ?amount WHERE {
        ?obs bkg:column/bkg:columnIndex 3 ; bkg:amount ?amount ; bkg:organization ?dept ; bkg:lineItem ?line .
        ?line bkg:rowIndex ?row ; bkg:organization ?dept . ?dept a bkg:Department }""")
    assert rows == [("1", "518400"), ("2", "518400")]


def test_a_unit_printed_in_several_tables_is_one_node():
    text = XIAN + XIAN.split("\n", 2)[2].replace("“三公”经费及会议费、培训费", "收入总")
    rec = _rec(text)
    _, triples = to_rdf(rec, base=BASE)
    units = {t.subject.value for t in triples if t.object.value == BKG + "BudgetUnit"}
    assert len(units) == 3 and all(u.endswith(("/119001", "/119002", "/119003")) for u in units)
