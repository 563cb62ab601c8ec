"""Sub-SELECTs that several SHACL-SPARQL constraints repeat are run once (budgetkg.etl.sparql_shared):
which are shared, and that a constraint answers the same with the shared answers filled in."""

from __future__ import annotations

import pyoxigraph as ox

from budgetkg.etl.sparql_shared import PLACEHOLDER, fill, share, subselects

HEAD = "PREFIX ex: <urn:ex:>\n"
SUB = """{ SELECT $this ?x (COUNT(?y) AS ?n) WHERE { $this ex:p ?x . ?x ex:q ?y } GROUP BY $this ?x }"""


def _store() -> ox.Store:
    store = ox.Store()
    data = """<urn:ex:a> <urn:ex:p> <urn:ex:b>, <urn:ex:c>, _:z . <urn:ex:b> <urn:ex:q> 1, 2 .
              <urn:ex:c> <urn:ex:q> 3 . _:z <urn:ex:q> 4 . <urn:ex:d> <urn:ex:p> <urn:ex:b> ."""
    store.load(data, format=ox.RdfFormat.TURTLE)
    return store


def test_a_sub_select_in_two_queries_is_shared_and_one_in_a_single_query_is_not():
    first = f"SELECT $this ?x WHERE {{ {SUB} FILTER (?n > 1) }}"
    laid_out = SUB.replace(" . ", " .\n    ")
    second = f"SELECT $this ?x WHERE {{\n  # the same, laid out otherwise\n  {laid_out} FILTER (?n = 1) }}"
    alone = "SELECT $this ?x WHERE { { SELECT $this ?x WHERE { $this ex:p ?x } } }"
    (t1, u1), (t2, u2), (t3, u3) = share([(HEAD, first), (HEAD, second), (HEAD, alone)])
    assert t1 == f"SELECT $this ?x WHERE {{ {{ {PLACEHOLDER.format(0)} }} FILTER (?n > 1) }}"
    assert u1[0][0] == u2[0][0] == PLACEHOLDER.format(0) and t2.count(PLACEHOLDER.format(0)) == 1
    assert u1[0][1].startswith(HEAD + " SELECT $this ?x (COUNT(?y) AS ?n)") and u1[0][1].endswith("GROUP BY $this ?x ")
    assert (t3, u3) == (alone, ())


def test_a_different_prologue_constant_or_context_is_not_shared():
    other = SUB.replace("ex:q", "ex:r")
    under_exists = f"SELECT $this WHERE {{ $this ex:p ?x FILTER NOT EXISTS {{ {SUB} }} }}"
    in_graph = f"SELECT $this WHERE {{ GRAPH ?g {{ {SUB} }} }}"
    out = share([(HEAD, f"SELECT * WHERE {{ {SUB} }}"), ("PREFIX ex: <urn:other:>\n", f"SELECT * WHERE {{ {SUB} }}"),
                 (HEAD, f"SELECT * WHERE {{ {other} }}"), (HEAD, under_exists), (HEAD, in_graph)])
    assert all(used == () for _, used in out)


def test_braces_and_select_in_strings_comments_and_iris_are_not_syntax():
    query = 'SELECT * WHERE { ?s ?p "{ SELECT }" . # { SELECT\n ?s <urn:a{b}> ?o { SELECT ?s WHERE { ?s ?p ?o } } }'
    spans = subselects(query)
    assert [query[s:e] for s, e in spans] == ["{ SELECT ?s WHERE { ?s ?p ?o } }"]


def test_a_constraint_answers_the_same_with_the_shared_answers_filled_in():
    store = _store()
    queries = [(HEAD, f"SELECT $this ?x ?n WHERE {{ {SUB} }}"), (HEAD, f"SELECT $this ?x WHERE {{ {SUB} FILTER (?n > 1) }}")]
    this = {ox.Variable("this"): ox.NamedNode("urn:ex:a")}
    runs = []

    def run(q):
        runs.append(q)
        return store.query(q, substitutions=this)

    cache: dict = {}
    for (head, body), (template, used) in zip(queries, share(queries)):
        expected = sorted(str(s) for s in store.query(head + body, substitutions=this))
        got = sorted(str(s) for s in store.query(fill(head + template, used, run, cache), substitutions=this))
        assert got == expected
    # once for both queries; the blank node _:z among the answers: the sub-SELECT is left in place
    assert len(runs) == 1 and "VALUES" not in cache[runs[0]] and "SELECT" in cache[runs[0]]


