"""The screen of the arithmetic SHACL-SPARQL constraints (budgetkg.etl.sparql_screen).

A focus node the screen clears is not queried, so the screen must never clear one the query has a
solution for: on the sample, on corpus documents, and on many randomly mutated copies (amounts
moved by a rounding unit or more, cells emptied, figures given a second amount, another precision,
another lexical form of the same number (one term in the store) or another datatype, rows and
columns moved in the hierarchy), every check the screen clears is run anyway and must have no
solution. And a changed amount that breaks a sum is not cleared.
"""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal

import pyoxigraph as ox
import pytest

from tests.shapes.test_shapes_arithmetic_corpus import corpus_triples
from tests.shapes.test_shapes_support import XSD, B, decimal, fixed_sample, observation, replace, set_amount

from budgetkg.etl import shacl_batch, shacl_screen, sparql_screen
from budgetkg.etl.validation import _checks, context_triples

_AMOUNT, _DECIMALS = B("amount"), B("decimals")
# Predicates the arithmetic reads (besides amounts): moved, dropped or doubled by the mutations.
_STRUCTURE = [B(p) for p in ("lineItem", "column", "rowIndex", "classification", "side", "fiscalYear", "hasLineItem",
                             "hasColumn", "fundSource", "expenditureType", "decimals", "budgetPhase", "unitMultiplier",
                             "tableKind", "parentLine", "columnRole", "functionalClassification",
                             "economicClassification")] + [ox.NamedNode("http://purl.org/linked-data/cube#dataSet")]


def _screened() -> list:
    return [c for c in _checks(None) if c.focus_screen is not None]


def _verdicts(triples) -> list[tuple]:
    """(shape, focus, the screen's verdict, whether the query has a solution) of every screened
    check and focus node."""
    triples = list(triples) + context_triples(list(triples))
    doc = shacl_batch.Document(triples)
    index = doc.index
    out = []
    for check in _screened():
        for sol in doc.query(shacl_batch._fill(check.focus_query, check)):
            focus = sol["this"]
            found = any(f.focus == focus for f in shacl_batch.run_check(doc, dataclasses.replace(check, focus_screen=None)))
            out.append((str(check.shape), focus, check.focus_screen(index, focus), found))
    return out


def _wrong(verdicts) -> list:
    return [(shape, str(focus)) for shape, focus, may, found in verdicts if found and not may]


def _amount_variants(o: ox.Literal, rng: random.Random) -> list:
    """Other amounts for a figure: moved by half a unit of its last digit (the tolerance's edge), a
    unit, a hundred; the same number in another lexical form or datatype; not a number."""
    v = Decimal(o.value)
    unit = Decimal(1).scaleb(v.as_tuple().exponent)
    moved = [v + k * unit for k in (Decimal("0.5"), Decimal("-0.5"), 1, -1, 100, rng.randint(-999, 999))]
    out = [decimal(str(x)) for x in moved]
    out += [ox.Literal(o.value + ("0" if "." in o.value else ".0"), datatype=ox.NamedNode(XSD + "decimal")),
            ox.Literal("0" + o.value, datatype=ox.NamedNode(XSD + "decimal")),
            ox.Literal(o.value, datatype=ox.NamedNode(XSD + "double")), ox.Literal(o.value), decimal("0")]
    if "." not in o.value:
        out.append(ox.Literal(o.value, datatype=ox.NamedNode(XSD + "integer")))
    return out


def _mutate(triples: list, rng: random.Random, n: int) -> list:
    out = list(triples)
    amounts = [i for i, t in enumerate(out) if t.predicate == _AMOUNT]
    for _ in range(n):
        how = rng.choice(("amount", "amount", "amount", "second", "blank", "structure"))
        if how in ("amount", "second"):
            i = rng.choice(amounts)
            t = out[i]
            new = ox.Triple(t.subject, t.predicate, rng.choice(_amount_variants(t.object, rng)))
            if how == "amount":
                out[i] = new
            else:
                out.append(new)
        elif how == "blank":  # the cell printed blank: no observation at all, or one with no amount
            obs = out[rng.choice(amounts)].subject
            drop_all = rng.random() < 0.5
            out = [t for t in out if t.subject != obs or not (drop_all or t.predicate == _AMOUNT)]
            amounts = [i for i, t in enumerate(out) if t.predicate == _AMOUNT]
        else:
            p = rng.choice(_STRUCTURE)
            rows = [i for i, t in enumerate(out) if t.predicate == p]
            if not rows:
                continue
            i = rng.choice(rows)
            t = out[i]
            other = out[rng.choice(rows)].object
            kind = rng.choice(("drop", "replace", "add"))
            if kind == "drop":
                out.pop(i)
                amounts = [k for k, x in enumerate(out) if x.predicate == _AMOUNT]
            elif kind == "replace":
                out[i] = ox.Triple(t.subject, p, other)
            else:
                out.append(ox.Triple(t.subject, p, other))
    return out


