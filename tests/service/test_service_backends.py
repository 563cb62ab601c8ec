"""Rebuild pickup without a restart, and the service over an external endpoint (Oxigraph server)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import httpx
import pytest
import rdflib
from tests.conftest_service import ROOT, TEST_TIMEOUT, build_into, svc_data, oxigraph_server, start_service, stop  # noqa: F401
from SPARQLWrapper import JSON, SPARQLWrapper

from budgetkg.resources import default_sources
from budgetkg.etl.model import EtlError

COUNT_GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _get(url: str, query: str = COUNT_GRAPHS) -> httpx.Response:
    r = httpx.get(url + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200, r.text
    return r


def _n(url: str, query: str = COUNT_GRAPHS) -> int:
    return int(_get(url, query).json()["results"]["bindings"][0]["n"]["value"])


def test_rebuild_is_picked_up_and_failed_build_changes_nothing(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    for p in default_sources():
        if p.suffix == ".txt":  # the text sample; its counts are what the test checks
            shutil.copy(p, sources)
    data = build_into(tmp_path / "data", [sources])
    proc, url = start_service(data, log=tmp_path / "serve.log")
    try:
        assert _n(url) == 2  # one document + the vocabulary
        assert _get(url).headers["X-Cache"] == "hit"  # the same query again: the kept answer
        before = httpx.get(url + "/health").json()["generation"]
        subprocess.run([sys.executable, "-m", "bench.generate", "--departments", "2", "--years", "2022", "--out", str(sources)],
                       cwd=ROOT, check=True, capture_output=True, timeout=120)
        build_into(data, [sources])  # a new folder renamed into place while serving
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and httpx.get(url + "/health").json()["generation"] == before:
            time.sleep(0.1)
        first = _get(url)
        assert first.headers["X-Cache"] == "miss"  # answers of the old build were dropped with it
        assert int(first.json()["results"]["bindings"][0]["n"]["value"]) == 4
        health = httpx.get(url + "/health").json()
        assert health["documents"] == 3 and health["generation"] == before + 1
        assert len(httpx.get(url + "/dumps/").json()["dumps"]) == 4
        bad = sources / "broken.txt"
        bad.write_text("this is not a budget disclosure\n", encoding="utf-8")
        with pytest.raises((EtlError, ValueError)):
            build_into(data, [sources])
        time.sleep(1)
        assert httpx.get(url + "/health").json()["generation"] == before + 1
        assert _n(url) == 4
        assert httpx.get(url + "/").status_code == 200
    finally:
        stop(proc)


@pytest.fixture()
def remote(svc_data, oxigraph_server, tmp_path):
    proc, url = start_service(svc_data, endpoint=oxigraph_server, log=tmp_path / "serve.log")
    yield url
    stop(proc)


def test_service_over_oxigraph_server(remote, svc_data):
    manifest = json.loads((svc_data / "manifest.json").read_text())
    health = httpx.get(remote + "/health").json()
    assert health["backend"] == "remote"
    assert _n(remote) == 2
    sw = SPARQLWrapper(remote + "/sparql")
    sw.setQuery("SELECT ?s WHERE { ?s a <https://budgetkg.org/def/budget#BudgetDataSet> }")
    sw.setReturnFormat(JSON)
    assert len(sw.query().convert()["results"]["bindings"]) == 11
    r = httpx.get(remote + "/sparql", params={"query": "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 10"}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and len(rdflib.Graph().parse(data=r.text, format="turtle")) == 10
    r = httpx.get(remote + "/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    r = httpx.get(remote + "/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"})
    assert r.status_code == 403
    kind = "https://budgetkg.org/def/cl/table-kind/income"
    rows = httpx.get(remote + "/api/queries/tables/cells.json", params={"kind": kind}).json()["results"]["bindings"]
    assert rows and {b["kind"]["value"] for b in rows} == {kind}
    doc = manifest["documents"][0]
    page = httpx.get(remote + doc["graph"].replace("https://budgetkg.org", ""), headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Data sets" in page.text
    home = httpx.get(remote + "/", headers={"Accept": "text/html"})
    assert home.status_code == 200 and doc["department"] in home.text


def test_timeout_over_oxigraph_server(remote):
    started = time.monotonic()
    r = httpx.get(remote + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"},
                  headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert r.status_code in (502, 503, 504)
    assert time.monotonic() - started < TEST_TIMEOUT + 10
    assert _n(remote) == 2


def test_relative_iris_resolve_against_this_endpoint_over_oxigraph_server(remote):
    # Not against the backend's internal URL: the client sees only this service.
    r = httpx.post(remote + "/sparql", data={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"}, headers={"Accept": "application/n-triples"},
                   timeout=60)
    assert r.status_code == 200, r.text
    assert r.text.strip() == f'<{remote}/s> <{remote}/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
