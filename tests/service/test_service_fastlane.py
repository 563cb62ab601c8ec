"""The replay of kept answers (:mod:`budgetkg.service.fastlane` and ``budgetkg.service.app.App``), in process and over HTTP."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import httpx
from starlette.responses import Response

from budgetkg.service.app import App
from budgetkg.service.cache import ResultCache

from tests.conftest_service import client, server, svc_data  # noqa: F401


def _app(cache_bytes: int = 1 << 20):
    calls = []
    app = App()
    app.state.svc = SimpleNamespace(backend=SimpleNamespace(cache=ResultCache(cache_bytes)))

    async def answer(request):
        calls.append(request.url.query)
        status = int(request.query_params.get("status", "200"))
        headers = {} if request.query_params.get("plain") else {"X-Cache": "miss"}
        return Response(f"body {request.headers.get('accept')} {len(calls)}", status, headers)

    app.add_route("/sparql", answer, methods=["GET", "POST"])
    app.add_route("/other", answer, methods=["GET"])
    return app, calls


def _get_all(app, requests):
    async def go():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            return [await c.request(m, u, headers=h) for m, u, h in requests]
    return asyncio.run(go())


def test_an_identical_get_is_replayed_without_the_application():
    app, calls = _app()
    first, second = _get_all(app, [("GET", "/sparql?query=q", {"Accept": "text/csv"})] * 2)
    assert len(calls) == 1
    assert second.content == first.content == b"body text/csv 1"
    assert first.headers["X-Cache"] == "miss" and second.headers["X-Cache"] == "hit"


def test_another_accept_or_query_goes_to_the_application():
    app, calls = _app()
    r = _get_all(app, [("GET", "/sparql?query=q", {"Accept": "text/csv"}), ("GET", "/sparql?query=q", {"Accept": "text/tab-separated-values"}),
                       ("GET", "/sparql?query=r", {"Accept": "text/csv"})])
    assert len(calls) == 3 and r[1].content == b"body text/tab-separated-values 2"


def test_what_is_never_replayed():
    app, calls = _app()
    twice = [
        ("GET", "/sparql?query=q&status=400", {}),  # an error
        ("GET", "/sparql?query=q&plain=1", {}),  # not marked replayable by the query layer
        ("GET", "/other?query=q", {}),  # another path
        ("POST", "/sparql?query=q", {}),  # not a GET
        ("GET", "/sparql?query=c", {"If-None-Match": '"x"'}),  # conditional
    ]
    _get_all(app, [r for r in twice for _ in range(2)])
    assert len(calls) == 10


def test_nothing_is_replayed_without_cache_memory():
    app, calls = _app(cache_bytes=0)
    _get_all(app, [("GET", "/sparql?query=q", {})] * 2)
    assert len(calls) == 2


def test_replay_over_http_keeps_negotiation_and_cors(client):
    query = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://budgetkg.org/def/budget#BudgetObservation> }"}
    csv1 = client.get("/sparql", params=query, headers={"Accept": "text/csv", "Origin": "https://portal.example"})
    csv2 = client.get("/sparql", params=query, headers={"Accept": "text/csv", "Origin": "https://portal.example"})
    js = client.get("/sparql", params=query, headers={"Accept": "application/sparql-results+json"})
    assert csv2.headers["X-Cache"] == "hit" and csv2.content == csv1.content
    assert csv2.headers["content-type"].startswith("text/csv")
    assert csv2.headers["access-control-allow-origin"] in ("*", "https://portal.example")
    assert js.headers["content-type"].startswith("application/sparql-results+json")
    assert js.json()["results"]["bindings"][0]["n"]["value"] == csv1.text.splitlines()[1]


def test_a_linked_data_page_is_replayed(client):
    q = "SELECT ?ds WHERE { ?ds a <https://budgetkg.org/def/budget#BudgetDataSet> } ORDER BY ?ds LIMIT 1"
    iri = client.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"}).json()[
        "results"]["bindings"][0]["ds"]["value"]
    path = "/" + iri.split("/", 3)[3]
    pages = [client.get(path, headers={"Accept": "text/html"}) for _ in range(2)]
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    assert [p.status_code for p in pages] == [200, 200]
    assert pages[0].headers["X-Cache"] == "miss" and pages[1].headers["X-Cache"] == "hit"
    assert pages[1].content == pages[0].content and pages[1].headers["Link"] == pages[0].headers["Link"]
    assert turtle.headers["content-type"].startswith("text/turtle") and iri.encode() in turtle.content