def test_every_screen_is_used_for_the_text_it_was_written_for():
    """A screen computes what its query computes: when a shape's query text changes, its screen is no
    longer used (the digest differs), and this test names it for review."""
    shapes = {str(c.shape) for c in _screened()}
    assert shapes == set(sparql_screen.SCREENS), sorted(set(sparql_screen.SCREENS) - shapes)


def _may(verdicts) -> set:
    """The shapes (local names) whose screen lets the query run."""
    return {shape.rsplit("#", 1)[1] for shape, _, may, _ in verdicts if may}


def test_the_sample_is_cleared_but_for_its_blank_three_public_total():
    verdicts = _verdicts(fixed_sample())
    assert {shape for shape, *_ in verdicts} == set(sparql_screen.SCREENS)
    assert not _wrong(verdicts)
    # the sample's 三公 table prints 公务用车购置及运维费 blank (test_shapes_arithmetic): RowBlankTotal
    assert [(shape.rsplit("#", 1)[1], may, found) for shape, _, may, found in verdicts if may or found] == [
        ("RowBlankTotal", True, True)]


@pytest.mark.parametrize("stem", ["shenzhen_czj_2026_budget_dept", "xian_tjj_2026_budget_dept", "central_gjxfj_2024_final_dept"])
def test_corpus_documents(stem):
    verdicts = _verdicts(corpus_triples(stem))
    assert verdicts and not _wrong(verdicts)


def test_a_changed_amount_that_breaks_a_sum_is_not_cleared():
    # 支出总表 row 7 (2150501 行政运行), column 4 合计: 916.29 -> 917.29 breaks its row's parts (ColumnSum)
    # and its 款's total (RowSum); test_shapes_arithmetic names both findings
    triples = list(fixed_sample())
    triples = replace(triples, observation(triples, "expenditure", 7, 4), _AMOUNT, decimal("917.29"))
    verdicts = {(shape.rsplit("#", 1)[1], may, found) for shape, _, may, found in _verdicts(triples)}
    assert {("RowSum", True, True), ("ColumnSum", True, True)} <= verdicts


@pytest.mark.parametrize("table,row,col,amount,shapes", [
    # the cases of test_shapes_arithmetic, where the query names each finding
    ("income_expenditure_summary", 34, 5, "1476.39", {"SummaryBalance", "SummaryGrandTotals"}),
    ("income_expenditure_summary", 1, 3, "1476.00", {"SummaryCurrentTotals"}),
    ("expenditure", 2, 4, "450.00", {"SummaryVsExpenditure"}),
    ("general_budget_expenditure", 1, 4, "1400.00", {"AppropriationVsFundTables"}),
    ("general_budget_basic_expenditure", 1, 4, "891.00", {"GeneralBudgetBasic"}),
    ("income", 1, 4, "1476.00", {"SummaryVsIncome"}),
])
def test_a_changed_summary_figure_is_not_cleared(table, row, col, amount, shapes):
    verdicts = _verdicts(set_amount(fixed_sample(), table, row, col, amount))
    assert shapes <= _may(verdicts) and not _wrong(verdicts)


def test_one_unit_of_the_last_digit_runs_the_rounding_check_only():
    # 支出总表 row 2 (类 210) 合计 440.00 -> 440.01: the 收支总表 line differs by one unit, a rounding (sh:Info)
    verdicts = _verdicts(set_amount(fixed_sample(), "expenditure", 2, 4, "440.01"))
    assert "SummaryVsExpenditureRounding" in _may(verdicts) and "SummaryVsExpenditure" not in _may(verdicts)
    assert not _wrong(verdicts)


def test_an_observation_off_its_row_or_its_code_list_is_not_cleared():
    triples = list(fixed_sample())
    obs = observation(triples, "expenditure", 7, 4)  # row 7: 2150501 行政运行
    functional = B("functionalClassification")
    other = replace(triples, obs, functional, ox.NamedNode("https://budgetkg.org/def/cl/functional/2150502"))
    assert "ObservationClassification" in _may(_verdicts(other))
    unknown = replace(triples, obs, functional, ox.NamedNode("https://budgetkg.org/def/cl/functional/9999999"))
    assert {"ObservationClassification", "IC19-CodesFromCodeList"} <= _may(_verdicts(unknown))
    bare = [t for t in triples if not (t.subject == obs and t.predicate == functional)]
    assert {"ObservationClassification", "IC11-AllDimensionsRequired"} <= _may(_verdicts(bare))


