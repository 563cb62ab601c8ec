"""The predicates a query reads (budgetkg.etl.sparql_predicates), and the document stores loaded with those only.

A triple pattern with an IRI predicate, or a property path that cannot have length zero, matches only
triples of the predicates it names (SPARQL 1.1, 18.4: the evaluation of a triple pattern and of the
path operators); any other form (a variable predicate, a negated property set, a zero-length path,
which matches every node of the graph) may read any triple, and its query gets the whole graph.
"""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest
import rdflib

from tests.etl.test_shacl_screen import _mutate
from tests.shapes.test_shapes_support import fixed_sample

from budgetkg.etl import shacl_batch
from budgetkg.etl.sparql_predicates import classes, predicates, read_by
from budgetkg.etl.validation import _checks, context_triples

X = "http://x/"
P = f"PREFIX : <{X}>\n"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.mark.parametrize("query, expected", [
    ("SELECT ?o { $this :a ?o }", {"a"}),
    ("SELECT ?o { $this a :T ; :a ?o , ?p . ?o ^:b ?z }", {RDF_TYPE, "a", "b"}),
    ("SELECT ?o { $this :a/:b* ?o }", {"a", "b"}),  # zero-length steps inside a sequence join to :a's triples
    ("SELECT ?o { $this (:a|:b)+ ?o }", {"a", "b"}),
    ("SELECT ?o { $this :a ?o FILTER NOT EXISTS { ?o :b ?x } MINUS { ?o :c ?y } OPTIONAL { ?o :d ?z } }", {"a", "b", "c", "d"}),
    ("SELECT ?o { { SELECT $this (SAMPLE(?v) AS ?o) WHERE { $this :a ?v } GROUP BY $this HAVING (EXISTS { $this :b ?w }) } }",
     {"a", "b"}),
    ("SELECT ?o { $this :a ?o BIND (EXISTS { ?o :b \"x\"@zh-CN } AS ?e) FILTER (?o != \"1\"^^:t) } ORDER BY ?o", {"a", "b"}),
    ("SELECT ?o { GRAPH ?g { $this :a [ :b ?o ] } VALUES ?o { :c } }", {"a", "b"}),
])
def test_the_predicates_a_query_names(query, expected):
    assert predicates(P + query) == {e if e.startswith("http") else X + e for e in expected}


@pytest.mark.parametrize("query", [
    "SELECT ?o { $this ?p ?o }",  # a variable predicate
    "SELECT ?o { $this :a ?o FILTER NOT EXISTS { ?o ?p ?x } }",
    "SELECT ?o { $this :a* ?o }",  # zero length: every node of the graph
    "SELECT ?o { $this :a? ?o }",
    "SELECT ?o { $this (:a|:b*) ?o }",
    "SELECT ?o { $this !:a ?o }",  # every predicate but one
    "SELECT ?o { $this :a/!(:b|^:c) ?o }",
    "SELECT ?o { SERVICE <http://x/s> { $this :a ?o } }",
    "SELECT ?o FROM <http://x/g> { $this :a ?o }",
    "SELECT ?o { $this other:a ?o }",  # a prefix the query does not declare
    "SELECT ?o { $this :a ?o",  # cut short
    # valid queries whose text the tokenizer splits otherwise than SPARQL's grammar (review): "<" as less-than with
    # no space reads as an IRI up to a later ">"; an escape outside a string ("\u0061" in an IRI, ":a\#b",
    # ":a\'b") is followed by what the tokenizer takes for a comment or a string. Each hides "$this ?pp ?o".
    "SELECT ?o { $this :a ?v FILTER(STR(?v)<STR(2)).$this?pp?o.FILTER(STR(?o)>STR(2)) }",
    "SELECT ?o { $this :a ?v FILTER(?v != <http://x/\\u0061#>) $this ?pp ?o . FILTER(?o != \n :z) }",
    "SELECT ?o { $this :a ?v FILTER(?v != :a\\#b) $this ?pp ?o . FILTER(?o != \n :z) }",
    "SELECT ?o { $this :a ?v FILTER(?v != :a\\'b) $this ?pp ?o . FILTER(STR(?o) != 'x') }",
])
def test_a_query_that_may_read_any_triple_gets_the_whole_graph(query):
    assert predicates(P + query) is None


