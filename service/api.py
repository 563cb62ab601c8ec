"""The named-query API over the ``.rq`` files of ``sparql/``.

``GET /api/queries``: every query with title, description and parameters (JSON; HTML
for a browser). ``GET /api/queries/{name}?param=value``: its results as SPARQL JSON,
CSV, TSV or XML by ``Accept`` or suffix (``.json``, ``.csv``, ``.tsv``, ``.xml``).
Parameters are checked against their declared type and bound as RDF terms
(:func:`budgetkg.queries.bind`), never pasted into the query text.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, JSONResponse

from budgetkg.queries import bind

from . import analyze
from . import html as h
from .common import choose, public_url, result_response, svc
from .errors import ServiceError
from .formats import GRAPH, RESULTS, split_suffix

router = APIRouter()


def describe(request: Request, q) -> dict:
    url = f"{public_url(request)}api/queries/{quote(q.name)}"
    return {"name": q.name, "title": q.title, "description": q.description,
            "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default, "description": p.description} for p in q.params],
            "url": url, "csv": url + ".csv", "json": url + ".json"}


@router.api_route("/api/queries", methods=["GET", "HEAD"])
async def list_queries(request: Request):
    queries = svc(request).named_queries()
    if "text/html" in request.headers.get("accept", ""):
        rows = []
        for q in queries.values():
            params = "<br>".join(f"<code>{h.esc(p.name)}</code> [{h.esc(p.type)}]{' <b>required</b>' if p.required else ''} "
                                 f"{h.esc(p.description)}" for p in q.params)
            links = (f"<a href='/api/queries/{h.esc(q.name)}.json'>JSON</a> · <a href='/api/queries/{h.esc(q.name)}.csv'>CSV</a>"
                     f" · <a href='/sparql?example={quote(q.name)}'>edit</a>")
            rows.append([f"<b>{h.esc(q.name)}</b><br>{h.esc(q.title)}", h.esc(q.description), params, links])
        return HTMLResponse(h.page("Named queries · 命名查询", "<p>Add <code>?param=value</code> to bind a parameter.</p>"
                                   + h.table(["Query", "Description", "Parameters", "Results"], rows)), headers={"Vary": "Accept"})
    return JSONResponse({"queries": [describe(request, q) for q in queries.values()]}, headers={"Vary": "Accept"})


async def run_query(request: Request):
    s = svc(request)
    name = request.path_params["name"]
    queries = s.named_queries()
    stem, ext = split_suffix(name, RESULTS + GRAPH)
    q = queries.get(stem) or queries.get(name)
    if q is None:
        raise ServiceError(404, f"no named query {stem!r}; see /api/queries")
    if q is queries.get(name):
        ext = None
    info = analyze.inspect(q.text)
    cands = GRAPH if info.kind == "graph" else RESULTS
    if ext and ext not in cands:
        raise ServiceError(406, f"query {q.name!r} gives {'RDF' if info.kind == 'graph' else 'result rows'}, not .{ext}")
    ext = choose(request, cands, ext)
    params = {}
    for key, value in request.query_params.multi_items():
        if key in params:
            raise ServiceError(400, f"parameter {key!r} given twice")
        params[key] = value
    try:
        subs = {v.value: t for v, t in bind(q, params).items()}
    except ValueError as exc:
        raise ServiceError(400, str(exc)) from None
    result = await s.backend.query(q.text, ext, info=info, subs=subs)
    return result_response(result, s.settings.result_limit, {"Vary": "Accept"})


router.add_route("/api/queries/{name:path}", run_query, methods=["GET"])
