"""Linked-data pages, the home page and the named-query API, against a real server."""

from __future__ import annotations

import json
import random

import rdflib
import rdflib.compare
from tests.conftest_service import svc_data, client, server, samples_server  # noqa: F401

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
BASE = "https://budgetkg.org/"


def _local(iri: str) -> str:
    if iri.startswith(BASE):
        return "/" + iri[len(BASE):]
    if iri.startswith(BASE + "def/budget#"):
        return "/def/budget/" + iri.split("#", 1)[1]
    raise AssertionError(iri)


def _select(client, query) -> list[dict]:
    r = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return r.json()["results"]["bindings"]


def test_home_page(client, svc_data):
    manifest = json.loads((svc_data / "manifest.json").read_text())
    r = client.get("/", headers=BROWSER)
    assert r.status_code == 200
    doc = manifest["documents"][0]
    assert doc["department"] in r.text and _local(doc["graph"]) in r.text
    assert "1,476.29 万元" in r.text  # the sample's income and expenditure totals (收支总表, line 82), with the unit
    for link in ("/sparql", "/dumps/", "/catalog", "/.well-known/void", "/api/queries"):
        assert f"href='{link}'" in r.text


def test_every_kind_of_minted_iri_dereferences(client):
    rows = _select(client, f"""SELECT ?s ?c WHERE {{ GRAPH ?g {{ ?s a ?c }} FILTER(STRSTARTS(STR(?s), "{BASE}id/")) }}""")
    by_class: dict[str, list[str]] = {}
    for r in rows:
        by_class.setdefault(r["c"]["value"], []).append(r["s"]["value"])
    rng = random.Random(5)
    sample = [rng.choice(v) for v in by_class.values()] + rng.sample([r["s"]["value"] for r in rows], 20)
    assert len(by_class) >= 8
    for iri in sample:
        path = _local(iri)
        t = client.get(path, headers={"Accept": "text/turtle"})
        assert t.status_code == 200, path
        g = rdflib.Graph().parse(data=t.text, format="turtle")
        assert (rdflib.URIRef(iri), None, None) in g
        assert "Accept" in t.headers["vary"] and 'rel="alternate"' in t.headers["link"]
        h = client.get(path, headers=BROWSER)
        assert h.status_code == 200 and h.headers["content-type"].startswith("text/html"), path


def test_formats_by_accept_and_suffix(client):
    iri = _select(client, "SELECT ?d WHERE { ?d a <https://budgetkg.org/def/budget#Department> } LIMIT 1")[0]["d"]["value"]
    path = _local(iri)
    ttl = client.get(path + ".ttl")
    assert ttl.headers["content-type"].startswith("text/turtle")
    expected = rdflib.Graph().parse(data=ttl.text, format="turtle")
    for suffix, media, parser in (("jsonld", "application/ld+json", "json-ld"), ("nt", "application/n-triples", "nt"),
                                  ("rdf", "application/rdf+xml", "xml")):
        by_suffix = client.get(f"{path}.{suffix}")
        by_accept = client.get(path, headers={"Accept": media})
        assert by_suffix.headers["content-type"].startswith(media) and by_accept.headers["content-type"].startswith(media)
        assert rdflib.compare.isomorphic(rdflib.Graph().parse(data=by_suffix.text, format=parser), expected)
        assert by_suffix.content == by_accept.content
    link = client.get(path, headers=BROWSER).headers["link"]
    assert f'<{path}.ttl>; rel="alternate"; type="text/turtle"' in link and "application/ld+json" in link
    assert client.get(path + ".html").headers["content-type"].startswith("text/html")
    assert client.get(path, headers={"Accept": "image/png"}).status_code == 406
    assert client.head(path, headers={"Accept": "text/turtle"}).status_code == 200


def test_dataset_page_shows_observations_as_a_table(client):
    iri = _select(client, "SELECT ?d WHERE { ?d <https://budgetkg.org/def/budget#tableKind> "
                          "<https://budgetkg.org/def/cl/table-kind/income> } LIMIT 1")[0]["d"]["value"]
    r = client.get(_local(iri), headers=BROWSER)
    assert r.status_code == 200
    assert "Observations" in r.text and "部门预算收入总表" in r.text and "1476.29" in r.text
    assert f"href='{_local(iri)}/obs/" in r.text  # amounts link to their observations
    assert "zh" in r.text


