"""Shared helpers of the shape tests (no tests here).

The sample disclosure is read and mapped once per session, as the build does; mutation tests
start from it (``fixed_sample``), so that each proves one shape in isolation.
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from budgetkg.resources import default_sources

BKG = "https://budgetkg.org/def/budget#"
CL = "https://budgetkg.org/def/cl/"
QB = "http://purl.org/linked-data/cube#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SHAPES = "https://budgetkg.org/def/shapes#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def N(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def B(local: str) -> ox.NamedNode:
    return ox.NamedNode(BKG + local)


def sample_path() -> str:
    return str(default_sources()[0])


@lru_cache(maxsize=1)
def sample_triples() -> tuple[ox.Triple, ...]:
    from budgetkg.etl.pipeline import process
    from budgetkg.etl.to_rdf import to_rdf

    _, triples = to_rdf(process(sample_path()), base="https://budgetkg.org/")
    return tuple(sorted(set(triples), key=str))


def fixed_sample() -> tuple[ox.Triple, ...]:
    """The sample graph mutation tests start from (it conforms; its only findings are the two
    RowBlankTotal warnings of the 三公 table)."""
    return sample_triples()


def validate(triples, shapes: list[str] | None = None):
    """Validate with the default (batched) engine: the mutation tests prove the shapes. pyshacl, the
    reference, is compared with that engine in one place, tests/shapes/test_shapes_batch.py."""
    from budgetkg.etl.validation import validate_graph

    use = [s if s.startswith("http") else SHAPES + s for s in shapes] if shapes else None
    return validate_graph(list(triples), document="sample.txt", use_shapes=use)


def report_tuples(outcome) -> list[tuple]:
    """(focus, path, value, source shape, severity) of every result of a report, sorted."""
    from rdflib import BNode
    from rdflib.namespace import RDF, SH

    g = outcome.report
    out = []
    for r in g.subjects(RDF.type, SH.ValidationResult):
        path = g.value(r, SH.resultPath)
        path = "(path)" if isinstance(path, BNode) else path  # pyshacl copies a path's nodes into its report
        out.append(tuple(str(g.value(r, p)) if p != SH.resultPath else str(path) for p in (
            SH.focusNode, SH.resultPath, SH.value, SH.sourceShape, SH.resultSeverity)))
    return sorted(out)


def assert_same_report(ours, reference) -> None:
    """The same results (as (focus, path, value, shape, severity), with repeats) and the same
    described results (rule, messages, table, row, column ...) as the reference."""
    assert report_tuples(ours) == report_tuples(reference)
    key = lambda r: sorted((k, str(v)) for k, v in r.items())  # noqa: E731
    assert sorted(map(key, ours.results)) == sorted(map(key, reference.results))
    assert ours.conforms == reference.conforms


def results(outcome, rule: str | None = None, severity: str | None = None) -> list[dict]:
    return [
        r for r in outcome.results
        if (rule is None or r["rule"] == rule) and (severity is None or r["severity"] == severity)
    ]


def subjects_of_type(triples, cls: str) -> list[ox.NamedNode]:
    node = N(cls if cls.startswith("http") else BKG + cls)
    return sorted({t.subject for t in triples if t.predicate == RDF_TYPE and t.object == node}, key=str)


def value(triples, s, p):
    for t in triples:
        if t.subject == s and t.predicate == p:
            return t.object
    return None


def without(triples, s=None, p=None, o=None) -> list[ox.Triple]:
    return [
        t for t in triples
        if not ((s is None or t.subject == s) and (p is None or t.predicate == p) and (o is None or t.object == o))
    ]


def replace(triples, s, p, new) -> list[ox.Triple]:
    return without(triples, s, p) + [ox.Triple(s, p, new)]


def observation(triples, table: str, row: int, col: int) -> ox.NamedNode:
    """The observation of a sample table (by table key) at a printed row and column index."""
    for t in triples:
        if t.predicate == B("amount") and f"/{table}/obs/{row}-{col}" in t.subject.value:
            return t.subject
    raise KeyError((table, row, col))


def set_amount(triples, table: str, row: int, col: int, amount: str) -> list[ox.Triple]:
    """``triples`` with the amount of one observation (see :func:`observation`) printed as ``amount``."""
    triples = list(triples)
    return replace(triples, observation(triples, table, row, col), B("amount"), decimal(amount))


def decimal(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=N(XSD + "decimal"))
