"""Conformance cases (the style of morph-kgc's): tests/cases/<template>/<case>/ holds a small real
excerpt (``input.txt`` or ``input.pdf``) and the graph it maps to (``expected.ttl``), compared by
isomorphism.

The expected graphs were reviewed triple by triple against the printed page when written
(amounts, labels, header paths, codes, phases, units); any change to reading or mapping shows
here as a non-isomorphic graph. One case per bundled template at least.
"""

from pathlib import Path

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from budgetkg.etl.pipeline import process
from budgetkg.etl.to_rdf import to_graph

ROOT = Path(__file__).parents[1] / "cases"
CASES = sorted(p.parent for p in ROOT.glob("*/*/expected.ttl"))


def _input(case: Path) -> Path:
    (found,) = [p for p in case.iterdir() if p.stem == "input"]
    return found


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_case(case):
    actual = to_graph(process(_input(case)), base="https://budgetkg.org/")
    expected = rdflib.Graph().parse(case / "expected.ttl")
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        pytest.fail(
            "graphs differ\nonly in actual:\n" + only_actual.serialize(format="nt")
            + "\nonly in expected:\n" + only_expected.serialize(format="nt")
        )


def test_every_bundled_template_has_a_case():
    # the bundled samples: the text template and the Shanghai PDFs of both phases
    templates = {c.parent.name for c in CASES}
    assert {"xingtai_text", "shanghai_budget", "shanghai_final_accounts"} <= templates
