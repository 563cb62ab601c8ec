"""A named query's page: a form of its parameters, the results as an HTML table, and downloads.

Routes: ``GET /queries`` (every named query), ``GET /queries/{name}`` (the page; parameters as query parameters), ``GET /queries/{name}.{csv,tsv,json,xlsx}``
(the results as a file; ``bom=1`` puts a UTF-8 byte-order mark before CSV so that Excel reads Chinese text right).

Parameters are bound as RDF terms by :func:`budgetkg.queries.bind` as in the API; a missing required
parameter or a malformed value is shown on the page above the form, not as an error page.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from budgetkg.queries import bind
from budgetkg.spreadsheet import MEDIA_TYPE as XLSX_MEDIA
from budgetkg.spreadsheet import cell_value, workbook

from .. import analyze
from .. import html as h
from ..common import svc
from ..errors import ServiceError
from ..formats import FORMATS

router = APIRouter()
DOWNLOADS = ("csv", "tsv", "json", "xlsx")
BOM = "\ufeff"
INPUT_TYPES = {"integer": "number", "decimal": "text", "gYear": "number", "date": "date", "iri": "url", "string": "text"}
PAGE_ROWS = 1000  # rows shown on the page; the downloads carry every row up to the service's cap
OPTIONS = {"bom"}  # request parameters of this page that are not query parameters


def _split(name: str) -> tuple[str, str | None]:
    stem, dot, ext = name.rpartition(".")
    return (stem, ext) if dot and ext in DOWNLOADS else (name, None)


def _query(s, name: str):
    """:raises ServiceError: 404 for an unknown named query."""
    q = s.named_queries().get(name)
    if q is None:
        raise ServiceError(404, f"no named query {name!r}; see /api/queries")
    return q


async def _run(s, q, params: dict[str, str], ext: str):
    """:raises ServiceError: 400 for a missing or malformed parameter."""
    try:
        subs = {v.value: t for v, t in bind(q, params).items()}
    except ValueError as exc:
        raise ServiceError(400, str(exc)) from None
    return await s.backend.query(q.text, ext, info=analyze.inspect(q.text), subs=subs)


def _params(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if k not in OPTIONS and v != ""}


def _cell(b: dict | None, base: str) -> str:
    """A result term for reading: an IRI as a link, a literal as its text (no datatype or language tag)."""
    if b is None:
        return ""
    if b["type"] == "uri":
        return f"<a href='{h.esc(h.href(b['value'], base))}'>{h.esc(h.short(b['value']))}</a>"
    return h.esc(b["value"])


def _form(q, params: dict[str, str]) -> str:
    fields = []
    for p in q.params:
        if p.required:
            need = "required · 必填"
        elif p.default is not None:
            need = f"optional · 可选, default · 默认 <code>{h.esc(p.default)}</code>"
        else:
            need = "optional · 可选 (empty: all · 留空为全部)"
        fields.append(f"<p><label><code>{h.esc(p.name)}</code> <span class='dt'>[{h.esc(p.type)}] {need}</span><br>"
                      f"<input name='{h.esc(p.name)}' type='{INPUT_TYPES.get(p.type, 'text')}' value='{h.esc(params.get(p.name, p.default or ''))}'"
                      f"{' required' if p.required else ''} size='60'></label><br><span class='dt'>{h.esc(p.description)}</span></p>")
    return (f"<form method='get' action='/queries/{h.esc(q.name)}'>{''.join(fields)}"
            "<button type='submit'>Run · 运行</button></form>")


async def page(request: Request, name: str) -> Response:
    s = svc(request)
    q = _query(s, name)
    params = _params(request)
    parts = [f"<p>{h.esc(q.description)}</p>", _form(q, params)]
    missing = [p.name for p in q.params if p.required and p.name not in params]
    if not missing:
        try:
            result = await _run(s, q, params, "json")
        except ServiceError as exc:
            if exc.status != 400:
                raise
            parts.insert(1, f"<p class='note'>{h.esc(exc.detail)}</p>")
        else:
            data = json.loads(result.body)
            names = data["head"]["vars"]
            rows = data["results"]["bindings"]
            base = s.data.base_iri
            body = [[_cell(r.get(n), base) for n in names] for r in rows[:PAGE_ROWS]]
            numeric = {i for i, n in enumerate(names) if rows and all(
                r.get(n, {}).get("datatype", "").endswith(("#decimal", "#integer")) for r in rows if n in r)}
            more = f"<p class='note'>Showing {PAGE_ROWS} of {len(rows)} rows; the downloads carry them all.</p>" if len(rows) > PAGE_ROWS else ""
            query = urlencode(params)
            links = " · ".join(f"<a href='/queries/{quote(q.name)}.{e}?{h.esc(query)}'>{e.upper()}</a>" for e in DOWNLOADS)
            sep = "&amp;" if query else ""
            links += f" · <a href='/queries/{quote(q.name)}.csv?{h.esc(query)}{sep}bom=1'>CSV for Excel (UTF-8 BOM)</a>"
            parts.append(f"<h2>Results · 结果 ({len(rows)})</h2><p class='downloads'>Download · 下载: {links}</p>"
                         + more + h.table([h.esc(n) for n in names], body, numeric))
    else:
        parts.insert(1, f"<p class='note'>Give {', '.join(missing)} to run it. 请填写必填参数。</p>")
    parts.append(f"<p><a href='/sparql?example={quote(q.name)}'>Edit as SPARQL · 在编辑器中打开</a> · "
                 f"<a href='/api/queries/{quote(q.name)}.json'>API</a></p>")
    return HTMLResponse(h.page(q.title or q.name, "".join(parts)))


async def download(request: Request, name: str, ext: str) -> Response:
    s = svc(request)
    q = _query(s, name)
    params = _params(request)
    filename = q.name.replace("/", "_") + "." + ext
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if ext == "xlsx":
        data = json.loads((await _run(s, q, params, "json")).body)
        names = data["head"]["vars"]
        rows = [[cell_value(r[n]["value"], r[n].get("datatype")) if n in r else None for n in names]
                for r in data["results"]["bindings"]]
        return Response(workbook(names, rows, title=filename[:-5]), media_type=XLSX_MEDIA, headers=disposition)
    result = await _run(s, q, params, ext)
    body = result.body
    if ext == "csv" and request.query_params.get("bom") == "1":
        body = BOM.encode() + (body if isinstance(body, bytes) else body.encode())
    return Response(body, media_type=FORMATS[result.ext].content_type, headers=disposition)


async def route(request: Request):
    name, ext = _split(request.path_params["name"])
    if ext:
        return await download(request, name, ext)
    return await page(request, name)


@router.get("/queries", include_in_schema=False)
async def index(request: Request):
    """Every named query with a link to its page."""
    rows = [[f"<a href='/queries/{quote(q.name)}'>{h.esc(q.name)}</a>", h.esc(q.title),
             h.esc(", ".join(f"{p.name} [{p.type}]" + (" (required)" if p.required else "") for p in q.params))]
            for q in svc(request).named_queries().values()]
    return HTMLResponse(h.page("Named queries · 命名查询", h.table(["Query · 查询", "Title · 标题", "Parameters · 参数"], rows)))


router.add_route("/queries/{name:path}", route, methods=["GET"])
