"""The batched SHACL engine (budgetkg.etl.shacl_batch) against pyshacl, the reference.

Every sample and every corpus disclosure that builds is validated in a batch (several documents
as named graphs of one store) and gets, document by document, the same report as pyshacl gives
it on its own: the same (focus, path, value, shape, severity) results and the same described
results (rule, messages, table, row, column). The mutation tests of tests/test_shapes_*.py run
both engines too (tests/test_shapes_support.validate).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from tests.conftest import SHARED
from tests.shapes.test_shapes_support import (
    B, N, assert_same_report, fixed_sample, replace, report_tuples, sample_triples, subjects_of_type,
)

from budgetkg.etl.shacl_batch import SUPPORTED, Unsupported, compile_shapes
from budgetkg.etl.validation import shapes_graph, validate_documents, validate_graph
from budgetkg.resources import default_sources

CORPUS = sorted((SHARED / "samples" / "corpus").glob("*.pdf")) if (SHARED / "samples" / "corpus").is_dir() else []
_NOT_CONSTRAINTS = {RDF.type, SH.name, SH.message, SH.description, SH.severity, SH.path, SH.targetClass, SH.targetNode,
                    SH.targetSubjectsOf, SH.targetObjectsOf, SH.deactivated, SH.order, SH.group, SH.declare, SH.prefix,
                    SH.namespace, SH.prefixes, SH.select, SH.alternativePath, SH.inversePath, SH.qualifiedValueShapesDisjoint}


def _triples(path) -> list:
    from budgetkg.etl.to_rdf import map_document
    from budgetkg.names import DEFAULT_BASE

    return map_document(str(path), base=DEFAULT_BASE)[2]


def test_every_constraint_parameter_of_the_shapes_is_compiled():
    """Each sh: parameter the shapes use is one the compiler translates, and compiling every
    shape raises nothing (an unknown one would raise Unsupported, never be skipped)."""
    g = shapes_graph()
    used = {p for p in g.predicates() if str(p).startswith(str(SH))} - _NOT_CONSTRAINTS
    assert used - SUPPORTED == set()
    for s in sorted({s for t in (SH.targetClass, SH.targetNode) for s in g.subjects(t, None)}):
        assert compile_shapes(g, [str(s)]) or (s, SH.deactivated, rdflib.Literal(True)) in g, s


def test_an_unsupported_component_fails_loudly():
    g = rdflib.Graph()
    g.parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:closed true .
    """, format="turtle")
    with pytest.raises(Unsupported, match="closed"):
        compile_shapes(g)


def test_a_bundled_sample_batch_gives_each_document_its_own_report():
    docs = [(_triples(p), Path(p).name) for p in default_sources()]
    ours = validate_documents(docs)
    for (triples, name), outcome in zip(docs, ours):
        assert_same_report(outcome, validate_graph(triples, document=name, engine="pyshacl"))


def test_documents_of_one_batch_do_not_see_each_other():
    """A mutated copy of the sample in the same batch as the sample (the same IRIs in two named
    graphs): the mutation is reported on the copy only."""
    triples = fixed_sample()
    ds = subjects_of_type(triples, "BudgetDataSet")[0]
    broken = replace(triples, ds, B("tableKind"), N("https://budgetkg.org/def/cl/table-kind/nonexistent"))
    alone, mutated = validate_documents([(triples, "a"), (broken, "b")])
    assert report_tuples(alone) == report_tuples(validate_documents([(triples, "a")])[0])
    assert alone.conforms and not mutated.conforms
    assert_same_report(mutated, validate_graph(broken, document="b", engine="pyshacl"))


@pytest.mark.parametrize("pdf", CORPUS, ids=[p.stem for p in CORPUS])
def test_corpus_document_same_report_as_pyshacl(pdf):
    from budgetkg.errors import BudgetkgError

    try:
        triples = _triples(pdf)
    except BudgetkgError as exc:
        pytest.skip(f"does not build: {exc}")
    # In one batch with the sample, so that the corpus document shares the store with another.
    ours = validate_documents([(sample_triples(), "sample"), (triples, pdf.name)])[1]
    assert_same_report(ours, validate_graph(triples, document=pdf.name, engine="pyshacl"))


def test_vocabulary_same_report_as_pyshacl():
    from budgetkg.etl.build import vocabulary_triples

    triples = vocabulary_triples()
    ours = validate_documents([(triples, "vocabulary")], with_context=False)[0]
    assert_same_report(ours, validate_graph(triples, document="vocabulary", with_context=False, engine="pyshacl"))


def test_the_default_engine_neither_imports_nor_patches_pyshacl():
    """Issue 15: pyshacl's internals are not patched on the default path; the batched engine does not
    even load it (the reference engine, ``engine="pyshacl"``, is the only user of pyshacl)."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from budgetkg.etl.validation import validate_graph\n"
            "from tests.shapes.test_shapes_support import sample_triples\n"
            "outcome = validate_graph(sample_triples())\n"
            "print(outcome.conforms, sorted(m for m in sys.modules if m.split('.')[0] == 'pyshacl'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[2]).stdout
    assert out.split()[-1] == "[]", out
