"""Audit shapes (shapes/audit-*.ttl, issue 14): each check against one mutation of the real
sample disclosure (data/samples/000_60bd7a1a2874cc3a.txt); the unmutated sample gives none.

Expected values come from the sample's pages: the 三公 table (line 309) prints 公务接待费 2.00
(万元) and the explanation (line 383) says 公务接待费预算数2万元; the 支出总表 (line 114) prints
2150501 行政运行 916.29; the 政府基金 table (line 273) is printed empty with the note
注：无政府基金预算财政拨款预算，空表列示; every table's page header (line 108 for the 支出总表) names
501 邢台市工业和信息化局, the department of the document; so do the title (line 314, the text's
cover) and the narrative (line 316: 现将邢台市工业和信息化局 2022 年部门预算公开如下). The PDF samples
name theirs on the cover (page 1) and in the narrative (财政局 page 5, 司法局 page 6).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.shapes.test_shapes_support import (
    B, N, RDF_TYPE, XSD, decimal, fixed_sample, observation, replace, results, sample_path, subjects_of_type, validate, value,
    without,
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


def test_an_empty_table_saying_it_is_empty_is_explained():
    # jiangsu_jcy_2018_budget_dept.pdf page 19 prints only 此表为空 in its empty 政府性基金支出预算表 (公开10表)
    t = list(fixed_sample())
    ds = _data_set(t, "government_fund_expenditure")
    t = without(t, ds, B("note")) + [ox.Triple(ds, B("note"), ox.Literal("此表为空"))]
    assert results(validate(t, ["AuditEmptyTableNote"])) == []
    t = replace(t, ds, B("note"), ox.Literal("单位：万元"))  # a note that says nothing of why
    assert [r["value"] for r in results(validate(t, ["AuditEmptyTableNote"]), "AuditEmptyTableNote")] == [ds.value]


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


@pytest.mark.parametrize("printed, findings", [
    ("[2150501]行政运行", 0),  # the code again before the name, as 广州's 表5 prints every row ([201]一般公共服务支出)
    ("【2150501】行政运行", 0),
    ("[2150501]一般行政管理事务", 1),  # the name of 2150502 stays a finding with the code before it
    ("[2150502]行政运行", 1),  # another code in the brackets is not this row's code
])
def test_the_code_printed_again_before_the_name(printed, findings):
    t = list(fixed_sample())
    row = _row(t, "expenditure", 7)  # 2150501 行政运行
    t = replace(t, row, B("printedLabel"), ox.Literal(printed, language="zh"))
    assert len(results(validate(t, ["AuditCodeName"]), "AuditCodeName", "Warning")) == findings


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


def _mutated_text(tmp_path, line: int, old: str, new: str):
    """The sample text with ``old`` replaced by ``new`` on one printed line, read and mapped."""
    from budgetkg.etl.pipeline import process
    from budgetkg.etl.to_rdf import to_rdf

    lines = open(sample_path(), encoding="utf-8").read().split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    path = tmp_path / "mutated.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return to_rdf(process(path), base="https://budgetkg.org/")[1]


@pytest.mark.parametrize("line, where", [
    (314, "cover"),  # the title: # 邢台市工业和信息化局 2022 年部门预算信息公开情况说明
    (108, "table 部门预算支出总表, 编制单位"),  # the 支出总表's page header: 501 邢台市工业和信息化局
    (316, "narrative line 316"),  # 现将邢台市工业和信息化局 2022 年部门预算公开如下
])
def test_the_unit_renamed_in_one_place(tmp_path, line, where):
    t = _mutated_text(tmp_path, line, "邢台市工业和信息化局", "邢台市商务局")
    found = results(validate(t, ["AuditOrganization"]), "AuditOrganization", "Warning")
    assert [(r["printed"], r["expected"]) for r in found] == [("邢台市商务局", "邢台市工业和信息化局")]
    assert f": {where}: printed 邢台市商务局" in found[0]["message"]
    if where.startswith("narrative"):
        assert found[0]["line"] == 316 and "情况说明第 316 行" in found[0]["message_zh"]


@pytest.mark.parametrize("name", ["shpt_czj_2024_final_accounts.pdf", "shpt_sfj_2026_budget.pdf"])
def test_pdf_cover_and_narrative_name_the_department(name):
    """Each PDF sample names its department on the cover and in the narrative, and no finding."""
    t = _pdf_sample(name)
    printed = {x.subject.value.rsplit("/", 2)[-2] if "/sentence/" in x.subject.value else "other"
               for x in t if x.predicate == B("printedOrganization")}
    disclosure = subjects_of_type(t, "Disclosure")[0]
    assert value(t, disclosure, B("printedOrganization")) is not None and "sentence" in printed
    assert results(validate(t, ["AuditOrganization"])) == []


def test_pdf_narrative_renamed_gives_its_page():
    t = list(_pdf_sample("shpt_sfj_2026_budget.pdf"))
    sentence = next(x.subject for x in t if x.predicate == B("printedOrganization") and "/sentence/" in x.subject.value)
    assert value(t, sentence, B("sourcePage")).value == "6"  # 上海市普陀区司法局部门预算是包括区司法局本部 ...
    t = replace(t, sentence, B("printedOrganization"), ox.Literal("上海市普陀区财政局", language="zh"))
    found = results(validate(t, ["AuditOrganization"]), "AuditOrganization", "Warning")
    assert [(r["printed"], r["page"]) for r in found] == [("上海市普陀区财政局", 6)]
    assert "narrative page 6 line 40" in found[0]["message"]


@lru_cache(maxsize=2)
def _pdf_sample(name: str):
    from budgetkg.etl.pipeline import process
    from budgetkg.etl.to_rdf import to_rdf

    return tuple(to_rdf(process(Path(sample_path()).parent / name), base="https://budgetkg.org/")[1])


def test_a_narrative_finding_names_its_page_and_the_cell():
    """The 财政局 final accounts print 财政拨款收入支出总计0.3万元 on page 21 (line 325), where the tables
    print 2995.39 万元 in the 收入支出决算总表's 总计 row: both locations are in the finding."""
    t = _pdf_sample("shpt_czj_2024_final_accounts.pdf")
    found = results(validate(t, ["AuditNarrativeVsTable", "AuditNarrativeUnitFactor", "AuditNarrativeRounding"]))
    assert [(r["rule"], r["page"], r["line"], r["printed"]) for r in found] == [("AuditNarrativeUnitFactor", 21, 325, "0.3")]
    assert "narrative page 21, line 325" in found[0]["message"] and "情况说明第 21 页第 325 行" in found[0]["message_zh"]
    assert "in table 收入支出决算总表, row " in found[0]["message"] and ", column " in found[0]["message"]


