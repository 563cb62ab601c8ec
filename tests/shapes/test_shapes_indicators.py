"""Mutation tests of the performance-indicator shapes (shapes/indicators.ttl)."""

from __future__ import annotations

import pyoxigraph as ox

from tests.shapes.test_shapes_support import CL, B, N, fixed_sample, replace, results, subjects_of_type, validate, value, without

INDICATOR_RULES = ["IndicatorLevels", "IndicatorLevel2UnderLevel1", "IndicatorLevelRecognised",
                   "IndicatorTargetFields", "IndicatorTargetParsed", "ProjectLevel1Coverage"]


def _level(label: str) -> ox.NamedNode:
    """The indicator-level concept with this zh preferred label (IRIs are the code list's business)."""
    from budgetkg.etl.codelists import codelists

    lists = codelists()
    for iri, (zh, _) in lists.labels.items():
        if iri.startswith(CL + "indicator-level/") and zh == label:
            return N(iri)
    raise KeyError(label)


def _indicator(triples, project: int, row: int) -> ox.NamedNode:
    for i in subjects_of_type(triples, "PerformanceIndicator"):
        if i.value.endswith(f"/indicator/{project}/{row}"):
            return i
    raise KeyError((project, row))


def test_sample_indicators_conform_without_warnings():
    assert not validate(fixed_sample(), INDICATOR_RULES).results


def test_level2_under_the_wrong_level1():
    base = list(fixed_sample())
    ind = _indicator(base, 1, 5)  # 效益指标 / 经济效益指标
    assert value(base, ind, B("indicatorLevel2")) == _level("经济效益指标")
    found = results(validate(replace(base, ind, B("indicatorLevel1"), _level("产出指标")), INDICATOR_RULES))
    assert [(r["rule"], r["severity"], r["row"]) for r in found] == [("IndicatorLevel2UnderLevel1", "Warning", "5")]
    assert "经济效益指标" in found[0]["message"] and "产出指标" in found[0]["message"] and "效益指标" in found[0]["message"]
    assert found[0]["project"] == "安全生产办公室工作经费"


def test_level_concepts_from_the_code_list():
    base = list(fixed_sample())
    ind = _indicator(base, 1, 1)
    found = results(validate(replace(base, ind, B("indicatorLevel1"), _level("数量指标")), ["IndicatorLevels"]))
    assert [(r["severity"], r["value"]) for r in found] == [("Violation", ind.value)]
    found = results(validate(replace(base, ind, B("indicatorLevel2"), _level("效益指标")), ["IndicatorLevels"]))
    assert [(r["severity"], r["value"]) for r in found] == [("Violation", ind.value)]


def test_printed_level_not_recognised():
    base = list(fixed_sample())
    ind = _indicator(base, 2, 1)
    found = results(validate(without(base, ind, B("indicatorLevel2")), ["IndicatorLevelRecognised"]))
    assert [(r["severity"], r["value"]) for r in found] == [("Warning", ind.value)]


def test_target_parsed_or_explicitly_qualitative():
    base = list(fixed_sample())
    ind = _indicator(base, 1, 1)  # ≥2 次
    unparsed = replace(without(without(without(base, ind, B("targetValue")), ind, B("comparator")), ind, B("targetUnit")),
                       ind, B("targetKind"), ox.Literal("unparsed"))
    found = results(validate(unparsed, INDICATOR_RULES))
    assert [(r["rule"], r["severity"], r["value"]) for r in found] == [("IndicatorTargetParsed", "Warning", ind.value)]
    no_value = without(base, ind, B("targetValue"))
    found = results(validate(no_value, INDICATOR_RULES))
    assert [(r["rule"], r["severity"]) for r in found] == [("IndicatorTargetFields", "Violation")]
    qualitative_with_value = replace(base, ind, B("targetKind"), ox.Literal("qualitative"))
    assert [r["rule"] for r in results(validate(qualitative_with_value, INDICATOR_RULES))] == ["IndicatorTargetFields"]


def test_every_project_has_each_level1():
    base = list(fixed_sample())
    satisfaction = _level("满意度指标")
    project1 = [i for i in subjects_of_type(base, "PerformanceIndicator") if "/indicator/1/" in i.value]
    drop = {i for i in project1 if value(base, i, B("indicatorLevel1")) == satisfaction}
    assert drop
    mutated = [t for t in base if t.subject not in drop and t.object not in drop]
    found = results(validate(mutated, INDICATOR_RULES))
    assert [(r["rule"], r["severity"], r["project"]) for r in found] == [("ProjectLevel1Coverage", "Warning", "安全生产办公室工作经费")]
    assert "满意度指标" in found[0]["message"]
