"""The SPARQL 1.1 Protocol endpoint at ``/sparql``, its service description and query page.

- Query by GET (``?query=``), POST form (``application/x-www-form-urlencoded``) and POST
  ``application/sparql-query`` (the HTTP ``QUERY`` method too, like POST); relative IRIs
  resolve against the endpoint's URL; a POST without a query is a 400; ``default-graph-uri`` / ``named-graph-uri``; other
  parameters are ignored, except ``format`` / ``output`` naming a format of the registry
  that fits the query (what the query page's download links use).
- Updates (``update=``, ``application/sparql-update``, or an update text), ``SERVICE``
  and ``LOAD`` are refused with 403 before anything runs. FROM / FROM NAMED select
  graphs of the store; nothing is ever fetched.
- GET without a query: the SPARQL Service Description (Turtle, JSON-LD, ...), or for
  a browser an HTML page with an editor, the named queries as examples and results as a table.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl, quote

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from . import analyze
from budgetkg import names

from . import html as h
from .views import editor
from .common import choose, limit_headers, public_url, result_response, svc
from .errors import ServiceError
from .formats import FORMATS, GRAPH, RESULTS, serialize_triples

router = APIRouter()
SD, VOID = names.SD, names.VOID
HTML_ROWS = 1000
SD_CANDIDATES = ["ttl", "html", "jsonld", "nt", "rdf", "nq", "trig"]
# QUERY (draft-ietf-httpbis-safe-method-w-body) carries the query in the body like POST; Comunica uses it.
BODY_METHODS = ("POST", "QUERY")


async def _params(request: Request) -> tuple[list[tuple[str, str]], str | None]:
    """Protocol parameters (URL and form) and the query text of a sparql-query body (POST and QUERY)."""
    params = list(request.query_params.multi_items())
    if request.method not in BODY_METHODS:
        return params, None
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ServiceError(400, "the request body is not UTF-8") from None
    if ctype == "application/x-www-form-urlencoded":
        return params + parse_qsl(text, keep_blank_values=True), None
    if ctype == "application/sparql-query":
        return params, text
    if ctype == "application/sparql-update":
        raise ServiceError(403, "SPARQL Update is not allowed: this endpoint is read-only")
    raise ServiceError(415, f"unsupported content type {ctype or '(none)'}; use application/x-www-form-urlencoded or application/sparql-query")


async def sparql(request: Request):
    s = svc(request)
    params, body_query = await _params(request)
    names = [k for k, _ in params]
    if "update" in names:
        raise ServiceError(403, "SPARQL Update is not allowed: this endpoint is read-only")
    queries = [v for k, v in params if k == "query"] + ([body_query] if body_query is not None else [])
    if len(queries) > 1:
        raise ServiceError(400, "exactly one query is allowed per request")
    if not queries:
        if request.method in BODY_METHODS:  # a client that meant to send a query: say it did not arrive
            raise ServiceError(400, "no query in the request: send query=... as a form field or an application/sparql-query body")
        return await service_description(request, dict(params).get("example"))
    text = queries[0]
    if not text.strip():
        raise ServiceError(400, "the query is empty")
    _check_size(s.settings, text)
    info = analyze.inspect(text)
    if info.refused:
        raise ServiceError(403, f"refused: {info.refused}; nothing was run")
    _check_shape(s.settings, info)
    cands = {"results": RESULTS, "graph": GRAPH}[info.kind] if info.form else RESULTS + GRAPH
    forced = next((v for k, v in params if k in ("format", "output") and v in cands + ["html"]), None)
    ext = choose(request, cands + ["html"], forced)
    default_graphs = [v for k, v in params if k == "default-graph-uri"] or None
    named_graphs = [v for k, v in params if k == "named-graph-uri"] or None
    if (default_graphs or named_graphs) and named_graphs is None:
        named_graphs = []
    if named_graphs and default_graphs is None:
        default_graphs = []
    for iri in (default_graphs or []) + (named_graphs or []):
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise ServiceError(400, f"not an IRI: {iri!r} ({exc})") from None
    # Relative IRIs in the query resolve against the endpoint's own URL (SPARQL 1.1 Protocol, 2.1.4).
    kwargs = dict(info=info, default_graphs=default_graphs, named_graphs=named_graphs, base_iri=_endpoint_iri(request))
    if ext == "html":
        _check_example(s, text)
        raw_ext = "nt" if info.kind == "graph" and info.form else "json"
        result = await s.backend.query(text, raw_ext, limit=HTML_ROWS, **kwargs)
        page = query_page(request, text, await asyncio.to_thread(_result_html, s, result), params)
        return HTMLResponse(page, headers={"Vary": "Accept", **limit_headers(result, HTML_ROWS)})
    result = await s.backend.query(text, ext, **kwargs)
    return result_response(result, s.settings.result_limit, {"Vary": "Accept"})


def _check_size(settings, text: str) -> None:
    """:raises ServiceError: 400 for a query text longer than the limit (checked before it is even tokenized)."""
    size = len(text.encode("utf-8"))
    if size > settings.query_max_bytes:
        raise ServiceError(400, f"the query is {size} bytes long; this endpoint accepts at most {settings.query_max_bytes}; nothing was run")


def _check_shape(settings, info) -> None:
    """:raises ServiceError: 400 for nesting or operator chains the engine's parser cannot take (it would crash)."""
    if info.depth > settings.query_max_depth:
        raise ServiceError(400, f"the query nests brackets {info.depth} deep; this endpoint accepts at most "
                                f"{settings.query_max_depth} (deeper queries crash the SPARQL parser); nothing was run")
    if info.chain > settings.query_max_chain:
        raise ServiceError(400, f"the query chains {info.chain} operators (/ | ^ ! && || UNION) in one group; this endpoint "
                                f"accepts at most {settings.query_max_chain} (longer chains crash the SPARQL parser); nothing was run")


