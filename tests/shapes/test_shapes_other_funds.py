"""The arithmetic and narrative shapes where a template prints its non-appropriation funds as one 其他资金
(fund-source/other-funds): the column and the line add up with the others, and the explanation's 其他资金
total is compared with them, not with the grand total. Cases of tests/cases (see tests/etl/test_other_funds.py);
figures read off the page images.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from tests.shapes.test_shapes_support import B, decimal, observation, replace, results, validate

CASES = Path(__file__).parents[1] / "cases"
NARRATIVE = ["AuditNarrativeVsTable", "AuditNarrativeUnitFactor", "AuditNarrativeRounding"]


@lru_cache(maxsize=2)
def _triples(case: str, department: str, year: str) -> tuple:
    from budgetkg.etl.pipeline import Overrides, process_document
    from budgetkg.etl.read_pdf import read_pdf
    from budgetkg.etl.to_rdf import to_rdf

    rec = process_document(read_pdf(CASES / case / "input.pdf"),
                           overrides=Overrides(department=department, year=year, phase="budget"))
    return tuple(to_rdf(rec, base="https://budgetkg.org/")[1])


def _guangzhou():
    return _triples("guangzhou/project_list_other_funds", "广州市统计局", "2026")


def _jiangsu():
    return _triples("jiangsu/other_funds", "江苏省人民检察院", "2018")


def test_guangzhou_total_is_the_sum_with_the_other_funds_column():
    # page 21: 总计 1,082.05 = 1,032.05 (财政拨款) + 0.00 (财政专户拨款) + 50.00 (其他资金)
    assert results(validate(_guangzhou(), ["ColumnSum"])) == []


def test_guangzhou_other_funds_cell_that_disagrees_is_found():
    # 上级拨入专项调查经费 (row 5): 其他资金 50.00 -> 40.00; 总计 prints 50.00
    triples = list(_guangzhou())
    mutated = replace(triples, observation(triples, "project_expenditure", 5, 8), B("amount"), decimal("40.00"))
    got = [(r["row"], r["column"], r["printed"], Decimal(r["expected"])) for r in results(validate(mutated, ["ColumnSum"]))]
    assert got == [("5 上级拨入专项调查经费", "2 总计", "50.00", Decimal("40.00"))]


def test_jiangsu_other_funds_total_of_the_text_agrees_with_its_line():
    # page 23: 2．其他资金收入预算总计 14.39 万元; page 13: 三、其他资金 14.39
    assert results(validate(_jiangsu(), NARRATIVE)) == []


def test_jiangsu_other_funds_total_of_the_text_against_a_line_that_disagrees():
    triples = list(_jiangsu())
    mutated = replace(triples, observation(triples, "income_expenditure_summary", 5, 2), B("amount"), decimal("14.49"))
    found = results(validate(mutated, NARRATIVE))
    assert [(r["rule"], r["printed"], Decimal(r["expected"])) for r in found] == [
        ("AuditNarrativeVsTable", "14.39", Decimal("14.49"))]
