"""Conformance cases: tests/cases/<case>/input.txt maps to the graph in expected.ttl.

The expected graphs were reviewed triple by triple against their input when
written; any change to the mapping shows here as a non-isomorphic graph.
"""

from pathlib import Path

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from budgetkg.etl.pipeline import process
from budgetkg.etl.to_rdf import to_graph

CASES = sorted(p for p in (Path(__file__).parents[1] / "cases").iterdir() if (p / "expected.ttl").exists())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case):
    actual = to_graph(process(case / "input.txt"), base="https://budgetkg.org/")
    expected = rdflib.Graph().parse(case / "expected.ttl")
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        pytest.fail(
            "graphs differ\nonly in actual:\n" + only_actual.serialize(format="nt")
            + "\nonly in expected:\n" + only_expected.serialize(format="nt")
        )
