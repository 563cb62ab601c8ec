"""Audit shapes (shapes/audit-*.ttl, issue 14): each check against one mutation of the real
sample disclosure (data/samples/000_60bd7a1a2874cc3a.txt); the unmutated sample gives none.

Expected values come from the sample's pages: the 三公 table (line 309) prints 公务接待费 2.00
(万元) and the explanation (line 383) says 公务接待费预算数2万元; the 支出总表 (line 114) prints
2150501 行政运行 916.29; the 政府基金 table (line 273) is printed empty with the note
注：无政府基金预算财政拨款预算，空表列示; every table's page header (line 108 for the 支出总表) names
501 邢台市工业和信息化局, the department of the document.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from tests.shapes.test_shapes_support import (
    B, N, RDF_TYPE, XSD, decimal, fixed_sample, observation, replace, results, subjects_of_type, validate, value, without,
)

AUDIT = ["AuditPrescribedTable", "AuditEmptyTableNote", "AuditNarrativeVsTable", "AuditNarrativeUnitFactor",
         "AuditNarrativeRounding", "AuditCodeName", "AuditTableUnitFactor", "AuditOrganization"]


def _data_set(triples, key: str) -> ox.NamedNode:
    return next(s for s in subjects_of_type(triples, "BudgetDataSet") if s.value.endswith("/" + key))


def _figure(triples, key: str) -> ox.NamedNode:
    return next(t.subject for t in triples if t.subject.value.endswith("/narrative/obs/" + key) and t.predicate == B("amount"))


def _row(triples, table: str, index: int) -> ox.NamedNode:
    return next(s for s in subjects_of_type(triples, "LineItem") if s.value.endswith(f"/{table}/row/{index}"))


def test_the_sample_gives_no_audit_finding():
    assert results(validate(fixed_sample(), AUDIT)) == []


def test_a_deleted_table_is_named():
    t = list(fixed_sample())
    ds = _data_set(t, "three_public_expenses")
    gone = {ds} | {x.subject for x in t if x.subject.value.startswith(ds.value + "/")}
    t = [x for x in t if x.subject not in gone and x.object not in gone]
    found = results(validate(t, ["AuditPrescribedTable"]), "AuditPrescribedTable", "Warning")
    assert len(found) == 1
    assert found[0]["value"].endswith("/table-kind/three_public_expenses")
    assert "三公" in found[0]["message_zh"] and "is missing" in found[0]["message"]


def test_an_empty_table_without_its_note():
    t = list(fixed_sample())
    ds = _data_set(t, "government_fund_expenditure")
    assert value(t, ds, B("isEmpty")).value == "true"
    t = without(t, ds, B("note"))
    found = results(validate(t, ["AuditEmptyTableNote"]), "AuditEmptyTableNote", "Warning")
    assert [r["value"] for r in found] == [ds.value]
    assert found[0]["table"] == "部门预算政府基金预算财政拨款支出表" and found[0]["line"] == 273


def test_a_changed_narrative_figure_gives_both_locations():
    t = list(fixed_sample())
    fig = _figure(t, "383-5")  # 公务接待费预算数2万元
    t = replace(t, fig, B("amount"), decimal("5"))
    outcome = validate(t, ["AuditNarrativeVsTable", "AuditNarrativeUnitFactor", "AuditNarrativeRounding"])
    found = results(outcome)
    assert [(r["rule"], r["severity"]) for r in found] == [("AuditNarrativeVsTable", "Warning")]
    r = found[0]
    assert r["line"] == 383 and r["printed"] == "5" and Decimal(r["expected"]) == Decimal("2.00")
    assert "部门预算财政拨款“三公”经费支出表" in r["message"] and "公务接待费" in r["message_zh"]


def test_yuan_written_for_wan_yuan_is_its_own_finding():
    t = list(fixed_sample())
    fig = _figure(t, "383-5")
    t = replace(replace(t, fig, B("unitLabel"), ox.Literal("元")), fig, B("unitMultiplier"), ox.Literal("0", datatype=N(XSD + "integer")))
    found = results(validate(t, ["AuditNarrativeVsTable", "AuditNarrativeUnitFactor", "AuditNarrativeRounding"]))
    assert [(r["rule"], r["severity"]) for r in found] == [("AuditNarrativeUnitFactor", "Warning")]
    assert found[0]["printed"] == "2" and Decimal(found[0]["expected"]) == Decimal("2.00") and "10,000" in found[0]["message"]


def test_a_rounded_narrative_figure_is_info():
    t = list(fixed_sample())
    fig = _figure(t, "383-5")
    t = replace(t, fig, B("amount"), decimal("2.01"))  # one unit of the last printed digit off 2.00
    t = replace(t, fig, B("decimals"), ox.Literal("2", datatype=N(XSD + "integer")))
    found = results(validate(t, ["AuditNarrativeVsTable", "AuditNarrativeUnitFactor", "AuditNarrativeRounding"]))
    assert [(r["rule"], r["severity"]) for r in found] == [("AuditNarrativeRounding", "Info")]


def test_a_swapped_code_name():
    t = list(fixed_sample())
    row = _row(t, "expenditure", 7)  # 2150501 行政运行
    assert value(t, row, B("printedCode")).value == "2150501"
    t = replace(t, row, B("printedLabel"), ox.Literal("一般行政管理事务", language="zh"))  # the name of 2150502
    found = results(validate(t, ["AuditCodeName"]), "AuditCodeName", "Warning")
    assert len(found) == 1 and found[0]["value"] == row.value
    assert "2150501" in found[0]["message"] and "行政运行" in found[0]["message"]


def test_a_renamed_unit_in_one_header():
    t = list(fixed_sample())
    ds = _data_set(t, "expenditure")
    t = replace(replace(t, ds, B("unitLabel"), ox.Literal("元")), ds, B("unitMultiplier"), ox.Literal("0", datatype=N(XSD + "integer")))
    for o in [x.subject for x in t if x.predicate == B("sourceTable") and x.object == ds]:
        if value(t, o, B("unitMultiplier")) is not None:
            t = replace(t, o, B("unitMultiplier"), ox.Literal("0", datatype=N(XSD + "integer")))
    found = results(validate(t, ["AuditTableUnitFactor"]), "AuditTableUnitFactor", "Warning")
    assert [r["table"] for r in found] == ["部门预算支出总表"]
    assert "(unit 元)" in found[0]["message"] and "(unit 万元)" in found[0]["message"]


def test_carry_over_and_balance_still_checked():
    """收入总计 = 本年收入合计 + 上年结转 (bkgsh:SummaryGrandTotals, arithmetic.ttl) on a changed grand total."""
    t = list(fixed_sample())
    row = next(s for s in subjects_of_type(t, "LineItem") if "/income_expenditure_summary/row/" in s.value
               and value(t, s, B("classification")) == N("https://budgetkg.org/def/cl/summary-item/income-grand-total"))
    obs = next(x.subject for x in t if x.predicate == B("lineItem") and x.object == row)
    t = replace(t, obs, B("amount"), decimal("1500.00"))
    found = results(validate(t, ["SummaryGrandTotals"]), "SummaryGrandTotals", "Warning")
    assert found and found[0]["printed"] == "1500.00"


def test_a_table_header_naming_another_organization():
    t = list(fixed_sample())
    ds = _data_set(t, "expenditure")
    assert value(t, ds, B("printedOrganization")).value == "邢台市工业和信息化局"
    t = replace(t, ds, B("printedOrganization"), ox.Literal("某市某局", language="zh"))
    found = results(validate(t, ["AuditOrganization"]), "AuditOrganization", "Warning")
    assert [(r["table"], r["printed"], r["expected"]) for r in found] == [("部门预算支出总表", "某市某局", "邢台市工业和信息化局")]


def test_a_bracketed_scope_is_the_same_organization():
    t = list(fixed_sample())
    ds = _data_set(t, "expenditure")
    t = replace(t, ds, B("printedOrganization"), ox.Literal("邢台市工业和信息化局（本级）", language="zh"))
    assert results(validate(t, ["AuditOrganization"])) == []