def _check_example(s, text: str) -> None:
    """A named query run from the query page as it is, without its required parameters, is refused naming them.

    :raises ServiceError: 400 naming the first missing parameter.
    """
    from budgetkg.queries import missing

    q = next((q for q in s.named_queries().values() if q.text.strip() == text.strip()), None)
    lacking = missing(q, ()) if q else []
    if lacking:
        p = lacking[0]
        raise ServiceError(400, f"this is the named query {q.name!r}, which needs the parameter {p.name!r} ({p.type}: "
                                f"{p.description}); replace ${p.name} by a value, or use /api/queries/{q.name}?{p.name}=VALUE")


def _endpoint_iri(request: Request) -> str | None:
    """This endpoint's URL as an IRI, or None when the Host header makes no valid IRI."""
    try:
        return ox.NamedNode(public_url(request) + "sparql").value
    except ValueError:
        return None


router.add_route("/sparql", sparql, methods=["GET", *BODY_METHODS])  # a plain Starlette route: no dependency solving per query


def _result_html(s, result) -> str:
    import json

    base = s.data.base_iri
    note = (f"<p class='note'>Only the first {result.rows} results are shown; download the full results below "
            f"(up to {s.settings.result_limit} rows).</p>") if result.truncated else ""
    if result.kind == "boolean":
        return f"<h2>Result</h2><p><b>{h.esc(json.loads(result.body)['boolean'])}</b></p>"
    if result.kind == "graph":
        rows = [[h.term(_binding(t.subject), base), h.term(_binding(t.predicate), base), h.term(_binding(t.object), base)]
                for t in ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES)]
        return f"<h2>Triples ({len(rows)})</h2>{note}" + h.table(["subject", "predicate", "object"], rows)
    data = json.loads(result.body)
    names = data["head"]["vars"]
    rows = [[h.term(b.get(n), base) for n in names] for b in data["results"]["bindings"]]
    return f"<h2>Results ({len(rows)})</h2>{note}" + h.table([h.esc(n) for n in names], rows)


