"""Mutation tests of the code-list shapes (shapes/codelists.ttl)."""

from __future__ import annotations

import pyoxigraph as ox

from tests.shapes.test_shapes_support import (
    CL, QB, SKOS, B, N, RDF_TYPE, fixed_sample, observation, replace, results, subjects_of_type, validate, value, without,
)

from budgetkg.etl.validation import validate_vocabulary

CODELIST_SHAPES = ["ConceptSchemeBroader", "ConceptLabels", "CodeFormat", "CodeBroaderPrefix", "PrintedCodeConcept",
                   "PrintedCodeLevel", "TableKindConcept", "ObservationClassification", "DimensionValuesShape", "RowOrder",
                   "PrintedCodeUnclassified"]


def _row(triples, table: str, index: int) -> ox.NamedNode:
    return N(subjects_of_type(triples, "LineItem")[0].value.split("/budget/")[0] + f"/budget/{table}/row/{index}")


def _concept(notation: str, broader: str | None, labels=(("行政运行X", "zh"), ("Test concept", "en")), scheme="functional"):
    c = N(f"{CL}{scheme}/{notation}")
    out = [ox.Triple(c, RDF_TYPE, N(SKOS + "Concept")), ox.Triple(c, N(SKOS + "inScheme"), N(CL + scheme)),
           ox.Triple(c, N(SKOS + "notation"), ox.Literal(notation))]
    out += [ox.Triple(c, N(SKOS + "prefLabel"), ox.Literal(text, language=lang)) for text, lang in labels]
    if broader:
        out.append(ox.Triple(c, N(SKOS + "broader"), N(f"{CL}{scheme}/{broader}")))
    return c, out


def test_sample_and_vocabulary_conform():
    assert not validate(fixed_sample(), CODELIST_SHAPES).results
    outcome = validate_vocabulary()
    assert not outcome.violations, [r["message"] for r in outcome.violations][:5]


def test_concept_needs_zh_and_en_labels():
    c, triples = _concept("2150599", "21505", labels=(("其他", "zh"),))
    found = results(validate(list(fixed_sample()) + triples, ["ConceptLabels"]))
    assert [(r["value"], "en" in r["message"]) for r in found] == [(c.value, True)]


def test_code_format_by_level():
    c, triples = _concept("21505011", "215050")
    found = [r for r in results(validate(list(fixed_sample()) + triples, ["CodeFormat"])) if r["value"] == c.value]
    assert any("3 (类), 5 (款) or 7 (项)" in r["message"] for r in found)
    e, triples = _concept("3010101", "30101", scheme="economic")
    found = results(validate(list(fixed_sample()) + triples, ["CodeFormat"]))
    assert any(r["value"] == e.value and "economic codes 3 (类) or 5 (款)" in r["message"] for r in found)
    # a local extension code (重庆 prints 3010201 under 30102) is reported, never a reason to refuse the document
    assert {r["severity"] for r in found if r["value"] == e.value} == {"Warning"}


def test_xiang_under_the_wrong_kuan():
    """A 项 concept whose skos:broader is not its code prefix (2150599 under 款 21004)."""
    c, triples = _concept("2150599", "21004")
    found = results(validate(list(fixed_sample()) + triples, ["CodeBroaderPrefix"]))
    assert [(r["value"], "21505" in r["message"] and "21004" in r["message"]) for r in found] == [(c.value, True)]


def test_xiang_row_printed_under_the_wrong_kuan():
    """In the 支出总表, row 4 (项 2100409) printed as 2150501 sits under 款 21004: a warning."""
    base = list(fixed_sample())
    row = _row(base, "expenditure", 4)
    mutated = replace(replace(base, row, B("printedCode"), ox.Literal("2150501")), row, B("classification"), N(CL + "functional/2150501"))
    for o in [t.subject for t in base if t.predicate == B("lineItem") and t.object == row]:
        mutated = replace(mutated, o, B("functionalClassification"), N(CL + "functional/2150501"))
    found = results(validate(mutated, ["RowOrder"]), "RowOrder")
    assert [(r["severity"], r["table"], r["row"]) for r in found] == [("Warning", "部门预算支出总表", "4 2150501 重大公共卫生服务")]
    assert "21004" in found[0]["message"]