def test_named_graph_as_page_and_dataset(client, svc_data):
    doc = json.loads((svc_data / "manifest.json").read_text())["documents"][0]
    path = _local(doc["graph"])
    page = client.get(path, headers=BROWSER)
    assert page.status_code == 200 and "Data sets" in page.text
    nq = client.get(path + ".nq")
    assert nq.status_code == 200 and nq.text.count(f"<{doc['graph']}> .") == doc["triples"]
    trig = rdflib.Dataset().parse(data=client.get(path + ".trig").text, format="trig")
    assert len(trig.graph(rdflib.URIRef(doc["graph"]))) == doc["triples"]


def test_code_lists_and_ontology(client):
    scheme = client.get("/def/cl/functional", headers=BROWSER)
    assert scheme.status_code == 200 and "Concepts" in scheme.text and "/def/cl/functional/2150501" in scheme.text
    concept = client.get("/def/cl/functional/2150501.ttl")
    g = rdflib.Graph().parse(data=concept.text, format="turtle")
    labels = {lit.language for lit in g.objects(None, rdflib.SKOS.prefLabel)}
    assert {"zh", "en"} <= labels
    terms = _select(client, 'SELECT DISTINCT ?t WHERE { ?t ?p ?o FILTER(STRSTARTS(STR(?t), "https://budgetkg.org/def/budget#")) } LIMIT 5')
    if terms:  # the ontology is in the build
        assert client.get("/def/budget", headers=BROWSER).status_code == 200
        for t in terms:
            local = t["t"]["value"].split("#", 1)[1]
            assert client.get(f"/def/budget/{local}", headers=BROWSER).status_code == 200
            assert client.get(f"/def/budget/{local}.ttl").status_code == 200
            assert f"id='{local}'" in client.get("/def/budget", headers=BROWSER).text
        assert client.get("/def/budget.ttl").status_code == 200
    assert client.get("/def/graph.trig").status_code == 200


def test_unknown_iri_is_404(client):
    for path in ("/id/no/such/thing", "/id/no/such/thing.ttl", "/def/cl/functional/0000000", "/graph/none/2022/1/budget"):
        r = client.get(path, headers={"Accept": "text/turtle"})
        assert r.status_code == 404, path


def test_named_query_api(client):
    listing = client.get("/api/queries").json()["queries"]
    by_name = {q["name"]: q for q in listing}
    cells = by_name["tables/cells"]
    assert cells["title"] and cells["description"]
    assert cells["params"] == [{"name": "kind", "type": "iri", "required": False, "default": None, "description": cells["params"][0]["description"]}]
    assert by_name["expenditure_by_function"]["params"][0]["required"] is True
    kind = "https://budgetkg.org/def/cl/table-kind/income"
    as_json = client.get("/api/queries/tables/cells.json", params={"kind": kind})
    assert as_json.status_code == 200 and as_json.headers["content-type"].startswith("application/sparql-results+json")
    rows = as_json.json()["results"]["bindings"]
    assert rows and {r["kind"]["value"] for r in rows} == {kind}
    as_csv = client.get("/api/queries/tables/cells.csv", params={"kind": kind})
    assert as_csv.headers["content-type"].startswith("text/csv") and len(as_csv.text.strip().splitlines()) == len(rows) + 1
    by_accept = client.get("/api/queries/tables/cells", params={"kind": kind}, headers={"Accept": "text/csv"})
    assert by_accept.text == as_csv.text
    everything = client.get("/api/queries/tables/cells.json").json()["results"]["bindings"]
    assert len(everything) > len(rows)
    assert client.get("/api/queries", headers=BROWSER).headers["content-type"].startswith("text/html")


def test_named_query_parameters_are_bound_safely(client):
    bad = [("kind", "https://x/> } UNION { ?s ?p ?o"), ("kind", "not an iri"), ("nope", "1")]
    for key, value in bad:
        r = client.get("/api/queries/tables/cells.json", params={key: value})
        assert r.status_code == 400, value
    assert client.get("/api/queries/no/such.json").status_code == 404
    assert client.get("/api/queries/tables/cells.ttl").status_code == 406
    r = client.get("/api/queries/tables/cells.json", params=[("kind", "https://a/"), ("kind", "https://b/")])
    assert r.status_code == 400