@pytest.mark.parametrize("query, expected", [
    ("SELECT ?o { $this :a ?o }", set()),  # no rdf:type triple read
    ("SELECT ?o { $this a :T ; :a ?o . ?o rdf:type :U , :V }", {"T", "U", "V"}),
    ("SELECT ?o { [ a :T ] :a ?o FILTER NOT EXISTS { ?o a :U } OPTIONAL { ?o <" + RDF_TYPE + "> :V } }", {"T", "U", "V"}),
    ("SELECT ?o { $this a ?c }", None),  # a variable class: any rdf:type triple
    ("SELECT ?o { $this a :T , ?c }", None),
    ("SELECT ?o { $this a [ :a ?o ] }", None),  # a blank node class
    ("SELECT ?o { $this a \"T\" }", None),
    ("SELECT ?o { $this a/:b ?o }", None),  # rdf:type as a step of a path: its objects are not the pattern's
    ("SELECT ?o { $this (a|:b) ?o }", None),
    ("SELECT ?o { ?o ^rdf:type $this }", None),
    ("SELECT ?o { $this a+ :T }", None),
    ("SELECT ?o { $this :a ?o . $this :b/rdf:type :T }", None),
])
def test_the_classes_whose_rdf_type_triples_a_query_reads(query, expected):
    query = P + "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n" + query
    assert classes(query) == (None if expected is None else {X + e for e in expected})


def test_instance_of_reads_the_rdf_type_triples_of_its_class():
    """The "instance of" placeholder read as rdf:type alone (the document has no rdfs:subClassOf: see the store tests
    below for one that has)."""
    instance = shacl_batch._INSTANCE_IRIS
    assert classes(P + "SELECT ?this { ?this INSTANCE__OF :T }", instance) == {X + "T"}
    assert classes(P + "SELECT ?this { ?this INSTANCE__OF ?c }", instance) is None
    assert classes(P + "SELECT ?this { ?this INSTANCE__OF :T }") is None  # no placeholder predicates: the whole graph


def _reference(query: str):
    """The same sets from rdflib's algebra of the query (pyshacl's parser): a second reading of the grammar."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    class Whole(Exception):
        pass

    def path(p, out) -> bool:
        if isinstance(p, rdflib.URIRef):
            out.add(str(p))
            return False
        if isinstance(p, InvPath):
            return path(p.arg, out)
        if isinstance(p, SequencePath):
            return all([path(x, out) for x in p.args])
        if isinstance(p, AlternativePath):
            return any([path(x, out) for x in p.args])
        if isinstance(p, MulPath):
            return path(p.path, out) or p.mod in "*?"
        raise Whole

    def walk(n, out) -> None:
        if isinstance(n, CompValue):
            if n.name == "ServiceGraphPattern" or dict.get(n, "datasetClause"):
                raise Whole
            for k, v in dict.items(n):
                if k == "triples":
                    flat = [x for item in v for x in item]
                    if any(path(flat[i + 1], out) for i in range(0, len(flat), 3)):
                        raise Whole
                else:
                    walk(v, out)
        elif isinstance(n, (list, tuple)) or type(n).__name__ == "ParseResults":
            for x in n:
                walk(x, out)

    out: set = set()
    try:
        walk(translateQuery(parseQuery(query)).algebra, out)
    except Whole:
        return None
    return frozenset(out)


def test_the_shapes_queries_read_as_rdflib_reads_them():
    """Every SHACL-SPARQL query of the shapes short enough for rdflib's parser to take under a second."""
    from rdflib.namespace import SH

    from budgetkg.etl.validation import shapes_graph

    g = shapes_graph()
    texts = {c.prologue + str(g.value(c.constraint, SH.select)) for c in _checks(None) if c.focus_query is not None}
    short = [t for t in texts if len(t) < 4000]
    assert len(short) > 20
    for text in short:
        ours, theirs = read_by(text), _reference(text)
        if theirs is None and ours.predicates is not None:  # a variable verb, which the reference does not follow
            assert ours.verbs, text[:200]  # bound here by a pattern (tests below)
        else:
            assert ours.predicates == theirs, text[:200]


