"""Mutation tests of the RDF Data Cube integrity constraints (shapes/cube.ttl)."""

from __future__ import annotations

import pyoxigraph as ox

from tests.shapes.test_shapes_support import (
    QB, B, N, RDF_TYPE, decimal, fixed_sample, observation, results, subjects_of_type, validate, value, without,
)

from budgetkg.etl.validation import validate_graph, vocabulary_files

IC_SHAPES = [
    "IC1-UniqueDataSet", "IC2-UniqueDSD", "IC11-AllDimensionsRequired", "IC12-NoDuplicateObservations",
    "IC13-RequiredAttributes", "IC14-AllMeasuresPresent", "IC15-MeasureDimensionConsistent",
    "IC16-SingleMeasure", "IC19-CodesFromCodeList",
]


def test_sample_satisfies_every_ic():
    assert not validate(fixed_sample(), IC_SHAPES).results


def test_ic1_observation_without_data_set():
    obs = observation(fixed_sample(), "expenditure", 1, 4)
    found = results(validate(without(fixed_sample(), obs, N(QB + "dataSet")), ["IC1-UniqueDataSet"]))
    assert [r["focus"] for r in found] == [obs.value]


def test_ic2_data_set_with_two_structures():
    ds = subjects_of_type(fixed_sample(), "BudgetDataSet")[0]
    mutated = list(fixed_sample()) + [ox.Triple(ds, N(QB + "structure"), B("dsd-income"))]
    mutated = [t for t in mutated if not (t.subject == ds and t.predicate == N(QB + "structure"))] + [
        ox.Triple(ds, N(QB + "structure"), B("dsd-income")), ox.Triple(ds, N(QB + "structure"), B("dsd-expenditure"))]
    assert results(validate(mutated, ["IC2-UniqueDSD"]), "IC2-UniqueDSD")


def test_ic11_missing_dimension_names_the_observation():
    obs = observation(fixed_sample(), "expenditure", 2, 4)
    found = results(validate(without(fixed_sample(), obs, B("functionalClassification")), ["IC11-AllDimensionsRequired"]))
    assert [(r["value"], r["path"]) for r in found] == [(obs.value, B("functionalClassification").value)]
    assert found[0]["table"] == "部门预算支出总表" and found[0]["row"].startswith("2 210")


def test_ic12_duplicate_observation_found_by_grouping():
    base = list(fixed_sample())
    obs = observation(base, "expenditure", 2, 4)
    twin = N(obs.value + "-copy")
    mutated = base + [ox.Triple(twin, t.predicate, t.object) for t in base if t.subject == obs]
    found = results(validate(mutated, ["IC12-NoDuplicateObservations"]))
    assert len(found) == 1 and {found[0]["value"]} <= {obs.value, twin.value}
    # same row and column but another dimension value: not a duplicate in the IC-12 sense
    differing = [ox.Triple(twin, t.predicate, t.object) for t in base if t.subject == obs and t.predicate != B("fiscalYear")]
    differing.append(ox.Triple(twin, B("fiscalYear"), ox.Literal("1999", datatype=N("http://www.w3.org/2001/XMLSchema#gYear"))))
    assert not results(validate(base + differing, ["IC12-NoDuplicateObservations"]))


def test_ic13_required_attribute():
    obs = observation(fixed_sample(), "income", 1, 4)
    found = results(validate(without(fixed_sample(), obs, B("decimals")), ["IC13-RequiredAttributes"]))
    assert [(r["value"], r["path"]) for r in found] == [(obs.value, B("decimals").value)]


def test_ic14_measure_missing():
    obs = observation(fixed_sample(), "income", 1, 4)
    found = results(validate(without(fixed_sample(), obs, B("amount")), ["IC14-AllMeasuresPresent"]))
    assert [r["value"] for r in found] == [obs.value]


def test_ic15_ic16_measure_type():
    base = list(fixed_sample())
    obs = observation(base, "fixed_assets", 3, 3)  # 车辆 value: measureType bkg:amount
    assert value(base, obs, N(QB + "measureType")) == B("amount")
    wrong = [t for t in base if not (t.subject == obs and t.predicate == N(QB + "measureType"))]
    wrong.append(ox.Triple(obs, N(QB + "measureType"), B("quantity")))
    assert [r["value"] for r in results(validate(wrong, ["IC15-MeasureDimensionConsistent"]))] == [obs.value]
    both = base + [ox.Triple(obs, B("quantity"), decimal("3"))]
    assert [r["value"] for r in results(validate(both, ["IC16-SingleMeasure"]))] == [obs.value]


def test_ic19_code_not_in_code_list():
    base = list(fixed_sample())
    obs = observation(base, "expenditure", 2, 4)
    wrong = [t for t in base if not (t.subject == obs and t.predicate == B("functionalClassification"))]
    wrong.append(ox.Triple(obs, B("functionalClassification"), N("https://budgetkg.org/def/cl/economic/301")))
    found = results(validate(wrong, ["IC19-CodesFromCodeList"]))
    assert [(r["value"], r["path"]) for r in found] == [(obs.value, B("functionalClassification").value)]


def _vocabulary() -> list[ox.Triple]:
    out = []
    for path in vocabulary_files():
        with path.open("rb") as fh:
            out.extend(ox.parse(fh, format=ox.RdfFormat.TURTLE))
    return out


def test_vocabulary_satisfies_ic3_to_ic6():
    shapes = ["https://budgetkg.org/def/shapes#" + s for s in (
        "IC3-DSDIncludesMeasure", "IC4-DimensionsHaveRange", "IC5-ConceptDimensionsHaveCodeLists", "IC6-OnlyAttributesOptional")]
    assert not validate_graph(_vocabulary(), with_context=False, use_shapes=shapes).results


def test_ic3_to_ic6_mutations():
    vocab = _vocabulary()
    dsd, spec = B("dsd-income"), B("dsd-income-amount")
    no_measure = [t for t in vocab if not (t.subject == dsd and t.object == spec)]
    dim = B("fundSource")
    no_range = [t for t in vocab if not (t.subject == dim and t.predicate.value.endswith("#range"))]
    no_codelist = [t for t in vocab if not (t.subject == dim and t.predicate == N(QB + "codeList"))]
    optional_dim = vocab + [ox.Triple(B("dsd-income-fundSource"), N(QB + "componentRequired"),
                                      ox.Literal("false", datatype=N("http://www.w3.org/2001/XMLSchema#boolean")))]
    for graph, shape, focus in (
        (no_measure, "IC3-DSDIncludesMeasure", dsd), (no_range, "IC4-DimensionsHaveRange", dim),
        (no_codelist, "IC5-ConceptDimensionsHaveCodeLists", dim), (optional_dim, "IC6-OnlyAttributesOptional", B("dsd-income-fundSource")),
    ):
        outcome = validate_graph(graph, with_context=False, use_shapes=["https://budgetkg.org/def/shapes#" + shape])
        assert [r["focus"] for r in outcome.results if r["rule"] == shape] == [focus.value], shape
    assert RDF_TYPE  # (imported for symmetry with the other shape tests)