# ------------------------------------------------------------ carry-over and balance (arithmetic.ttl)
# The 财政局 final accounts' 收入支出决算总表 (pages 6-7): 本年收入合计 2,946.25 + 年初结转和结余 49.14
# = 收入总计 2,995.39; 本年支出合计 2,940.05 + 结余分配 (blank) + 年末结转和结余 55.34 = 支出总计 2,995.39.

def _summary_obs(t, row: str):
    item = next(s for s in subjects_of_type(t, "LineItem") if s.value.endswith("/income_expenditure_summary/row/" + row))
    return next(x.subject for x in t if x.predicate == B("lineItem") and x.object == item), item


def test_unmutated_final_accounts_balance():
    assert results(validate(_pdf_sample("shpt_czj_2024_final_accounts.pdf"), ["SummaryGrandTotals"])) == []


def test_carry_over_in_counts_for_the_income_grand_total():
    t = list(_pdf_sample("shpt_czj_2024_final_accounts.pdf"))
    obs, _ = _summary_obs(t, "29-in")  # 年初结转和结余 49.14
    t = replace(t, obs, B("amount"), decimal("50.14"))
    found = results(validate(t, ["SummaryGrandTotals"]), "SummaryGrandTotals", "Warning")
    assert [(r["printed"], Decimal(r["expected"])) for r in found] == [("2995.39", Decimal("2996.39"))]
    assert found[0]["row"].startswith("30") and "总计" in found[0]["row"]


