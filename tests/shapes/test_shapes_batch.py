"""The batched SHACL engine (budgetkg.etl.shacl_batch) against pyshacl, the reference: the one place
the tests run pyshacl on documents (every other test validates with the batched engine).

Every bundled sample and every corpus disclosure that builds (../shared; skipped without it) is
validated in a batch (several documents in one call, each on a store of its own) and gets, document by document,
the same report as pyshacl, unpatched, gives it on its own: the same (focus, path, value, shape,
severity) results and the same described results (rule, messages, table, row, column). So do the
vocabulary, the mutations of the shape tests (all in one graph), the arithmetic with pyshacl's own
rdflib SPARQL, and ``budgetkg validate --engine pyshacl``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from tests.conftest import SHARED
from tests.shapes.test_shapes_support import (
    B, N, assert_same_report, fixed_sample, replace, report_tuples, sample_triples, set_amount, subjects_of_type,
)

from budgetkg import names
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


def test_the_focus_nodes_found_in_python_are_the_focus_querys():
    """shacl_batch.cleared finds a SHACL-SPARQL check's focus nodes in Python (Index.focus) to let its screen clear
    them all: the same nodes as the check's focus query, on every bundled sample, for the targets the shapes use
    (classes and nodes) and targets of the subjects or objects of a predicate; on a document with a subclass, where
    the query follows rdfs:subClassOf and Index.focus does not, no check is cleared."""
    import pyoxigraph as ox

    from budgetkg.etl import shacl_batch
    from budgetkg.etl.terms import joined
    from budgetkg.etl.validation import _checks, context_triples

    sparql = [c for c in _checks(None) if c.focus_query is not None]
    assert all(c.focus_targets is not None for c in sparql)  # (every shape's targets are plain IRIs)
    g = rdflib.Graph().parse(format="turtle", data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix bkg: <{names.BKG}> .
        <urn:test:subjects> a sh:NodeShape ; sh:targetSubjectsOf bkg:lineItem ; sh:sparql [ sh:select "SELECT $this WHERE {{ }}" ] .
        <urn:test:objects> a sh:NodeShape ; sh:targetObjectsOf bkg:lineItem ; sh:sparql [ sh:select "SELECT $this WHERE {{ }}" ] .
    """)
    checks = sparql + compile_shapes(g)
    with_nodes = 0
    for path in default_sources():
        triples = _triples(path)
        doc = shacl_batch.Document(joined(triples, context_triples(triples)))
        doc.plan([], checks)
        for check in checks:
            found = doc.index.focus(check.focus_targets)
            assert found == {sol["this"] for sol in doc.query(shacl_batch._fill(check.focus_query, check))}, check.shape
            with_nodes += bool(found)
    assert with_nodes >= 3 * 20  # (most checks have focus nodes in every sample)

    check = next(c for c in sparql if c.focus_screen is not None and any(k == "class" for k, _ in c.focus_targets))
    cls = next(node for kind, node in check.focus_targets if kind == "class")
    sub, extra = ox.NamedNode("urn:test:Sub"), ox.NamedNode("urn:test:node")
    rdfs_subclass = ox.NamedNode(str(rdflib.RDFS.subClassOf))
    triples = list(sample_triples()) + [ox.Triple(sub, rdfs_subclass, cls), ox.Triple(extra, ox.NamedNode(str(RDF.type)), sub)]
    doc = shacl_batch.Document(joined(triples, context_triples(triples)))
    doc.plan([], sparql)
    assert extra in {sol["this"] for sol in doc.query(shacl_batch._fill(check.focus_query, check))}
    assert not any(shacl_batch.cleared(doc, c) for c in sparql)


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


@pytest.mark.parametrize("pdf", CORPUS or [None], ids=[p.stem for p in CORPUS] or ["no-corpus"])
def test_corpus_document_same_report_as_pyshacl(pdf):
    from budgetkg.errors import BudgetkgError

    if pdf is None:
        pytest.skip("../shared/samples/corpus is not present")
    try:
        triples = _triples(pdf)
    except BudgetkgError as exc:
        pytest.skip(f"does not build: {exc}")
    # In one batch with the sample: a batch gives each document the report it gets alone.
    ours = validate_documents([(sample_triples(), "sample"), (triples, pdf.name)])[1]
    assert_same_report(ours, validate_graph(triples, document=pdf.name, engine="pyshacl"))


def test_vocabulary_same_report_as_pyshacl():
    from budgetkg.etl.build import vocabulary_triples

    triples = vocabulary_triples()
    ours = validate_documents([(triples, "vocabulary")], with_context=False)[0]
    assert_same_report(ours, validate_graph(triples, document="vocabulary", with_context=False, engine="pyshacl"))


def test_every_mutation_of_the_shape_tests_same_report_as_pyshacl():
    """The mutations of tests/shapes/test_shapes_core.py (one per property shape: a required value
    removed, a second value, a wrong datatype, language, class or value) applied together to the sample
    with its synthetic instances: one graph breaking every constraint component the shapes use."""
    from tests.shapes.test_shapes_core import CASES, _mutate, with_synthetic

    triples = with_synthetic()
    mutated = 0
    for shape, cls, path in CASES:
        if not subjects_of_type(triples, cls):  # an earlier mutation removed the type of every instance
            continue
        try:
            triples, _ = _mutate(triples, shape, cls, path)
        except pytest.skip.Exception:  # a shape no mutation breaks (test_shapes_core reports it)
            continue
        mutated += 1
    assert mutated > 150  # the others: an earlier mutation took the type of their class's only instance
    ours = validate_documents([(triples, "mutated")])[0]
    assert len(ours.violations) > 100
    assert_same_report(ours, validate_graph(triples, document="mutated", engine="pyshacl"))


