"""Meta-tests of the named queries: each is documented, and each runs on the sample's build."""

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from budgetkg.queries import NamedQuery, bind, load_queries, narrowed, run

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
QUERIES = load_queries()
# One value per parameter name, all of the sample (邢台市, 2022).
VALUES = {
    "department": "https://budgetkg.org/id/org/130500/501",
    "year": "2022",
    "digits": "3",
    "threshold": "0",
    "jurisdiction": "https://budgetkg.org/id/jurisdiction/130000",
    "kind": "https://budgetkg.org/def/cl/table-kind/income",
    "level": "https://budgetkg.org/def/cl/indicator-level/output",
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_is_documented(name):
    q = QUERIES[name]
    assert q.title and q.description, f"{name}: header needs # title: and # description:"
    assert f"`{name}`" in README, f"{name} is not in the README's table of named queries"
    for p in q.params:
        assert p.description, f"{name}: parameter {p.name} has no description"
        assert re.search(rf"\?{p.name}\b", q.text.split("\n", len(q.params) + 2)[-1]), f"{name}: ?{p.name} unused"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_runs_on_the_sample(built, name):
    store = ox.Store.read_only(str(built / "store"))
    q = QUERIES[name]
    params = {p.name: VALUES[p.name] for p in q.params if p.name in VALUES}
    if len(params) < len(q.params):
        basis = next(iter(store.query(
            "SELECT ?b WHERE { ?i <https://budgetkg.org/def/budget#basis> ?b } LIMIT 1", use_default_graph_as_union=True)))
        params["basis"] = basis["b"].value
    results = run(store, q, params)
    assert len(list(results)) > 0, f"{name} gave no rows on the sample"


@pytest.mark.parametrize("name", sorted(n for n, q in QUERIES.items() if q.params))
def test_values_narrowing_gives_the_rows_of_plain_substitution(built, name):
    store = ox.Store.read_only(str(built / "store"))
    q = QUERIES[name]
    params = {p.name: VALUES[p.name] for p in q.params if p.name in VALUES}
    if "basis" in {p.name for p in q.params}:
        params["basis"] = next(iter(store.query(
            "SELECT ?b WHERE { ?i <https://budgetkg.org/def/budget#basis> ?b } LIMIT 1", use_default_graph_as_union=True)))["b"].value
    plain = store.query(q.text, substitutions=bind(q, params), use_default_graph_as_union=True)
    rows = [[str(s[v]) if s[v] is not None else None for v in plain.variables] for s in plain]
    narrowed_rows = [[str(s[v]) if s[v] is not None else None for v in plain.variables] for s in run(store, q, params)]
    assert narrowed_rows == rows


def test_narrowed_binds_escaped_terms_in_a_values_block():
    hostile = ox.Literal('x" } ; DROP ALL #')
    text = narrowed("SELECT ?o WHERE { ?s ?p ?o }", {ox.Variable("o"): hostile})
    assert text == 'SELECT ?o WHERE { VALUES ?o { "x\\" } ; DROP ALL #" } ?s ?p ?o }'
    assert narrowed("SELECT * {}", None) == "SELECT * {}"


def test_a_parameter_default_is_used_when_none_is_given():
    q = NamedQuery.parse("t", "# title: t\n# description: d\n# param: n [integer] (default: 3) - how many\n"
                         "# param: y [gYear] (required) - year\nSELECT ?n ?y WHERE {}\n")
    n, y = q.params
    assert (n.name, n.type, n.default, n.required, n.description) == ("n", "integer", "3", False, "how many")
    assert (y.default, y.required) == (None, True)
    assert bind(q, {"y": "2022"})[ox.Variable("n")] == ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert bind(q, {"y": "2022", "n": "5"})[ox.Variable("n")].value == "5"
