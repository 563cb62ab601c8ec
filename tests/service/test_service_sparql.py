"""SPARQL 1.1 Protocol at /sparql, against a real uvicorn process on loopback."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from urllib.parse import quote_plus

import httpx
import pytest
import rdflib
from tests.conftest_service import TEST_BODY_LIMIT, TEST_QUERY_LIMIT, TEST_LIMIT, TEST_TIMEOUT, VOCAB_GRAPH, svc_data, client, listener, server  # noqa: F401
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

SELECT = "SELECT ?s ?label WHERE { ?s a <https://budgetkg.org/def/budget#BudgetDataSet> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s"
CONSTRUCT = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 20"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
JENA_ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.7, "
               "text/csv;q=0.5, application/json;q=0.2, application/xml;q=0.2, */*;q=0.1")
YASGUI_ACCEPT = "application/sparql-results+json,*/*;q=0.9"


def test_get_json_xml_csv_tsv(client):
    expected = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}
    for media in expected.values():
        r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": media})
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith(media)
        assert "Accept" in r.headers["vary"]
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
    rows = r.json()["results"]["bindings"]
    assert len(rows) == 11 and all(b["label"]["xml:lang"] == "zh" for b in rows)
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    table = list(csv.reader(io.StringIO(r.text)))
    assert table[0] == ["s", "label"] and len(table) == 12


def test_post_form_and_sparql_query_body(client):
    a = client.post("/sparql", data={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
    b = client.post("/sparql", content=SELECT.encode(), headers={"Content-Type": "application/sparql-query",
                                                                 "Accept": "application/sparql-results+json"})
    assert a.status_code == b.status_code == 200
    assert a.json() == b.json()
    r = client.post("/sparql", content=SELECT.encode(), headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_unknown_parameters_are_ignored(client):
    r = client.get("/sparql", params={"query": SELECT, "format": "json", "output": "json", "results": "json", "foo": "bar"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 11


def test_construct_formats(client):
    formats = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
               "application/ld+json": "json-ld", "application/n-quads": "nquads", "application/trig": "trig"}
    for media, parser in formats.items():
        r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": media})
        assert r.status_code == 200, (media, r.text)
        assert r.headers["content-type"].startswith(media)
        g = rdflib.Dataset() if parser in ("nquads", "trig") else rdflib.Graph()
        g.parse(data=r.content, format=parser)
        assert len(g) == 20 or sum(1 for _ in g.quads()) == 20


def test_negotiation_q_values_and_406(client):
    def fmt(accept, query=SELECT):
        return client.get("/sparql", params={"query": query}, headers={"Accept": accept})

    assert fmt("application/sparql-results+xml;q=0.5, text/csv").headers["content-type"].startswith("text/csv")
    assert fmt("*/*").headers["content-type"].startswith("application/sparql-results+json")
    assert fmt(JENA_ACCEPT).headers["content-type"].startswith("application/sparql-results+json")
    assert fmt(YASGUI_ACCEPT).headers["content-type"].startswith("application/sparql-results+json")
    assert fmt("text/csv;q=0.3, text/tab-separated-values;q=0.4, application/*;q=0.2").headers["content-type"].startswith("text/tab-separated-values")
    assert fmt("application/*;q=0.3, text/csv;q=0.2").headers["content-type"].startswith("application/sparql-results+json")
    assert fmt("application/json").headers["content-type"].startswith("application/sparql-results+json")
    assert fmt("*/*", CONSTRUCT).headers["content-type"].startswith("text/turtle")
    assert fmt("application/json", CONSTRUCT).headers["content-type"].startswith("application/ld+json")
    r = fmt("image/png")
    assert r.status_code == 406 and "available" in r.text
    assert fmt("text/turtle").status_code == 406  # a SELECT has no Turtle form
    assert fmt("text/csv;q=0, application/sparql-results+json;q=0").status_code == 406


def test_sparqlwrapper_get_and_post(server):
    for method in ("GET", POST):
        sw = SPARQLWrapper(server + "/sparql")
        sw.setMethod(method)
        sw.setQuery(SELECT)
        sw.setReturnFormat(JSON)
        assert len(sw.query().convert()["results"]["bindings"]) == 11
        sw.setReturnFormat(XML)
        doc = sw.query().convert()
        assert len(doc.getElementsByTagName("result")) == 11
        sw.setReturnFormat(CSV)
        assert len(sw.query().convert().decode().strip().splitlines()) == 12
        sw.setQuery(CONSTRUCT)
        sw.setReturnFormat(TURTLE)
        g = rdflib.Graph().parse(data=sw.query().convert(), format="turtle")
        assert len(g) == 20
        sw.setQuery("ASK { ?s a <https://budgetkg.org/def/budget#Department> }")
        sw.setReturnFormat(JSON)
        assert sw.query().convert()["boolean"] is True


def test_sparqlwrapper_syntax_error(server):
    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery("SELECT * WHERE { ?s ?p }")
    sw.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        sw.query()


def test_rdflib_sparqlstore(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server + "/sparql", returnFormat="xml")
    g = rdflib.Graph(store)
    rows = list(g.query(SELECT))
    assert len(rows) == 11 and all(isinstance(r[0], rdflib.URIRef) for r in rows)
    triples = g.query(CONSTRUCT)
    assert len(list(triples)) == 20
    assert bool(g.query("ASK { ?s ?p ?o }").askAnswer)
    store_post = SPARQLStore(server + "/sparql", method="POST")
    assert len(list(rdflib.Graph(store_post).query(SELECT))) == 11


def test_dataset_parameters_and_from(client, svc_data):
    manifest = json.loads((svc_data / "manifest.json").read_text())
    vocab = manifest["vocabulary_triples"]
    doc_graph = manifest["documents"][0]["graph"]

    def n(query, params=()):
        r = client.get("/sparql", params=[("query", query)] + list(params), headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, r.text
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    assert n(COUNT) == manifest["triples"] + vocab  # the default graph is the union
    assert n(COUNT, [("default-graph-uri", VOCAB_GRAPH)]) == vocab
    assert n(f"SELECT (COUNT(*) AS ?n) FROM <{VOCAB_GRAPH}> WHERE {{ ?s ?p ?o }}") == vocab
    assert n(f"SELECT (COUNT(*) AS ?n) FROM <{doc_graph}> WHERE {{ ?s ?p ?o }}", [("default-graph-uri", VOCAB_GRAPH)]) == vocab
    assert n("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", [("named-graph-uri", doc_graph)]) == 1
    assert n(f"SELECT (COUNT(*) AS ?n) FROM NAMED <{doc_graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == manifest["documents"][0]["triples"]
    r = client.get("/sparql", params={"query": COUNT, "default-graph-uri": "not an iri"})
    assert r.status_code == 400


def test_from_is_never_fetched(client, listener):
    url = f"http://127.0.0.1:{listener.port}/data.ttl"
    r = client.get("/sparql", params={"query": f"SELECT * FROM <{url}> FROM NAMED <{url}> WHERE {{ ?s ?p ?o }}"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []
    time.sleep(0.3)
    assert listener.connections == 0


def test_syntax_error_is_400_with_the_parser_message(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "error at 1:" in r.json()["detail"]
    assert client.get("/sparql", params={"query": "  "}).status_code == 400
    assert client.get("/sparql", params=[("query", SELECT), ("query", SELECT)]).status_code == 400


@pytest.mark.parametrize("how", ["update-param", "update-body", "update-as-query", "load", "service", "service-lower", "clear"])
def test_refusals_run_nothing(client, listener, how):
    target = f"http://127.0.0.1:{listener.port}/x"
    if how == "update-param":
        r = client.post("/sparql", data={"update": f"LOAD <{target}>"})
    elif how == "update-body":
        r = client.post("/sparql", content=f"LOAD <{target}>", headers={"Content-Type": "application/sparql-update"})
    elif how == "update-as-query":
        r = client.post("/sparql", data={"query": "INSERT DATA { <http://a/b> <http://a/c> <http://a/d> }"})
    elif how == "load":
        r = client.get("/sparql", params={"query": f"LOAD <{target}>"})
    elif how == "service":
        r = client.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"})
    elif how == "service-lower":
        r = client.get("/sparql", params={"query": f"select * where {{ ?x ?y ?z . service silent <{target}> {{ ?s ?p ?o }} }}"})
    else:
        r = client.get("/sparql", params={"query": "CLEAR ALL"})
    assert r.status_code == 403, r.text
    assert "not allowed" in r.text or "read-only" in r.text
    time.sleep(0.3)
    assert listener.connections == 0
    count = client.get("/sparql", params={"query": "ASK { <http://a/b> ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
    assert count.json()["boolean"] is False


def test_keywords_inside_strings_iris_and_comments_are_not_refused(client):
    q = ('PREFIX ex: <http://example.org/SERVICE/> # SERVICE LOAD\n'
         'SELECT ?s WHERE { ?s ?p ?o FILTER(?o != "SERVICE <http://x/> { }" && ?p != ex:LOAD) } LIMIT 1')
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text


def test_body_limit_413(client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (TEST_BODY_LIMIT + 10)
    r = client.post("/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    r = client.post("/sparql", data={"query": big})
    assert r.status_code == 413

    def chunks():
        for _ in range(10):
            yield b"x" * (TEST_BODY_LIMIT // 4)

    r = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_service_description(client, svc_data):
    manifest = json.loads((svc_data / "manifest.json").read_text())
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    service = next(g.subjects(rdflib.RDF.type, sd.Service))
    assert (service, sd.endpoint, service) in g
    assert (service, sd.resultFormat, rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in g
    assert (service, sd.feature, sd.UnionDefaultGraph) in g
    dataset = g.value(service, sd.defaultDataset)
    counts = {int(c) for c in g.objects(g.value(dataset, sd.defaultGraph), void.triples)}
    assert counts == {manifest["triples"] + manifest["vocabulary_triples"]}
    names = {str(g.value(ng, sd.name)) for ng in g.objects(dataset, sd.namedGraph)}
    assert names == {d["graph"] for d in manifest["documents"]} | {VOCAB_GRAPH}
    r = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert len(rdflib.Graph().parse(data=r.text, format="json-ld")) == len(g)
    assert client.get("/sparql").headers["content-type"].startswith("text/turtle")  # no Accept


def test_browser_query_page_and_results_table(client):
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    r = client.get("/sparql", headers=browser)
    assert r.status_code == 200 and "<textarea" in r.text and "tables/cells" in r.text
    r = client.get("/sparql", params={"example": "tables/cells"}, headers=browser)
    assert "bkg:tableKind" in r.text
    r = client.get("/sparql", params={"query": SELECT}, headers=browser)
    assert r.status_code == 200 and r.text.count("<tr>") == 12 and "部门预算收入总表" in r.text
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers=browser)
    assert r.status_code == 200 and "<table>" in r.text
    r = client.get("/sparql", params={"query": SELECT, "format": "csv"}, headers=browser)
    assert r.headers["content-type"].startswith("text/csv")


def test_result_cap_is_signalled(client):
    q = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # the cross product: cut at the cap, not run to the end
    for accept in ("application/sparql-results+json", "text/csv", "text/tab-separated-values", "application/sparql-results+xml"):
        started = time.monotonic()
        r = client.get("/sparql", params={"query": q}, headers={"Accept": accept})
        assert r.status_code == 200 and time.monotonic() - started < TEST_TIMEOUT
        assert r.headers["x-result-truncated"] == "true" and r.headers["x-result-limit"] == str(TEST_LIMIT)
        assert r.headers["x-result-rows"] == str(TEST_LIMIT)
    assert len(r.text.split("<result>")) - 1 == TEST_LIMIT
    r = client.get("/sparql", params={"query": "CONSTRUCT { ?a ?b ?d } WHERE { ?a ?b ?c . ?d ?e ?f }"}, headers={"Accept": "application/n-triples"})
    assert r.headers["x-result-truncated"] == "true" and len(r.text.splitlines()) == TEST_LIMIT
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert "x-result-truncated" not in r.headers and r.headers["x-result-rows"] == "11"


def test_timeout_stops_runaway_while_others_are_served(server):
    results = {}

    def runaway():
        started = time.monotonic()
        r = httpx.get(server + "/sparql", params={"query": RUNAWAY}, headers={"Accept": "application/sparql-results+json"}, timeout=60)
        results["runaway"] = (r, time.monotonic() - started)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    latencies = []
    with httpx.Client(base_url=server, timeout=10) as c:
        while thread.is_alive() and len(latencies) < 200:
            started = time.monotonic()
            r = c.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
            latencies.append(time.monotonic() - started)
            assert r.status_code == 200
        thread.join(30)
    r, elapsed = results["runaway"]
    assert r.status_code in (503, 504)
    assert "limit" in r.json()["detail"] and "stopped" in r.json()["detail"]
    assert TEST_TIMEOUT - 0.5 < elapsed < TEST_TIMEOUT + 5
    assert len(latencies) >= 5 and sorted(latencies)[len(latencies) // 2] < 0.5
    health = httpx.get(server + "/health").json()
    assert health["workers_replaced"] >= 1
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # the killed worker is replaced; both serve again
        ok = [httpx.get(server + "/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"}).status_code for _ in range(4)]
        if ok == [200] * 4:
            break
    assert ok == [200] * 4


def test_cors(client):
    r = client.get("/sparql", params={"query": SELECT}, headers={"Origin": "https://yasgui.example", "Accept": YASGUI_ACCEPT})
    assert r.headers["access-control-allow-origin"] == "*"
    r = client.options("/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
                                           "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 200 and "POST" in r.headers["access-control-allow-methods"]


def test_errors_share_one_shape(client):
    for r in (client.get("/no-such-page", headers={"Accept": "application/json"}),
              client.get("/sparql", params={"query": "SELECT"}, headers={"Accept": "application/json"})):
        body = r.json()
        assert set(body) == {"type", "title", "status", "detail"} and body["status"] == r.status_code
    r = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")


def _raw(server: str, request: bytes) -> tuple[int, dict, bytes]:
    """Send bytes as they are on one connection; (status, headers, body) of the answer."""
    import socket

    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
        while len(body) < int(headers.get("content-length", 0)):
            body += sock.recv(65536)
    return int(lines[0].split()[1]), headers, body


def test_post_offering_an_http2_upgrade_keeps_its_body(server):
    # What Java's HTTP client (and so Jena) and `curl --http2` send on every POST.
    body = b"query=" + quote_plus(COUNT).encode()
    head = (f"POST /sparql HTTP/1.1\r\nHost: {server.removeprefix('http://')}\r\nConnection: Upgrade, HTTP2-Settings\r\n"
            "Upgrade: h2c\r\nHTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nAccept: */*\r\nContent-Length: {len(body)}\r\n\r\n")
    status, headers, answer = _raw(server, head.encode() + body)
    assert status == 200, answer
    assert headers["content-type"].startswith("application/sparql-results+json")
    assert int(json.loads(answer)["results"]["bindings"][0]["n"]["value"]) > 0
    query = b"ASK {}"
    head = (f"POST /sparql HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
            f"HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\nContent-Type: application/sparql-query\r\n"
            f"Accept: application/sparql-results+json\r\nContent-Length: {len(query)}\r\n\r\n")
    status, _, answer = _raw(server, head.encode() + query)
    assert status == 200 and json.loads(answer)["boolean"] is True


def test_post_without_a_query_is_400(client):
    for kwargs in ({"content": b"", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
                   {"data": {"default-graph-uri": VOCAB_GRAPH}, "headers": {"Accept": "*/*"}}):
        r = client.post("/sparql", **kwargs)
        assert r.status_code == 400, r.text
        assert "no query" in r.json()["detail"]
    r = client.post("/sparql", content=b"", headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400


def test_http_query_method(client):
    r = client.request("QUERY", "/sparql", content=b"ASK {}", headers={"Content-Type": "application/sparql-query",
                                                                       "Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    assert r.json()["boolean"] is True
    r = client.request("QUERY", "/sparql", content=("query=" + quote_plus(COUNT)).encode(),
                       headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
    assert r.status_code == 200 and r.text.splitlines()[0] == "n"


def test_relative_iris_resolve_against_the_endpoint(client, server):
    # From the W3C SPARQL 1.1 protocol tests: relative IRIs take the endpoint's URL as base.
    r = client.post("/sparql", data={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200, r.text
    assert r.text.strip() == f'<{server}/s> <{server}/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    r = client.get("/sparql", params={"query": "BASE <http://ex.org/a/> SELECT ?x { BIND(<b> AS ?x) }"}, headers={"Accept": "text/csv"})
    assert r.text.splitlines()[1] == "http://ex.org/a/b"  # the query's own BASE wins


ATTACKS = {  # a few kilobytes each; every one of them killed the query worker (stack overflow in the parser)
    "nested groups": "SELECT * " + "{" * 10000 + "}" * 10000,
    "nested parentheses": "SELECT * { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "nested OPTIONALs": "SELECT * { " + "OPTIONAL { " * 3000 + "}" * 3000 + " }",
    "a long property path": "SELECT * { ?s " + "/".join(["<p>"] * 1000) + " ?o }",
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_queries_too_deep_for_the_parser_are_refused_before_they_run(client, name):
    before = client.get("/health").json()["workers_replaced"]
    r = client.post("/sparql", content=ATTACKS[name].encode(), headers={"Content-Type": "application/sparql-query",
                                                                         "Accept": "application/sparql-results+json"})
    assert r.status_code == 400, r.text[:300]
    assert "nothing was run" in r.json()["detail"]
    assert client.get("/health").json()["workers_replaced"] == before  # no worker died
    ok = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
    assert ok.status_code == 200


def test_overlong_query_is_refused(client):
    text = "SELECT * { VALUES ?x { " + " ".join(f"<http://x/{i}>" for i in range(3000)) + " } }"
    assert TEST_QUERY_LIMIT < len(text) < TEST_BODY_LIMIT
    r = client.post("/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-query",
                                                               "Accept": "application/sparql-results+json"})
    assert r.status_code == 400 and f"at most {TEST_QUERY_LIMIT}" in r.json()["detail"]