def test_answers_without_blank_nodes_become_values():
    store = _store()
    queries = [(HEAD, f"SELECT $this ?x ?n WHERE {{ {SUB} }}")] * 2
    this = {ox.Variable("this"): ox.NamedNode("urn:ex:d")}
    cache: dict = {}
    (template, used), _ = share(queries)
    query = fill(HEAD + template, used, lambda q: store.query(q, substitutions=this), cache)
    assert "VALUES (?this ?x ?n) { (<urn:ex:d> <urn:ex:b> " in query
    assert [(s["x"], s["n"].value) for s in store.query(query, substitutions=this)] == [(ox.NamedNode("urn:ex:b"), "2")]


def test_a_sub_select_repeated_within_a_shared_one_runs_once_before_it():
    # as the narrative audits: the figures' sub-SELECT twice inside the shared one, laid out otherwise the second time
    inner = "{ SELECT $this ?x WHERE { $this ex:p ?x } }"
    outer = f"{{ SELECT $this ?x ?y WHERE {{ {{ {inner} ?x ex:q ?y }} UNION {{ {inner.replace(' ', '  ')} ?x ex:p ?y }} }} }}"
    queries = [(HEAD, f"SELECT $this ?y WHERE {{ {outer} }}"), (HEAD, f"SELECT $this ?x WHERE {{ {outer} FILTER (?y > 1) }}")]
    out = share(queries)
    names = [[name for name, _, _ in used] for _, used in out]
    assert names == [[PLACEHOLDER.format(1), PLACEHOLDER.format(0)]] * 2  # the repeated inner one first
    (_, outer_query, _) = out[0][1][1]
    assert outer_query.count(PLACEHOLDER.format(1)) == 2 and "ex:p ?x }" not in outer_query
    store = _store()
    this = {ox.Variable("this"): ox.NamedNode("urn:ex:d")}
    runs, cache = [], {}

    def run(q):
        runs.append(q)
        return store.query(q, substitutions=this)

    for (head, body), (template, used) in zip(queries, out):
        expected = sorted(str(s) for s in store.query(head + body, substitutions=this))
        assert sorted(str(s) for s in store.query(fill(head + template, used, run, cache), substitutions=this)) == expected
    assert len(runs) == 2 and "VALUES (?this ?x)" in runs[1]  # each once; the outer one run with the inner one's answer


def test_a_shared_sub_select_inside_another_one_runs_once():
    # as AuditTableUnitFactor: its tables' sub-SELECT again inside the cells' one, so that the cells start from them
    tables = "{ SELECT $this ?x WHERE { $this ex:p ?x } }"
    cells = f"{{ SELECT $this ?x ?y WHERE {{ {tables} ?x ex:q ?y }} }}"
    query = f"SELECT $this ?x ?y WHERE {{ {tables} {cells} }}"
    [(template, used)] = share([(HEAD, query)])
    assert [name for name, _, _ in used] == [PLACEHOLDER.format(0)]  # once: the cells' one is not repeated
    assert template.count(PLACEHOLDER.format(0)) == 2 and "ex:q" in template  # at the top and inside the cells
    query2 = f"SELECT $this ?x ?y WHERE {{ {tables} {cells} }} # again"
    [(t1, u1), (t2, u2)] = share([(HEAD, query), (HEAD, query2)])
    assert [name for name, _, _ in u1] == [PLACEHOLDER.format(0), PLACEHOLDER.format(1)] == [name for name, _, _ in u2]
    assert PLACEHOLDER.format(0) in u1[1][1]  # the cells' standalone query takes the tables' answer
    store = _store()
    this = {ox.Variable("this"): ox.NamedNode("urn:ex:a")}
    runs: list = []
    filled = fill(HEAD + t1, u1, lambda q: runs.append(q) or store.query(q, substitutions=this), {})
    assert sorted(str(s) for s in store.query(filled, substitutions=this)) == sorted(
        str(s) for s in store.query(HEAD + query, substitutions=this))
    assert len(runs) == 2


# ---------------------------------------------------------------- one run for all focus nodes

from budgetkg.etl.sparql_shared import FOCUS_NODES, at_once, focus_nodes  # noqa: E402

TABLES = """<urn:ex:t1> <urn:ex:row> <urn:ex:r1>, <urn:ex:r2> . <urn:ex:t2> <urn:ex:row> <urn:ex:r3> .
            <urn:ex:r1> <urn:ex:v> 1 . <urn:ex:r2> <urn:ex:v> 1 . <urn:ex:r3> <urn:ex:v> 2 . <urn:ex:t3> <urn:ex:row> <urn:ex:r4> ."""
