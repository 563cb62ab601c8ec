"""Cross-check with an independent engine: shacl-engine (npm, Node 20) gives the same
conformance and the same (shape, focus node) results as pyshacl on the same shapes and data.

shacl-engine supports SHACL Core and SHACL-SPARQL, but its SPARQL engine (Comunica) refuses a
query that groups by the pre-bound ``$this`` (SHACL requires a nested SELECT to project
``$this``, so every aggregate needs ``GROUP BY $this``): the shapes whose constraints aggregate
(RowSum, RowBlankTotal, ColumnSum, ColumnBlankTotal, SummaryCurrentTotals,
SummaryGrandTotals, IC-12) are left out of the comparison; every other shape is compared.

Needs ``npm ci`` in shapes/engine (skipped otherwise).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from tests.shapes.test_shapes_support import B, CL, N, fixed_sample, observation, replace, subjects_of_type, without

from budgetkg.etl.validation import context_triples, shape_files, shapes_graph, validate_graph

ENGINE = Path(__file__).resolve().parents[2] / "shapes" / "engine"
pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (ENGINE / "node_modules" / "shacl-engine").is_dir(),
    reason="shacl-engine not installed (cd shapes/engine && npm ci)",
)


def supported_shapes() -> list[str]:
    g = shapes_graph()
    named = {s for s in set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
             if isinstance(s, rdflib.URIRef)}
    return sorted(str(s) for s in named
                  if not any("GROUP BY" in str(g.value(c, SH.select)) for c in g.objects(s, SH.sparql)))


def shacl_engine(triples, tmp_path: Path, shapes: list[str]) -> dict:
    data = tmp_path / "data.nt"
    data.write_bytes(ox.serialize(list(triples) + context_triples(list(triples)), format=ox.RdfFormat.N_TRIPLES))
    cmd = ["node", str(ENGINE / "crosscheck.mjs"), "--shapes", ",".join(map(str, shape_files())), "--data", str(data)]
    cmd += ["--shape", ",".join(shapes)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=1200, check=True)
    return json.loads(out.stdout)


def _mutated() -> list[ox.Triple]:
    """Several independent defects at once, one per kind of shape."""
    t = list(fixed_sample())
    obs = observation(t, "expenditure", 2, 4)
    t = without(t, obs, B("sourceTable"))  # core: provenance removed
    t = without(t, observation(t, "income", 2, 4), B("functionalClassification"))  # cube IC-11
    t = replace(t, observation(t, "expenditure", 3, 4), B("decimals"), ox.Literal("two"))  # core: datatype
    ind = [i for i in subjects_of_type(t, "PerformanceIndicator") if i.value.endswith("/indicator/1/5")][0]
    t = replace(t, ind, B("indicatorLevel1"), N(CL + "indicator-level/output"))  # level 2 under the wrong level 1
    t = without(t, [i for i in subjects_of_type(t, "PerformanceIndicator") if i.value.endswith("/indicator/2/1")][0], B("targetValue"))
    row = [r for r in subjects_of_type(t, "LineItem") if r.value.endswith("/expenditure/row/4")][0]
    t = replace(t, row, B("printedCode"), ox.Literal("2150501"))  # printed code not the concept; under the wrong 款
    return t


@pytest.mark.parametrize("case", ["sample", "mutated"])
def test_same_conformance_and_focus_nodes(case, tmp_path):
    triples = list(fixed_sample()) if case == "sample" else _mutated()
    shapes = supported_shapes()
    ours = validate_graph(triples, document=case, use_shapes=shapes)
    theirs = shacl_engine(triples, tmp_path, shapes)
    assert theirs["conforms"] == ours.conforms
    mine = sorted({(r["rule"], r["focus"], r["severity"]) for r in ours.results})
    other = sorted({(r["shape"].rsplit("#", 1)[-1], r["focus"], r["severity"].rsplit("#", 1)[-1]) for r in theirs["results"]})
    assert other == mine
    if case == "mutated":
        assert len(mine) >= 6