def _tables(triples, keep: set[str]) -> list:
    """The sample restricted to some tables (rdflib's SPARQL engine is slow on the whole of it)."""
    out = []
    for t in triples:
        iri = t.subject.value
        if "/budget/" in iri and iri.split("/budget/", 1)[1].split("/", 1)[0] not in keep:
            continue
        out.append(t)
    return out


def test_arithmetic_same_report_as_pyshacl_with_rdflib_sparql():
    """pyshacl with rdflib's own SPARQL (no oxigraph in the loop; exact decimals in both) on three
    tables of the sample, as printed and with a figure misprinted: the same results, printed and
    expected figures."""
    from tests.shapes.test_shapes_arithmetic import ARITHMETIC
    from tests.shapes.test_shapes_support import SHAPES

    shapes = [SHAPES + s for s in ARITHMETIC]
    small = _tables(fixed_sample(), {"expenditure", "income_expenditure_summary", "three_public_expenses"})
    # as printed and with one misprint: rdflib's SPARQL takes minutes a graph over the rewritten shapes;
    # test_shapes_arithmetic asserts what the default engine finds for the other misprints
    cases = [small, set_amount(small, "expenditure", 7, 4, "917.29")]
    figures = lambda o: sorted((r["rule"], r["table"], r["row"], r["column"], r["printed"], Decimal(r["expected"]))  # noqa: E731
                               for r in o.results)
    ours = validate_documents([(t, "sample") for t in cases], use_shapes=shapes)
    for triples, outcome in zip(cases, ours):
        reference = validate_graph(triples, document="sample", use_shapes=shapes, engine="rdflib")
        # the same results and figures; rdflib prints a decimal with its scale (6.00), oxigraph canonically (6)
        assert report_tuples(outcome) == report_tuples(reference)
        assert figures(outcome) == figures(reference)
    assert all(len(o.results) > len(ours[0].results) for o in ours[1:])  # each misprint is found


def test_validate_command_with_the_reference_engine(tmp_path, capsys):
    """``budgetkg validate --engine pyshacl`` (the reference, unpatched) prints the report the default
    engine prints: the sample with a second printed precision on a cell, an xsd:decimal (two violations of
    BudgetObservation-decimals: count and datatype; the cell summed once per precision, a RowSum warning
    beside the sample's two RowBlankTotal warnings)."""
    import json

    import pyoxigraph as ox

    from tests.shapes.test_shapes_support import decimal, observation

    from budgetkg.cli import main

    obs = observation(fixed_sample(), "expenditure", 7, 4)
    path = tmp_path / "bad.nt"
    path.write_bytes(ox.serialize(list(fixed_sample()) + [ox.Triple(obs, B("decimals"), decimal("3"))],
                                  format=ox.RdfFormat.N_TRIPLES))
    reports = []
    for engine in ("pyshacl", "batch"):
        assert main(["validate", str(path), "--format", "json", "--engine", engine]) == 1
        doc = json.loads(capsys.readouterr().out)
        for graph in doc["graphs"]:
            graph["results"].sort(key=lambda r: json.dumps(r, sort_keys=True))
        reports.append(doc)
    assert reports[0] == reports[1]
    assert (reports[0]["violations"], reports[0]["warnings"]) == (2, 3)
    assert sorted(r["rule"] for r in reports[0]["graphs"][0]["results"]) == [
        "BudgetObservation-decimals", "BudgetObservation-decimals", "RowBlankTotal", "RowBlankTotal", "RowSum"]


_NO_PATCH = """
import inspect, sys
from budgetkg.etl.validation import validate_graph
from tests.shapes.test_shapes_support import SHAPES, sample_triples

outcome = validate_graph(sample_triples())
print(outcome.conforms, sorted(m for m in sys.modules if m.split('.')[0] == 'pyshacl'))

import pyshacl, pyshacl.helper.sparql_query_helper as helper

def definitions():
    out = {}
    for name, module in list(sys.modules.items()):
        if name.split('.')[0] != 'pyshacl':
            continue
        for k, v in vars(module).items():
            if inspect.isfunction(v) or inspect.isclass(v):
                out[name, k] = v
            if inspect.isclass(v) and v.__module__ == name:
                out.update(((name, k, a), w) for a, w in vars(v).items() if callable(w) or isinstance(w, (staticmethod, classmethod, property)))
    return out

before = definitions()
reference = validate_graph(sample_triples(), engine='pyshacl', use_shapes=[SHAPES + 'RowBlankTotal'])
after = definitions()
changed = sorted(str(k) for k in before if after.get(k) is not before[k])
if helper.SPARQLQueryHelper.check_invalid_sparql.__module__ != helper.__name__:
    changed.append('check_invalid_sparql')
print(len(reference.results), changed)
"""


def test_the_default_engine_neither_imports_nor_patches_pyshacl():
    """Issue 15: pyshacl's internals are never patched. The batched engine does not even load it (the
    reference engine, ``engine="pyshacl"``, is the only user of pyshacl), and the reference leaves every
    function, class and method of pyshacl's modules as pyshacl defines them."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _NO_PATCH], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[2]).stdout.splitlines()
    assert out[0].split()[-1] == "[]", out
    assert out[1] == "2 []", out  # the sample's two RowBlankTotal warnings; nothing of pyshacl replaced