FOCI = [ox.NamedNode(f"urn:ex:t{n}") for n in (1, 2, 3)]
ACCEPTED = [
    # directly in the WHERE group, in a FILTER and in a NOT EXISTS of it
    "SELECT $this ?value WHERE { $this ex:row ?value . FILTER NOT EXISTS { ?value ex:v ?x . $this ex:row ?value } }",
    "SELECT $this ?value WHERE { ?value ex:v ?x FILTER (STR($this) != \"urn:ex:t3\") $this ex:row ?value }",
    # a sub-SELECT grouping by $this; a FILTER on $this alone in it (bound by the VALUES it gets too)
    "SELECT $this ?n WHERE { { SELECT $this (COUNT(?r) AS ?n) WHERE { $this ex:row ?r } GROUP BY $this } FILTER (?n > 1) }",
    "SELECT $this ?r WHERE { { SELECT $this ?r WHERE { ?t ex:row ?r FILTER (?t = $this) } } }",
]
REJECTED = [
    "SELECT $this ?value WHERE { OPTIONAL { $this ex:row ?value } }",  # $this in a nested group
    "SELECT $this (COUNT(?r) AS ?n) WHERE { $this ex:row ?r }",  # an aggregate over the focus node
    "SELECT $this ?r WHERE { $this ex:row ?r } LIMIT 1",  # a modifier
    "SELECT ?r WHERE { $this ex:row ?r }",  # does not name the focus node
    "SELECT $this ?n WHERE { { SELECT $this (COUNT(?r) AS ?n) WHERE { $this ex:row ?r } GROUP BY ?r } }",
    "SELECT $this ?x WHERE { $this ex:row ?r FILTER EXISTS { ?r ex:v ?x { $this ex:row ?r } } }",
]


def test_the_forms_run_at_once_and_the_others():
    assert all(at_once(q) and FOCUS_NODES in at_once(q) for q in ACCEPTED)
    assert [q for q in REJECTED if at_once(q) is not None] == []


def test_at_once_gives_the_solutions_of_one_run_per_focus_node():
    store = ox.Store()
    store.load(TABLES, format=ox.RdfFormat.TURTLE)
    this = ox.Variable("this")
    for body in ACCEPTED:
        marked = HEAD + at_once(body)
        alone = sorted(str(s) for f in FOCI for s in store.query(focus_nodes(marked, None), substitutions={this: f}))
        together = sorted(str(s) for s in store.query(focus_nodes(marked, FOCI)))
        assert together == alone and alone, body


def test_fill_replaces_the_tenth_placeholder_with_its_own_answer():
    names = [PLACEHOLDER.format(i) for i in range(12)]
    shared = tuple((name, f"SELECT {i}", "inner") for i, name in enumerate(names))
    answers = {f"SELECT {i}": f"{{answer {i}}}" for i in range(12)}  # kept answers: nothing is run
    assert fill(" ".join(names), shared, run=None, cache=answers) == " ".join(f"{{answer {i}}}" for i in range(12))


def test_a_sub_select_that_uses_current_shape_is_not_shared_but_the_one_inside_it_is():
    # one constraint shared by two shapes (as bkgsh:AuditNarrative-figures): its text is the same in both checks, but
    # what it answers depends on the shape it runs for, so only the shape-independent sub-SELECT inside is shared
    outer = (f"{{ SELECT $this ?x $currentShape WHERE {{ {SUB} FILTER (IF($currentShape = ex:A, ?n > 1, ?n = 1)) }} }}")
    query = f"SELECT $this ?x $currentShape WHERE {{ {outer} }}"
    (t1, u1), (t2, u2) = share([(HEAD, query), (HEAD, query)])
    assert t1 == t2 == query.replace(SUB, "{ " + PLACEHOLDER.format(0) + " }")
    assert [name for name, _, _ in u1] == [PLACEHOLDER.format(0)] and "currentShape" not in u1[0][1]
    store = _store()
    this = ox.NamedNode("urn:ex:a")
    cache: dict = {}
    for shape, expected in (("urn:ex:A", ["urn:ex:b"]), ("urn:ex:B", ["urn:ex:c"])):
        bound = {ox.Variable("this"): this, ox.Variable("currentShape"): ox.NamedNode(shape)}
        filled = fill(t1, u1, lambda q: store.query(q, substitutions={ox.Variable("this"): this}), cache)
        answer = sorted(s["x"].value for s in store.query(HEAD + filled, substitutions=bound) if isinstance(s["x"], ox.NamedNode))
        assert answer == expected
    assert len(cache) == 1  # the shared sub-SELECT ran once for both shapes