def test_balance_distribution_counts_for_the_expenditure_grand_total():
    """Final accounts: 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余; 结余分配 printed 1.00 (blank in the sample)."""
    t = list(_pdf_sample("shpt_czj_2024_final_accounts.pdf"))
    obs, _ = _summary_obs(t, "29-out")  # 年末结转和结余 55.34
    item = next(s for s in subjects_of_type(t, "LineItem") if s.value.endswith("/income_expenditure_summary/row/28-out"))
    assert value(t, item, B("printedLabel")).value == "结余分配"
    new = N(obs.value.rsplit("/", 1)[0] + "/mutated-28-out")
    for x in [x for x in t if x.subject == obs]:
        o = item if x.predicate == B("lineItem") else decimal("1.00") if x.predicate == B("amount") else x.object
        t.append(ox.Triple(new, x.predicate, o))
    found = results(validate(t, ["SummaryGrandTotals"]), "SummaryGrandTotals", "Warning")
    assert [(r["printed"], Decimal(r["expected"])) for r in found] == [("2995.39", Decimal("2996.39"))]


def test_year_end_balance_counts_for_the_expenditure_grand_total():
    t = list(_pdf_sample("shpt_czj_2024_final_accounts.pdf"))
    obs, _ = _summary_obs(t, "29-out")
    t = replace(t, obs, B("amount"), decimal("56.34"))
    found = results(validate(t, ["SummaryGrandTotals"]), "SummaryGrandTotals", "Warning")
    assert [(r["printed"], Decimal(r["expected"])) for r in found] == [("2995.39", Decimal("2996.39"))]


def test_budget_expenditure_grand_total_checked():
    """The Hebei 收支总表 (line 38): 本年支出合计 1476.29 + 年终结转结余 (blank) = 支出总计 1476.29."""
    t = list(fixed_sample())
    row = next(s for s in subjects_of_type(t, "LineItem") if "/income_expenditure_summary/row/" in s.value
               and value(t, s, B("classification")) == N("https://budgetkg.org/def/cl/summary-item/expenditure-grand-total"))
    obs = next(x.subject for x in t if x.predicate == B("lineItem") and x.object == row)
    t = replace(t, obs, B("amount"), decimal("1480.00"))
    found = results(validate(t, ["SummaryGrandTotals"]), "SummaryGrandTotals", "Warning")
    assert [(r["printed"], Decimal(r["expected"])) for r in found] == [("1480.00", Decimal("1476.29"))]


@pytest.mark.parametrize("name, expected", [
    ("shpt_sfj_2026_budget.pdf", []),
    # page 21: 财政拨款收入支出总计0.3万元 (the tables: 2,995.39 万元), a real finding of the document
    ("shpt_czj_2024_final_accounts.pdf", [("AuditNarrativeUnitFactor", "Warning")]),
])
def test_unmutated_pdf_samples(name, expected):
    found = [(r["rule"], r["severity"]) for r in results(validate(_pdf_sample(name), AUDIT)) if r["severity"] != "Info"]
    assert found == expected


# ------------------------------------------------------------ completeness of the final accounts
def test_a_deleted_final_accounts_table_is_named():
    """The 财政局 final accounts print the nine 决算 tables; without the 收入决算表 (page 8) one is missing."""
    t = list(_pdf_sample("shpt_czj_2024_final_accounts.pdf"))
    ds = _data_set(t, "income")
    gone = {ds} | {x.subject for x in t if x.subject.value.startswith(ds.value + "/")}
    t = [x for x in t if x.subject not in gone and x.object not in gone]
    found = results(validate(t, ["AuditPrescribedTable", "AuditEmptyTableNote"]))
    assert [(r["rule"], r["value"].rsplit("/", 1)[-1]) for r in found] == [("AuditPrescribedTable", "income")]


def test_final_accounts_empty_table_without_its_note():
    """Page 20: the 国有资本经营预算财政拨款收入支出决算表 is empty, with 注：...无国有资本经营预算财政拨款支出，故本表无数据。"""
    t = list(_pdf_sample("shpt_czj_2024_final_accounts.pdf"))
    ds = _data_set(t, "state_capital_expenditure")
    t = without(t, ds, B("note"))
    found = results(validate(t, ["AuditPrescribedTable", "AuditEmptyTableNote"]))
    assert [(r["rule"], r["value"], r["page"]) for r in found] == [("AuditEmptyTableNote", ds.value, 20)]