def test_an_observation_twice_or_without_its_measure_is_not_cleared():
    triples = list(fixed_sample())
    obs = observation(triples, "expenditure", 7, 4)
    copy = ox.NamedNode(obs.value + "-copy")  # another observation of the same cell (IC-12)
    twice = triples + [ox.Triple(copy, t.predicate, t.object) for t in triples if t.subject == obs]
    assert "IC12-NoDuplicateObservations" in _may(_verdicts(twice))
    bare = [t for t in triples if not (t.subject == obs and t.predicate == _AMOUNT)]  # its measure gone (IC-14)
    assert "IC14-AllMeasuresPresent" in _may(_verdicts(bare))


def test_an_amount_within_its_rounding_is_cleared():
    # 916.29 -> 916.294 stays within half a unit of the last printed digit of the total and its parts
    triples = list(fixed_sample())
    triples = replace(triples, observation(triples, "expenditure", 7, 4), _AMOUNT, decimal("916.294"))
    verdicts = {(shape.rsplit("#", 1)[1], may) for shape, _, may, found in _verdicts(triples)}
    assert ("RowSum", False) in verdicts and ("ColumnSum", False) in verdicts


@pytest.mark.parametrize("seed", range(16))
def test_a_cleared_check_has_no_solution_on_mutated_documents(seed):
    rng = random.Random(seed)
    verdicts = _verdicts(_mutate(list(fixed_sample()), rng, 1 + seed % 4))
    assert not _wrong(verdicts)
    # the mutations reach the arithmetic (else this test could not fail)
    assert any(found for *_, found in verdicts)


def test_the_forms_the_screen_does_not_compute_on_are_left_to_the_query():
    triples = list(fixed_sample())
    # 支出总表 row 7, column 5 (基本支出): a part of its row's 合计 (ColumnSum) and of its 款's total (RowSum)
    obs = observation(triples, "expenditure", 7, 5)
    amount = next(t.object for t in triples if t.subject == obs and t.predicate == _AMOUNT)
    # the same amount twice, in two lexical forms: one term in the store, two in the triples
    twice = triples + [ox.Triple(obs, _AMOUNT, ox.Literal(amount.value + "0", datatype=ox.NamedNode(XSD + "decimal")))]
    odd = replace(triples, obs, _DECIMALS, ox.Literal("2"))  # a precision that is not an xsd:integer
    for mutated in (twice, odd):
        verdicts = {shape.rsplit("#", 1)[1]: may for shape, _, may, _ in _verdicts(mutated)}
        assert verdicts["RowSum"] and verdicts["ColumnSum"]


def _with_node(triples, old, new) -> list:
    return [ox.Triple(new if t.subject == old else t.subject, t.predicate, new if t.object == old else t.object)
            for t in triples]


def test_terms_the_store_reads_otherwise_are_left_to_the_query():
    """What the store cannot tell apart from the triples, or cannot read, is no ground to clear a check."""
    triples = list(fixed_sample())
    integer = ox.NamedNode(XSD + "integer")
    # a row index beyond the store's 64-bit integers: the comparison fails, the nearest total is unbound,
    # and RowSum sums every printed cell of the column (the query has solutions)
    row = next(t.object for t in triples if t.subject == observation(triples, "expenditure", 2, 4)
               and t.predicate == B("lineItem"))
    huge = replace(triples, row, B("rowIndex"), ox.Literal("99999999999999999999", datatype=integer))
    # an observation that is a blank node: no IRI to name the nearest total by
    blank = _with_node(triples, observation(triples, "expenditure", 2, 4), ox.BlankNode("cell"))
    # a copy of an observation, the two on line items the store holds as one term ("01" and "1" as
    # xsd:integer): two observations of one cell (IC-12)
    obs = observation(triples, "expenditure", 7, 4)
    copy = ox.NamedNode(obs.value + "-copy")
    alike = triples + [ox.Triple(copy, t.predicate, t.object) for t in triples if t.subject == obs]
    for node, lexical in ((obs, "01"), (copy, "1")):
        alike = replace(alike, node, B("lineItem"), ox.Literal(lexical, datatype=integer))
    for mutated, shape in ((huge, "RowSum"), (blank, "RowSum"), (alike, "IC12-NoDuplicateObservations")):
        verdicts = _verdicts(mutated)
        assert not _wrong(verdicts)
        assert any(s.endswith("#" + shape) and found for s, _, _, found in verdicts)  # the query does find