def _elements(page: str) -> dict[str, str]:
    """Text of every element with an id, as a browser gives it (character references decoded, except in <script>)."""
    from html.parser import HTMLParser

    found: dict[str, str] = {}

    class P(HTMLParser):
        stack: list = []

        def handle_starttag(self, tag, attrs):
            self.stack.append(dict(attrs).get("id"))

        def handle_endtag(self, tag):
            if self.stack:
                self.stack.pop()

        def handle_data(self, data):
            if self.stack and self.stack[-1]:
                found[self.stack[-1]] = found.get(self.stack[-1], "") + data

    P().feed(page)
    return found


def test_query_page_examples_reach_the_editor_as_written(client):
    from budgetkg.queries import load_queries

    page = client.get("/sparql", headers=BROWSER)
    assert page.status_code == 200
    texts = _elements(page.text)
    for name, q in load_queries().items():
        assert texts.get(f"ex-{name}") == q.text, name  # the editor got &lt; for < before


def test_dataset_page_shows_row_labels(client):
    # 部门预算支出总表 of the sample: row 序号 2 prints code 210, 卫生健康支出, 440.00
    iri = _select(client, "SELECT ?d WHERE { ?d <https://budgetkg.org/def/budget#tableKind> "
                          "<https://budgetkg.org/def/cl/table-kind/expenditure> } LIMIT 1")[0]["d"]["value"]
    page = client.get(_local(iri), headers=BROWSER).text
    import re

    rows = [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)] for r in re.findall(r"<tr>(.*?)</tr>", page)]
    assert ["2", "210", "卫生健康支出"] in [r[:3] for r in rows]
    assert ["1", "", "合计"] in [r[:3] for r in rows]


def test_named_query_without_a_required_parameter_is_refused_naming_it(client):
    from budgetkg.queries import load_queries

    r = client.get("/api/queries/expenditure_by_function.json")
    assert r.status_code == 400 and "'digits'" in r.json()["detail"]
    assert client.get("/api/queries/expenditure_by_function.json", params={"digits": "3"}).status_code == 200
    text = load_queries()["expenditure_by_function"].text
    page = client.get("/sparql", params={"query": text}, headers=BROWSER)
    assert page.status_code == 400 and "digits" in page.text and "Results (0)" not in page.text


def _rows(page: str) -> list[list[str]]:
    import re

    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r)] for r in re.findall(r"<tr>(.*?)</tr>", page)]


def test_home_page_income_total_of_final_accounts(samples_server):
    import httpx

    # 上海市普陀区财政局 2024 final accounts, 收入决算表: 本年收入合计 printed 2946.25 (万元); the table prints
    # no column adding 年初结转结余 to it, so that is the income total.
    page = httpx.get(samples_server + "/", headers=BROWSER, timeout=60).text
    rows = _rows(page)
    final = next(r for r in rows if r[1:3] == ["2024", "决算 final accounts"])
    assert final[3] == "2,946.25 万元"
    hebei = next(r for r in rows if r[1:3] == ["2022", "预算 budget"])
    assert hebei[3] == "1,476.29 万元"  # a grand total column where one is printed