# ------------------------------------------------------------ 机关运行经费: narrative against the 三公 table
# The 司法局 budget, page 22: 2026年上海市普陀区司法局下属1家机关和1家参公事业单位财政拨款的机关运行经费预算为
# 217.83万元; page 21, 2026年部门“三公”经费和机关运行经费预算表 (单位:万元), column 机关运行经费预算数: 217.83.

def test_running_costs_agree_unmutated():
    t = _pdf_sample("shpt_sfj_2026_budget.pdf")
    fig = _figure(t, "305-1")
    assert value(t, fig, B("threePublicCategory")) == N("https://budgetkg.org/def/cl/three-public/machine-operation")
    assert value(t, fig, B("sourcePage")).value == "22"


def test_running_costs_changed_in_the_narrative():
    t = list(_pdf_sample("shpt_sfj_2026_budget.pdf"))
    fig = _figure(t, "305-1")
    t = replace(t, fig, B("amount"), decimal("218.83"))
    found = results(validate(t, ["AuditNarrativeVsTable", "AuditNarrativeUnitFactor", "AuditNarrativeRounding"]))
    assert [(r["rule"], r["page"], r["line"], r["printed"], Decimal(r["expected"])) for r in found] == [
        ("AuditNarrativeVsTable", 22, 305, "218.83", Decimal("217.83"))]
    assert "机关运行经费预算数" in found[0]["message"] and "narrative page 22, line 305" in found[0]["message"]


def test_running_costs_in_yuan_for_wan_yuan():
    t = list(_pdf_sample("shpt_sfj_2026_budget.pdf"))
    fig = _figure(t, "305-1")
    t = replace(replace(t, fig, B("unitLabel"), ox.Literal("元")), fig, B("unitMultiplier"), ox.Literal("0", datatype=N(XSD + "integer")))
    found = results(validate(t, ["AuditNarrativeVsTable", "AuditNarrativeUnitFactor", "AuditNarrativeRounding"]))
    assert [(r["rule"], r["printed"], Decimal(r["expected"])) for r in found] == [
        ("AuditNarrativeUnitFactor", "217.83", Decimal("217.83"))]


# ------------------------------------------------------------ 政府采购: narrative against the procurement table
# The 烟台市统计局 budget (corpus), PDF page 28: 2026年政府采购预算49.33万元; page 25, 政府采购预算表 (单位：万元),
# row 合计, column 合计: 49.33.

@pytest.fixture(scope="module")
def yantai(shared_dir):
    from budgetkg.etl.pipeline import process
    from budgetkg.etl.to_rdf import to_rdf

    path = shared_dir / "samples" / "corpus" / "yantai_tjj_2026_budget_dept.pdf"
    return tuple(to_rdf(process(path), base="https://budgetkg.org/")[1])


def test_procurement_total_agrees_unmutated(yantai):
    fig = _figure(yantai, "524-1")
    assert value(yantai, fig, B("summaryItem")) == N("https://budgetkg.org/def/cl/summary-item/government-procurement")
    assert results(validate(yantai, ["AuditNarrativeVsTable", "AuditNarrativeUnitFactor", "AuditNarrativeRounding"])) == []


def test_procurement_total_changed_in_the_narrative(yantai):
    t = replace(list(yantai), _figure(yantai, "524-1"), B("amount"), decimal("59.33"))
    found = results(validate(t, ["AuditNarrativeVsTable", "AuditNarrativeUnitFactor", "AuditNarrativeRounding"]))
    assert [(r["rule"], r["page"], r["printed"], Decimal(r["expected"])) for r in found] == [
        ("AuditNarrativeVsTable", 28, "59.33", Decimal("49.33"))]
    assert "in table 政府采购预算表, row 1 合计, column 5 合计" in found[0]["message"]