def _binding(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    b = {"type": "literal", "value": t.value}
    if t.language:
        b["xml:lang"] = t.language
    else:
        b["datatype"] = t.datatype.value
    return b


def query_page(request: Request, text: str, results_html: str = "", params=()) -> str:
    s = svc(request)
    examples = s.named_queries()
    options = "".join(f"<option value='{h.esc(n)}'>{h.esc(q.title or n)}</option>" for n, q in examples.items())
    # A textarea, not a script: a script's text is not unescaped, so the editor got &lt; for <.
    scripts = "".join(f"<textarea hidden id='ex-{h.esc(n)}' data-title='{h.esc(q.title or n)}'>{h.esc(q.text)}</textarea>" for n, q in examples.items())
    links = ""
    if text and results_html:
        extra = "".join(f"&{quote(k)}={quote(v)}" for k, v in params if k in ("default-graph-uri", "named-graph-uri"))
        kind = analyze.inspect(text).kind
        links = "<p>Download: " + " · ".join(
            f"<a href='/sparql?query={quote(text)}{extra}&format={e}'>{FORMATS[e].label}</a>"
            for e in (RESULTS if kind == "results" else GRAPH)) + "</p>"
    example_links = "".join(f"<li><a href='/sparql?example={quote(n)}'>{h.esc(q.title or n)}</a>"
                            f"{' — ' + h.esc(q.description[:160]) if q.description else ''}</li>" for n, q in examples.items())
    body = f"""
<form method='get' action='/sparql'>
<p><label>Example: <select id='example'>
<option value=''>—</option>{options}</select></label></p>
<textarea id='q' name='query' rows='14' spellcheck='false'>{h.esc(text)}</textarea>
<p><button type='submit'>Run query</button> The default graph is the union of all graphs.
Time limit {s.settings.timeout:g} s; at most {s.settings.result_limit} rows (HTML shows {HTML_ROWS}).</p>
</form>{scripts}{editor.EDITOR}{links}{results_html}
<h2>Named queries · 命名查询</h2><ul>{example_links}</ul>
<p>Endpoint: <code>{h.esc(public_url(request))}sparql</code> (SPARQL 1.1 Protocol: GET, POST form, POST application/sparql-query).</p>"""
    return h.page("SPARQL query · 查询", body)


def _sd_triples(request: Request) -> list:
    s = svc(request)
    n, lit = ox.NamedNode, ox.Literal
    xsd_int = n(names.XSD + "integer")
    rdf_type = n(names.RDF_TYPE)
    endpoint = n(public_url(request) + "sparql")
    t = [ox.Triple(endpoint, rdf_type, n(SD + "Service")), ox.Triple(endpoint, n(SD + "endpoint"), endpoint),
         ox.Triple(endpoint, n(SD + "supportedLanguage"), n(SD + "SPARQL11Query")),
         ox.Triple(endpoint, n(SD + "feature"), n(SD + "UnionDefaultGraph")),
         ox.Triple(endpoint, n(SD + "defaultEntailmentRegime"), n(names.ENTAILMENT + "Simple")),
         ox.Triple(endpoint, n(names.DCT + "title"), lit("budgetkg SPARQL endpoint", language="en")),
         ox.Triple(endpoint, n(names.RDFS + "comment"), lit(
             f"Read-only. Queries stop after {s.settings.timeout:g} s; results are cut at {s.settings.result_limit} rows "
             f"(header X-Result-Truncated). SERVICE, LOAD and updates are refused.", language="en"))]
    for fmt in FORMATS.values():
        if fmt.w3c:
            t.append(ox.Triple(endpoint, n(SD + "resultFormat"), n(fmt.w3c)))
    ds, dg = ox.BlankNode("dataset"), ox.BlankNode("default")  # fixed labels: the same description, the same bytes (and ETag)
    manifest = s.data.manifest
    total = int(manifest.get("quads", 0)) + int(manifest.get("vocabulary_triples", 0))
    t += [ox.Triple(endpoint, n(SD + "defaultDataset"), ds), ox.Triple(ds, rdf_type, n(SD + "Dataset")),
          ox.Triple(ds, n(SD + "defaultGraph"), dg), ox.Triple(dg, rdf_type, n(SD + "Graph")),
          ox.Triple(dg, n(VOID + "triples"), lit(str(total), datatype=xsd_int))]
    graphs = [(d["graph"], d.get("triples", 0)) for d in s.data.documents]
    graphs.append((names.VOCAB_GRAPH, manifest.get("vocabulary_triples", 0)))
    for name, count in graphs:
        ng, g = ox.BlankNode(f"ng{len(t)}"), ox.BlankNode(f"g{len(t)}")
        t += [ox.Triple(ds, n(SD + "namedGraph"), ng), ox.Triple(ng, rdf_type, n(SD + "NamedGraph")),
              ox.Triple(ng, n(SD + "name"), n(name)), ox.Triple(ng, n(SD + "graph"), g),
              ox.Triple(g, rdf_type, n(SD + "Graph")), ox.Triple(g, n(VOID + "triples"), lit(str(count), datatype=xsd_int))]
    return t


async def service_description(request: Request, example: str | None = None):
    s = svc(request)
    ext = choose(request, SD_CANDIDATES)
    if ext == "html":
        q = s.named_queries().get(example or "")
        return HTMLResponse(query_page(request, q.text if q else ""), headers={"Vary": "Accept"})
    from .backend import PREFIXES

    body = await asyncio.to_thread(serialize_triples, _sd_triples(request), ext, PREFIXES)
    return Response(body, media_type=FORMATS[ext].content_type, headers={"Vary": "Accept"})