def test_home_page_corpus_at_a_glance_and_search(samples_server):
    import httpx

    # Expected values from the three sample documents: 邢台市工业和信息化局 2022 预算 (text, 收入总表 合计 1476.29 万元),
    # 上海市普陀区财政局 2024 决算 (PDF p. 10 支出决算表 合计 2,940.05 万元), 上海市普陀区司法局 2026 预算 (PDF p. 11
    # 收入预算总表 合计 96282213.44 元); the jurisdictions are 邢台市 (130500) and 普陀区 (310107).
    page = httpx.get(samples_server + "/", headers=BROWSER, timeout=60).text
    rows = _rows(page)
    by_dept = {r[0]: r for r in rows if len(r) == 6}
    assert by_dept["上海市普陀区司法局"][1:5] == ["2026", "预算 budget", "96,282,213.44 元", "96,282,213.44 元"]
    assert by_dept["上海市普陀区财政局"][1:5] == ["2024", "决算 final accounts", "2,946.25 万元", "2,940.05 万元"]
    assert by_dept["邢台市工业和信息化局"][1:5] == ["2022", "预算 budget", "1,476.29 万元", "1,476.29 万元"]
    # documents per jurisdiction and year: a table and a Vega-Lite chart drawn on the server
    header = page[page.index("各地区各年度公开文件"):]
    per_jur = {r[0]: r[1:] for r in [r for r in _rows(header) if r][:2]}
    assert per_jur["130500 邢台市 Xingtai City"] == ["预算 budget: 1", "", "", "1"]
    assert per_jur["310107 普陀区 Putuo District"] == ["", "决算 final accounts: 1", "预算 budget: 1", "2"]
    assert "<th>2022</th><th>2024</th><th>2026</th>" in header
    assert "<figure class='chart' id='chart-documents'><svg" in page and "href='/charts/documents.vl.json'" in page
    spec = httpx.get(samples_server + "/charts/documents.vl.json", timeout=60).json()
    assert sorted((v["year"], v["jurisdiction"], v["documents"]) for v in spec["data"]["values"]) == [
        ("2022", "130500 邢台市 Xingtai City", 1), ("2024", "310107 普陀区 Putuo District", 1), ("2026", "310107 普陀区 Putuo District", 1)]
    assert "<th>地区 Jurisdictions</th><td class='num'>2</td>" in page
    assert "3 (预算 budget 2, 决算 final accounts 1)" in page
    # search by department name: a plain GET form, answered by the server (no script needed)
    assert "<form class='search' method='get' action='/'" in page and "<script" not in page
    found = httpx.get(samples_server + "/", params={"q": "财政"}, headers=BROWSER, timeout=60).text
    matched = found[found.index("Departments matching"):found.index("Corpus at a glance")]
    assert [r[0] for r in _rows(matched) if r] == ["上海市普陀区财政局"]
    assert "/graph/310107/2024/" in matched and "2,940.05 万元" in matched
    none = httpx.get(samples_server + "/", params={"q": "不存在的部门"}, headers=BROWSER, timeout=60).text
    assert "No department name contains “不存在的部门”" in none


def test_html_results_never_link_script_iris_and_pages_forbid_framing(client):
    query = 'SELECT ?x WHERE { VALUES ?s { "javascript:alert(document.domain)" "JaVaScRiPt:alert(1)" "data:text/html,x" } BIND(IRI(?s) AS ?x) }'
    r = client.get("/sparql", params={"query": query}, headers=BROWSER)
    assert r.status_code == 200 and "javascript:alert(document.domain)" in r.text  # shown
    assert "href='javascript" not in r.text.lower() and "href='data:" not in r.text.lower()  # never a link
    ok = client.get("/sparql", params={"query": 'SELECT ?x { BIND(<https://example.org/a> AS ?x) }'}, headers=BROWSER)
    assert "href='https://example.org/a'" in ok.text
    for path in ("/", "/sparql", "/catalog"):
        headers = client.get(path, headers=BROWSER).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path


def test_pages_carry_no_inline_script_and_the_policy_allows_none(client):
    """script-src 'self' only: every script of the pages is a file under /static, no inline script or handler attribute."""
    import re

    graph = _select(client, "SELECT ?g WHERE { GRAPH ?g { ?d a <https://budgetkg.org/def/budget#Disclosure> } }")[0]["g"]["value"]
    dept = _select(client, "SELECT ?d WHERE { ?d a <https://budgetkg.org/def/budget#Department> }")[0]["d"]["value"]
    for path in ("/", "/sparql", "/catalog", "/queries", "/queries/three_public_by_category", _local(graph), _local(dept)):
        r = client.get(path, headers=BROWSER)
        assert r.status_code == 200, path
        policy = dict(d.strip().split(" ", 1) for d in r.headers["content-security-policy"].split(";") if d.strip())
        assert policy["script-src"] == "'self'", path
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", r.text), path  # every <script> has a src
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", r.text), path  # no onclick=, onchange= ...
