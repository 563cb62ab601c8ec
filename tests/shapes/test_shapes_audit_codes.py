"""Codes against names for the document's year (shapes/audit-codes.ttl, bkgsh:AuditCodeName; issue 14).

Names and years come from the pages: 上海市普陀区司法局's 2026 budget (data/samples/shpt_sfj_2026_budget.pdf)
prints 20805 行政事业单位养老支出 in its 支出总表 (page 11); 江苏省人民检察院's 2018 budget
(corpus/jiangsu_jcy_2018_budget_dept.pdf, page 17, 公开07表) prints 20805 行政事业单位离退休, the name of
that 款 before it was renamed; the code lists date both (bkg:PrintedName). The Hebei 2022 sample prints
2150501 行政运行 (支出总表, line 114) and 2150502 一般行政管理事务 (line 104). 北京市财政局's 报表
(beijing_czj_2026_budget_dept_tables.pdf) print code and name in one cell, 2010601-行政运行 (page 4).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.shapes.test_shapes_support import B, N, XSD, fixed_sample, replace, results, sample_path, subjects_of_type, validate, value

RULE = ["AuditCodeName"]
EXPECTED = Path(__file__).parents[1] / "expected" / "corpus"
OLD_NAME, NEW_NAME = "行政事业单位离退休", "行政事业单位养老支出"


@lru_cache(maxsize=1)
def _budget_2026():
    from budgetkg.etl.pipeline import process
    from budgetkg.etl.to_rdf import to_rdf

    return tuple(to_rdf(process(Path(sample_path()).parent / "shpt_sfj_2026_budget.pdf"), base="https://budgetkg.org/")[1])


def _row(triples, code: str, table: str = "expenditure") -> ox.NamedNode:
    return next(s for s in subjects_of_type(triples, "LineItem") if f"/{table}/row/" in s.value
                and value(triples, s, B("printedCode")) is not None and value(triples, s, B("printedCode")).value == code)


def _renamed(triples, code: str, name: str) -> list:
    """Every row printing ``code`` (the 收入, 支出 and 一般公共预算 tables print 20805) printed with ``name``."""
    rows = {s for s in subjects_of_type(triples, "LineItem") if value(triples, s, B("printedCode")) is not None
            and value(triples, s, B("printedCode")).value == code}
    return [ox.Triple(x.subject, x.predicate, ox.Literal(name, language="zh"))
            if x.subject in rows and x.predicate == B("printedLabel") else x for x in triples]


def _in_year(triples, year: str) -> list:
    disclosure = subjects_of_type(triples, "Disclosure")[0]
    return replace(list(triples), disclosure, B("fiscalYear"), ox.Literal(year, datatype=N(XSD + "gYear")))


def _found(triples) -> list[dict]:
    return results(validate(triples, RULE), "AuditCodeName", "Warning")


def test_the_2026_name_in_2026_is_no_finding():
    t = _budget_2026()
    assert value(t, _row(t, "20805"), B("printedLabel")).value == NEW_NAME
    assert _found(t) == []


def test_the_2018_name_printed_in_2026():
    t = list(_budget_2026())
    row = _row(t, "20805")
    t = replace(t, row, B("printedLabel"), ox.Literal(OLD_NAME, language="zh"))
    found = _found(t)
    assert [r["value"] for r in found] == [row.value]
    assert f"which is not a name of that code for 2026 (its names: {NEW_NAME})" in found[0]["message"]
    assert "2026 年度" in found[0]["message_zh"]


def test_the_2026_name_printed_in_2018():
    found = _found(_in_year(_budget_2026(), "2018"))
    assert len(found) == 3  # the 收入, 支出 and 一般公共预算 tables
    assert all(f"code 20805 is printed with the name {NEW_NAME}" in r["message"] for r in found)
    assert all(f"for 2018 (its names: {OLD_NAME})" in r["message"] for r in found)


def test_the_2018_name_printed_in_2018_is_no_finding():
    assert _found(_renamed(_in_year(_budget_2026(), "2018"), "20805", OLD_NAME)) == []


@pytest.mark.parametrize("name", [OLD_NAME, NEW_NAME])
def test_a_year_no_dated_name_spans_rules_out_no_name(name):
    """20805 is dated 2018 (one name) and 2024 to 2026 (the other): the list knows neither for 2020."""
    assert _found(_renamed(_in_year(_budget_2026(), "2020"), "20805", name)) == []


def test_a_name_printed_for_the_wrong_code_names_its_code():
    t = list(fixed_sample())
    row = _row(t, "2150501")
    t = replace(t, row, B("printedLabel"), ox.Literal("一般行政管理事务", language="zh"))  # the name of 2150502
    found = _found(t)
    assert [r["value"] for r in found] == [row.value]
    assert "(its names: 行政运行); it is the name of 2150502." in found[0]["message"]
    assert "该名称属于编码 2150502" in found[0]["message_zh"]


@pytest.mark.parametrize("printed, findings", [
    ("2150501-行政运行", 0),  # code and name in one cell, as 北京's 报表 print them
    ("2150501－行政运行", 0),
    ("2150501-一般行政管理事务", 1),
    ("2150502-行政运行", 1),  # another code before the name is not this row's code
])
def test_the_code_printed_before_the_name_with_a_dash(printed, findings):
    t = list(fixed_sample())
    t = replace(t, _row(t, "2150501"), B("printedLabel"), ox.Literal(printed, language="zh"))
    assert len(_found(t)) == findings


# ------------------------------------------------------------ the corpus as printed
# Each corpus document, read and mapped, gives no finding: every national code it prints is in the lists
# with the name it prints for its year (a real printing error would be listed here with its page).

def _stems() -> list[str]:
    return sorted(p.name for p in EXPECTED.iterdir() if (p / "meta.json").exists())


@pytest.mark.parametrize("stem", _stems())
def test_corpus_documents_give_no_code_name_finding(stem, shared_dir):
    from budgetkg.etl.pipeline import Overrides, process_document
    from budgetkg.etl.read_pdf import read_pdf
    from budgetkg.etl.to_rdf import to_rdf

    corpus = shared_dir / "samples" / "corpus"
    m = json.loads((EXPECTED / stem / "meta.json").read_text(encoding="utf-8"))
    if not (corpus / m["file"]).exists():
        pytest.skip("shared corpus not present")
    overrides = Overrides(department=m["department"], year=m["year"], phase=m["phase"])
    _, triples = to_rdf(process_document(read_pdf(corpus / m["file"]), overrides=overrides), base="https://budgetkg.org/")
    assert [r["message"] for r in _found(triples)] == []


# ------------------------------------------------------------ rows named by the item they list
# 西安市统计局 2026 p38 (tests/cases/xian/procurement_codes), 表12 部门综合预算政府采购（资产配置、购买服务）预算表:
# every one of its 18 rows below 合计 prints 201 | 05 | 07 (read off the page image) beside the item bought
# (全额, 西安市统计局, 1%人口普查（2026） ...), never the name of 2010507.

@lru_cache(maxsize=1)
def _procurement():
    from budgetkg.etl.pipeline import Overrides, process
    from budgetkg.etl.to_rdf import to_rdf

    case = Path(__file__).parents[1] / "cases" / "xian" / "procurement_codes" / "input.pdf"
    return tuple(to_rdf(process(case, overrides=Overrides(department="西安市统计局", year="2026")),
                        base="https://budgetkg.org/")[1])


def test_procurement_rows_are_classified_by_their_code_and_not_audited_by_their_label():
    t = _procurement()
    coded = [s for s in subjects_of_type(t, "LineItem") if value(t, s, B("printedCode")) is not None]
    assert len(coded) == 18
    assert {value(t, s, B("classification")).value.rsplit("/", 2)[-2:][1] for s in coded} == {"2010507"}
    assert _found(t) == []
    assert results(validate(t, ["PrintedCodeUnclassified"]), "PrintedCodeUnclassified", "Warning") == []


def test_the_same_rows_in_a_table_of_code_names_are_findings():
    """The check still runs on the rows: the table read as one whose labels name its codes (a 支出总表), each of
    the 18 rows is a finding."""
    t = list(_procurement())
    ds = next(s for s in subjects_of_type(t, "BudgetDataSet") if value(t, s, B("tableKind")) is not None)
    t = replace(t, ds, B("tableKind"), N("https://budgetkg.org/def/cl/table-kind/expenditure"))
    found = _found(t)
    assert len(found) == 18 and all("code 2010507 is printed with the name" in r["message"] for r in found)