# ---------------------------------------------------------------- stores holding those triples


def _shapes(select: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix : <{X}> .
        :S a sh:NodeShape ; sh:targetClass :T ; sh:sparql [ sh:select \"\"\"{P}{select}\"\"\" ] .
    """, format="turtle")


def _data() -> list[ox.Triple]:
    n = ox.NamedNode
    t = ox.NamedNode(RDF_TYPE)
    return [ox.Triple(n(X + "a"), t, n(X + "T")), ox.Triple(n(X + "a"), n(X + "p"), ox.Literal("1")),
            ox.Triple(n(X + "a"), n(X + "q"), ox.Literal("2")), ox.Triple(n(X + "b"), t, n(X + "T")),
            ox.Triple(n(X + "b"), n(X + "p"), ox.Literal("1")), ox.Triple(n(X + "b"), n(X + "other"), ox.Literal("3"))]


def _run_on(select: str, data: list[ox.Triple]):
    """The focus nodes found (sorted) and the triples the document's store was loaded with."""
    checks = shacl_batch.compile_shapes(_shapes(select))
    captured = []
    real = shacl_batch._store

    def spy(triples):
        captured.extend(triples)
        return real(triples)

    shacl_batch._store = spy
    try:
        found = shacl_batch.run_document(data, [c for c in checks if c.focus_query is None],
                                         [c for c in checks if c.focus_query is not None])
    finally:
        shacl_batch._store = real
    return sorted(f.focus.value for f in found), captured


def _run(select: str):
    found, captured = _run_on(select, _data())
    return found, {t.predicate.value for t in captured}


def test_a_filter_not_exists_reads_its_predicate():
    """Only :b has :p without :q (SHACL-SPARQL: one result per solution, $this the focus node); without :q's
    triples in the store :a would be reported too. :other's triple is not loaded."""
    found, loaded = _run("SELECT $this WHERE { $this :p ?v FILTER NOT EXISTS { $this :q ?w } }")
    assert found == [X + "b"]
    assert loaded == {RDF_TYPE, X + "p", X + "q"}


@pytest.mark.parametrize("select, expected", [
    ("SELECT $this WHERE { $this ?p \"3\" }", ["b"]),  # the subject of a triple with "3" as object, whatever its predicate
    # a zero-length path matches every node of the graph: "3" (the object of :other) for every focus node
    ("SELECT $this WHERE { $this :p ?v . ?n :none* ?n FILTER (?n = \"3\") }", ["a", "b"]),
])
def test_a_variable_predicate_or_a_zero_length_path_gets_the_whole_graph(select, expected):
    found, loaded = _run(select)
    assert found == [X + e for e in expected]
    assert loaded == {RDF_TYPE, X + "p", X + "q", X + "other"}


@pytest.mark.parametrize("seed", range(6))
def test_mutated_documents_find_the_same_with_the_whole_graph(seed):
    """Every check run on a store of the predicates it reads finds what it finds on the whole graph, in order."""
    rng = random.Random(seed)
    triples = _mutate(list(fixed_sample()), rng, 1 + seed % 4)
    triples += context_triples(triples)
    checks = _checks(None)
    core = [c for c in checks if c.focus_query is None]
    sparql = [c for c in checks if c.focus_query is not None]

    def key(findings):
        return [(str(f.check.shape), f.focus, f.value, str(f.path), sorted(f.bindings.items(), key=str)) for f in findings]

    restricted = key(shacl_batch.run_document(triples, core, sparql))
    whole = shacl_batch.Document(triples)  # predicates None: every triple, each check run as run_document runs it
    shared: dict = {}
    every = key([f for c in shacl_batch.shacl_screen.to_run(whole.index, core) for f in shacl_batch.run_check(whole, c)]
                + [f for c in sparql for f in shacl_batch.run_check(whole, c, shared)])
    assert restricted == every


def _typed(data: list[ox.Triple]) -> set:
    return {(t.subject.value, t.object.value) for t in data if t.predicate.value == RDF_TYPE}


def test_a_document_store_holds_the_rdf_type_triples_of_the_classes_read():
    """Focus nodes of class :T (both :a and :b have :p): the node of class :U is not among them, and its rdf:type
    triple is not loaded; a query that reads the class of any node (?k, a variable) gets every rdf:type triple and
    finds :U."""
    n, t = ox.NamedNode, ox.NamedNode(RDF_TYPE)
    data = _data() + [ox.Triple(n(X + "c"), t, n(X + "U")), ox.Triple(n(X + "c"), n(X + "p"), ox.Literal("1"))]
    found, loaded = _run_on("SELECT $this WHERE { $this :p ?v }", data)
    assert found == [X + "a", X + "b"]
    assert _typed(loaded) == {(X + "a", X + "T"), (X + "b", X + "T")}
    found, loaded = _run_on("SELECT $this WHERE { $this :p ?v . ?c a ?k FILTER (?k = :U) }", data)
    assert found == [X + "a", X + "b"]
    assert (X + "c", X + "U") in _typed(loaded)


def test_with_subclasses_every_rdf_type_triple_is_loaded():
    """:d is of class :T2, a subclass of :T: a SHACL instance of :T, so a focus node, found through its rdf:type triple
    of class :T2 (which the store must hold though the query names :T only)."""
    n, t = ox.NamedNode, ox.NamedNode(RDF_TYPE)
    data = _data() + [ox.Triple(n(X + "T2"), n("http://www.w3.org/2000/01/rdf-schema#subClassOf"), n(X + "T")),
                      ox.Triple(n(X + "d"), t, n(X + "T2")), ox.Triple(n(X + "d"), n(X + "p"), ox.Literal("1"))]
    found, loaded = _run_on("SELECT $this WHERE { $this :p ?v }", data)
    assert found == [X + "a", X + "b", X + "d"]
    assert (X + "d", X + "T2") in _typed(loaded)


# ---------------------------------------------------------------- variable verbs bound by a pattern

DIM = ("http://x/dim", "object")


@pytest.mark.parametrize("query, expected", [
    ("SELECT ?v { ?c :dim ?p . $this ?p ?v }", {DIM}),
    ("SELECT ?v { $this ?p ?v . ?c :dim ?p }", {DIM}),  # a join: the order of the patterns does not matter
    ("SELECT ?v { ?p :codeList ?l . $this ?p ?v }", {("http://x/codeList", "subject")}),
    ("SELECT ?v { ?c :dim ?p , ?q . $this ?p ?v ; ?q ?w }", {DIM}),
    ("SELECT ?v { ?c :dim ?p FILTER NOT EXISTS { $this ?p ?v } }", {DIM}),
    ("SELECT ?v { ?c :dim ?p FILTER (?c != :x || NOT EXISTS { $this ?p ?v }) }", {DIM}),
    ("SELECT ?v { ?c :dim ?p OPTIONAL { $this ?p ?v } }", {DIM}),
    ("SELECT ?v { OPTIONAL { ?c :dim ?p FILTER NOT EXISTS { $this ?p ?v } } }", {DIM}),  # bound within the OPTIONAL
    ("SELECT ?v { ?c :dim ?p MINUS { $this ?p ?v } }", {DIM}),
    ("SELECT ?v { ?c :dim ?p { $this ?p ?v } UNION { $this :a ?v } }", {DIM}),
    ("SELECT ?v { { ?c :dim ?p } $this ?p ?v }", {DIM}),  # a group joined to the pattern's
    ("SELECT ?v { { SELECT ?p WHERE { ?c :dim ?p } } $this ?p ?v }", {DIM}),  # projected by a sub-SELECT
    ("SELECT ?v { $this :a ?v }", set()),
])
def test_the_bindings_of_variable_verbs(query, expected):
    read = read_by(P + query)
    assert read.predicates is not None
    assert read.verbs == expected


@pytest.mark.parametrize("query", [
    "SELECT ?v { $this ?p ?v OPTIONAL { ?c :dim ?p } }",  # bound only where the OPTIONAL matches
    "SELECT ?v { { ?c :dim ?p } UNION { ?c :a ?q } $this ?p ?v }",  # bound in one branch only
    # the OPTIONAL and MINUS are evaluated on the solutions of the patterns before them, where ?p is unbound
    "SELECT ?v { OPTIONAL { $this ?p ?v } ?c :dim ?p }",
    "SELECT ?v { $this :a ?v MINUS { $this ?p ?v } ?c :dim ?p }",
    "SELECT ?v { $this :a ?v BIND (EXISTS { $this ?p ?v } AS ?e) ?c :dim ?p }",  # a BIND: before it
    "SELECT ?v { ?c :dim ?p { SELECT ?v WHERE { $this ?p ?v } } }",  # a sub-SELECT does not see ?p
    "SELECT ?v { { SELECT ?v WHERE { ?c :dim ?p } } $this ?p ?v }",  # nor project it
    "SELECT ?v { ?c :dim ?p { $this :a ?v FILTER NOT EXISTS { $this ?q ?v } } }",  # ?q bound nowhere
    "SELECT ?c { ?c :dim ?p } GROUP BY ?c HAVING (EXISTS { $this ?p ?v })",
    "SELECT ?v { ?c :dim ?p . ?c ?p ?v . $this ?v* ?c }",
])
def test_variable_verbs_bound_otherwise_read_the_whole_graph(query):
    assert read_by(P + query).predicates is None


def _dimensions() -> list[ox.Triple]:
    """Two items, each with a dimension value :p (a :dim of the structure) and another value :q (not one)."""
    n = ox.NamedNode
    return _data() + [ox.Triple(n(X + "s"), n(X + "dim"), n(X + "p"))]


@pytest.mark.parametrize("select, expected", [
    # the items with a value on a dimension: :p is one, :q and :other are not
    ("SELECT $this WHERE { ?s :dim ?d . $this ?d ?v }", ["a", "b"]),
    # the items without a value on some dimension: none (both have :p)
    ("SELECT $this WHERE { ?s :dim ?d FILTER NOT EXISTS { $this ?d ?v } }", []),
])
def test_a_variable_verb_bound_to_a_dimension_loads_the_dimensions_triples(select, expected):
    found, loaded = _run_on(select, _dimensions())
    assert found == [X + e for e in expected]
    assert {t.predicate.value for t in loaded} == {RDF_TYPE, X + "dim", X + "p"}


@pytest.mark.parametrize("query, expected", [
    ("SELECT ?v { $this ?d ?v FILTER (?d IN (:a, :b)) }", {"a", "b"}),
    ("SELECT ?v { $this ?d ?v FILTER (?d = :a) }", {"a"}),
    ("SELECT ?v { { SELECT ?d WHERE { ?x ?d ?y FILTER (?d IN (:a)) } } $this ?d ?v }", {"a"}),
    ("SELECT ?v { $this ?d ?v FILTER (?d IN (:a, ?x)) }", None),  # not constants only
    ("SELECT ?v { $this ?d ?v FILTER (?d IN (:a) || ?v = 1) }", None),
    ("SELECT ?v { $this ?d ?v FILTER (?d NOT IN (:a)) }", None),
    ("SELECT ?v { $this ?d ?v FILTER (?d != :a) }", None),
])
def test_a_variable_verb_a_filter_binds_to_constants(query, expected):
    read = read_by(P + query)
    assert read.predicates == (None if expected is None else {X + e for e in expected})
    assert not read.verbs


def test_a_variable_verb_bound_to_rdf_type_reads_every_class():
    query = P + f"SELECT ?v {{ $this a :T ; ?d ?v FILTER (?d IN (:a, <{RDF_TYPE}>)) }}"
    assert read_by(query).predicates == {X + "a", RDF_TYPE}
    assert classes(query) is None