def test_a_list_of_xiang_rows_without_their_lei_and_kuan_is_in_no_order():
    """A table printing 项 rows only (北京 预算05表 lists 2010601 ... 2050803 ... per unit, no 类 or 款 row):
    a 项 under a 项 of another 款 is not misplaced, since its own 款 is printed nowhere in the table.
    In the 支出总表, rows 2, 3 and 5 (类 210, 款 21004, 类 215) lose their codes and row 6 (款 21505)
    becomes 项 2100499: row 7 (2150501) then follows a 项 of 款 21004, and 款 21505 is not printed."""
    base = list(fixed_sample())
    uncoded = {_row(base, "expenditure", i) for i in (2, 3, 5)}
    flat = [t for t in base if not (t.subject in uncoded and t.predicate == B("printedCode"))]
    flat = replace(flat, _row(base, "expenditure", 6), B("printedCode"), ox.Literal("2100499"))
    assert not results(validate(flat, ["RowOrder"]), "RowOrder")
    # the same rows with 款 21505 still printed (on row 5): row 7 is not under it, a warning
    moved = replace(flat, _row(base, "expenditure", 5), B("printedCode"), ox.Literal("21505"))
    found = results(validate(moved, ["RowOrder"]), "RowOrder")
    assert [r["row"] for r in found] == ["7 2150501 行政运行"]


def test_printed_code_is_the_row_concept():
    base = list(fixed_sample())
    row = _row(base, "expenditure", 3)
    both = ["PrintedCodeConcept", "PrintedCodeLevel"]
    found = results(validate(replace(base, row, B("printedCode"), ox.Literal("21005")), both))
    assert [(r["rule"], r["value"]) for r in found] == [("PrintedCodeConcept", row.value)]
    found = results(validate(replace(base, row, B("printedCode"), ox.Literal("2100")), both))
    assert sorted((r["rule"], r["value"]) for r in found) == [("PrintedCodeConcept", row.value), ("PrintedCodeLevel", row.value)]


def test_an_unclassified_printed_code_is_a_warning():
    """A row printing a code that classifies nothing (西安市统计局 2026 部门综合预算收入总表, page 27, prints
    its units' codes 119001 ...) is kept as printed and reported, never a violation (issue 12)."""
    base = list(fixed_sample())
    row = _row(base, "expenditure", 3)
    mutated = without(replace(base, row, B("printedCode"), ox.Literal("119001")), row, B("classification"))
    checks = ["PrintedCodeConcept", "PrintedCodeLevel", "PrintedCodeUnclassified"]
    found = results(validate(mutated, checks))
    assert [(r["rule"], r["severity"], r["value"]) for r in found] == [("PrintedCodeUnclassified", "Warning", row.value)]
    assert "119001" in found[0]["message"]


def test_classification_value_from_the_right_scheme():
    base = list(fixed_sample())
    col = [c for c in subjects_of_type(base, "Column") if c.value.endswith("/expenditure/col/5")][0]
    assert value(base, col, B("expenditureType")) == N(CL + "expenditure-type/basic")
    found = results(validate(replace(base, col, B("expenditureType"), N(CL + "fund-source/general-budget")), ["DimensionValuesShape"]))
    assert [(r["value"], r["path"]) for r in found] == [(col.value, B("expenditureType").value)]
    ds = subjects_of_type(base, "BudgetDataSet")[0]
    found = results(validate(replace(base, ds, B("tableKind"), N(CL + "functional/210")), ["TableKindConcept"]))
    assert [r["value"] for r in found] == [ds.value]


def test_observation_carries_its_row_classification():
    base = list(fixed_sample())
    obs = observation(base, "expenditure", 2, 4)
    found = results(validate(replace(base, obs, B("functionalClassification"), N(CL + "functional/215")), ["ObservationClassification"]))
    assert [(r["value"], r["path"]) for r in found] == [(obs.value, B("functionalClassification").value)]
    assert QB  # (namespace shared with the other shape tests)