def test_procurement_total_in_yuan_for_wan_yuan(yantai):
    fig = _figure(yantai, "524-1")
    t = replace(replace(list(yantai), fig, B("unitLabel"), ox.Literal("元")), fig, B("unitMultiplier"),
                ox.Literal("0", datatype=N(XSD + "integer")))
    found = results(validate(t, ["AuditNarrativeVsTable", "AuditNarrativeUnitFactor", "AuditNarrativeRounding"]))
    assert [r["rule"] for r in found] == ["AuditNarrativeUnitFactor"]


@lru_cache(maxsize=1)
def _xian_three_public() -> tuple[ox.Triple, ...]:
    """西安 pages 20 and 39 (tests/cases/xian/three_public_narrative): the text 公务接待费1.50万元，较上年减少0.30万元
    (so 1.80万元 the year before; 公务用车运行维护费 6.60, 较上年减少 0.90) and 表13 in 元, blocks 上年 | 当年 | 增减变化情况:
    公务接待费 18,000.00 | 15,000.00 | -3,000.00, 公务用车运行维护费 75,000.00 | 66,000.00 | -9,000.00 (page images)."""
    from budgetkg.etl.pipeline import process_document
    from budgetkg.etl.read_pdf import read_pdf
    from budgetkg.etl.to_rdf import to_rdf

    doc = read_pdf(Path(__file__).parents[1] / "cases" / "xian" / "three_public_narrative" / "input.pdf")
    doc.meta.update(department_name="西安市统计局", year="2026")  # the excerpt has no cover
    return tuple(to_rdf(process_document(doc), base="https://budgetkg.org/")[1])


def _narrative_figure(triples, category: str, kind: str, year: str) -> ox.NamedNode:
    (fig,) = {t.subject for t in triples if t.predicate == B("threePublicCategory") and t.object.value.endswith("/" + category)
              and "/narrative/" in t.subject.value and value(triples, t.subject, B("figureKind")).value == kind
              and value(triples, t.subject, B("fiscalYear")).value == year}
    return fig


def test_a_stated_change_agrees_with_the_change_and_prior_year_cells():
    """Unmutated, the changes the text states and the prior year's figures they give agree with the 增减 and 上年 cells."""
    narrative = ["AuditNarrativeVsTable", "AuditNarrativeUnitFactor", "AuditNarrativeRounding"]
    assert results(validate(_xian_three_public(), narrative)) == []


def test_a_wrong_stated_change_is_found_against_the_change_cells():
    """较上年减少0.30万元 made 0.50: no 增减 cell of 公务接待费 is -5,000 元; the nearest is -3,000.00 (a 当年 or 上年 cell
    never answers for a change)."""
    t = list(_xian_three_public())
    t = replace(t, _narrative_figure(t, "reception", "change", "2026"), B("amount"), decimal("-0.50"))
    found = results(validate(t, ["AuditNarrativeVsTable", "AuditNarrativeUnitFactor", "AuditNarrativeRounding"]))
    assert [(r["rule"], r["severity"]) for r in found] == [("AuditNarrativeVsTable", "Warning")]
    assert Decimal(found[0]["printed"]) == Decimal("-0.50") and Decimal(found[0]["expected"]) == Decimal("-3000.00")
    assert "增减" in found[0]["message"]


def test_a_prior_year_figure_is_found_against_the_prior_year_cells():
    """The prior year's 公务用车运行维护费 the text gives (6.60 + 0.90 = 7.50万元) made 8.50: the nearest 上年 cell is
    75,000.00 元; the 当年 66,000.00 and the 增减 -9,000.00 are not of that year."""
    t = list(_xian_three_public())
    t = replace(t, _narrative_figure(t, "vehicle-operation", "level", "2025"), B("amount"), decimal("8.50"))
    found = results(validate(t, ["AuditNarrativeVsTable", "AuditNarrativeUnitFactor", "AuditNarrativeRounding"]))
    assert [(r["rule"], r["severity"]) for r in found] == [("AuditNarrativeVsTable", "Warning")]
    assert Decimal(found[0]["expected"]) == Decimal("75000.00") and "2025" in found[0]["message"]
