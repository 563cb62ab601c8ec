"""Linked data: every IRI the build mints, the ontology and the code lists, and the home page.

Routes: ``/`` (home), ``/id/{path}``, ``/graph/{path}`` (``<base>id/...``, ``<base>graph/...``),
``/def/budget`` and ``/def/budget/{term}`` (``https://budgetkg.org/def/budget#term``),
``/def/cl/{scheme}[/{code}]``, ``/def/graph``. HTML for browsers; Turtle, JSON-LD,
N-Triples, RDF/XML (and N-Quads/TriG for graphs) by ``Accept`` or by suffix
(``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, ``.nq``, ``.trig``, ``.html``), with
``Vary: Accept`` and ``Link: rel="alternate"``.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from budgetkg import names

from . import html as h
from . import views
from .common import alternates, choose, link_header, result_response, svc
from .errors import ServiceError
from .formats import GRAPH, split_suffix
from .views import home as home_view

router = APIRouter()
ONTOLOGY = names.ONTOLOGY
VOCAB_GRAPH = names.VOCAB_GRAPH
P = names.sparql_prefixes("bkg", "qb", "skos", "rdfs", "dct", "rdf")
CANDIDATES = ["ttl", "html", "jsonld", "nt", "rdf"]
GRAPH_CANDIDATES = ["trig", "html", "ttl", "nq", "jsonld", "nt", "rdf"]
TYPE = names.RDF_TYPE
GRAPH_LIMIT = 5_000_000

Q_OUT = "SELECT ?this ?p ?o WHERE { $this ?p ?o } LIMIT 5000"
Q_IN = "SELECT ?this ?s ?p WHERE { ?s ?p $this } LIMIT 201"
Q_DESCRIBE = "CONSTRUCT { $this ?p ?o . ?o ?bp ?bo } WHERE { $this ?p ?o OPTIONAL { ?o ?bp ?bo FILTER(isBlank(?o)) } }"
Q_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH $this { ?s ?p ?o } }"
Q_EXISTS = "SELECT ?this WHERE { { $this ?p ?o } UNION { ?s ?p $this } UNION { GRAPH $this { ?a ?b ?c } } } LIMIT 1"
# Row labels: the role of a column is compared after the UNION, where ?role is in scope (a FILTER inside
# each branch saw it unbound, and the 序号 / 科目编码 / 科目名称 columns came out empty).
Q_CELLS = P + """SELECT ?this ?row ?col ?value ?obs WHERE {
  { ?obs qb:dataSet $this ; bkg:lineItem ?item ; bkg:column ?column .
    { ?obs bkg:amount ?value } UNION { ?obs bkg:quantity ?value }
    ?item bkg:rowIndex ?row . ?column bkg:columnIndex ?col }
  UNION
  { $this bkg:hasColumn ?column ; bkg:hasLineItem ?item .
    ?column bkg:columnIndex ?col ; bkg:columnRole ?role . ?item bkg:rowIndex ?row .
    OPTIONAL { ?column bkg:side ?cs } OPTIONAL { ?item bkg:side ?is } FILTER(!BOUND(?cs) || ?cs = ?is)
    { ?item bkg:printedLabel ?value BIND("label" AS ?shows) } UNION { ?item bkg:printedCode ?value BIND("code" AS ?shows) }
    UNION { ?item bkg:rowNumber ?value BIND("seq" AS ?shows) }
    FILTER(?role = ?shows) }
} LIMIT 20000"""
Q_COLUMNS = P + "SELECT ?this ?col ?label ?path WHERE { $this bkg:hasColumn ?c . ?c bkg:columnIndex ?col . OPTIONAL { ?c rdfs:label ?label } OPTIONAL { ?c bkg:headerPath ?path } } ORDER BY ?col"
Q_SCHEME = P + "SELECT ?this ?c ?n ?l WHERE { ?c skos:inScheme $this . OPTIONAL { ?c skos:notation ?n } OPTIONAL { ?c skos:prefLabel ?l } } LIMIT 20000"
Q_GRAPH_SETS = P + "SELECT ?this ?ds ?title WHERE { GRAPH $this { ?ds a qb:DataSet . OPTIONAL { ?ds rdfs:label ?title } } } ORDER BY ?ds"
Q_GRAPH_DOCS = P + "SELECT ?this ?doc WHERE { GRAPH $this { ?doc a bkg:Disclosure } }"
# The findings the build published with a document (its validation graph, issue 14).
Q_GRAPH_FINDINGS = P + names.sparql_prefixes("sh") + """SELECT ?this ?severity ?shape ?en ?zh WHERE { BIND (IRI(CONCAT(STR($this), "/validation")) AS ?v)
  GRAPH ?v { ?r a sh:ValidationResult ; sh:resultSeverity ?severity ; sh:sourceShape ?shape .
    OPTIONAL { ?r sh:resultMessage ?en FILTER (lang(?en) = "en") } OPTIONAL { ?r sh:resultMessage ?zh FILTER (lang(?zh) = "zh") } } }
ORDER BY ?severity ?shape ?en"""
Q_TERMS = P + f"""SELECT ?t ?type ?l WHERE {{ ?t a ?type . FILTER(STRSTARTS(STR(?t), "{ONTOLOGY}#"))
  OPTIONAL {{ ?t rdfs:label|skos:prefLabel ?l }} }} ORDER BY ?t LIMIT 5000"""
Q_ONTOLOGY_RDF = f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ONTOLOGY}")) }}
  UNION {{ ?t ?q ?s FILTER(STRSTARTS(STR(?t), "{ONTOLOGY}") && isBlank(?s)) ?s ?p ?o }} }}"""
# The income total is the grand total (_T), or where a table prints none (final accounts print 本年收入合计
# beside 年初结转结余, no column adding both) the current year's total; MAX takes the grand total when both exist.
Q_HOME = P + f"PREFIX kind: <{names.TABLE_KIND}> PREFIX fund: <{names.CL}fund-source/>\n" + """SELECT ?g ?doc ?title ?org ?orgLabel ?year ?phase ?op (MAX(?amount) AS ?total) (MAX(?dec) AS ?decimals) (SAMPLE(?unit) AS ?unitLabel) WHERE {
  GRAPH ?g { ?doc a bkg:Disclosure ; bkg:fiscalYear ?year ; bkg:budgetPhase ?phase .
    OPTIONAL { ?doc dct:title ?title } OPTIONAL { ?doc bkg:organization ?org OPTIONAL { ?org skos:prefLabel ?orgLabel } }
    OPTIONAL { ?ds bkg:tableKind ?k FILTER(?k IN (kind:income, kind:expenditure))
      OPTIONAL { ?ds bkg:unitLabel ?unit }
      ?obs qb:dataSet ?ds ; bkg:amount ?amount ; bkg:operationCharacter ?op . OPTIONAL { ?obs bkg:decimals ?dec }
      FILTER NOT EXISTS { ?obs ?dim ?v FILTER(?dim IN (bkg:functionalClassification, bkg:economicClassification, bkg:fundSource,
        bkg:expenditureType, bkg:summaryItem) && !STRENDS(STR(?v), "/_T") && ?v != fund:current-year) } } }
} GROUP BY ?g ?doc ?title ?org ?orgLabel ?year ?phase ?op ORDER BY ?orgLabel ?year ?phase"""


def _labels_query(iris: list[str]) -> str:
    values = " ".join(str(ox.NamedNode(i)) for i in iris)
    return P + f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} ?x skos:prefLabel|rdfs:label|dct:title ?l }}"


async def labels_for(backend, iris) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    iris = sorted(set(iris))
    for i in range(0, len(iris), 400):
        for r in await backend.rows(_labels_query(iris[i:i + 400])):
            out[r["x"]["value"]].append((r["l"].get("xml:lang", ""), r["l"]["value"]))
    return out


async def _exists(backend, iri: str) -> bool:
    return bool(await backend.rows(Q_EXISTS, {"this": ox.NamedNode(iri)}))


async def resource(request: Request, iri: str, path: str, ext: str | None, *, graph: bool = False) -> Response:
    s = svc(request)
    cands = GRAPH_CANDIDATES if graph else CANDIDATES
    fmt = choose(request, cands, ext)
    this = {"this": ox.NamedNode(iri)}
    rdf_exts = [e for e in cands if e != "html"]
    if fmt != "html":
        q = Q_GRAPH if graph else (Q_ONTOLOGY_RDF if iri == ONTOLOGY else Q_DESCRIBE)
        limit = max(s.settings.result_limit, GRAPH_LIMIT) if graph else None  # a document's graph is bounded: send it whole
        result = await s.backend.query(q, fmt, subs=None if iri == ONTOLOGY else this, graph_name=iri if graph else None, limit=limit)
        if result.rows == 0 and not await _exists(s.backend, iri):
            raise ServiceError(404, f"nothing is known about <{iri}>")
        return result_response(result, limit or s.settings.result_limit,
                               {"Vary": "Accept", "Link": link_header(alternates(path, rdf_exts))})
    out = await s.backend.rows(Q_OUT, this)
    incoming = await s.backend.rows(Q_IN, this)
    sections: list[str] = []
    if graph:
        sections.append(await _graph_section(s, iri, this))
    if not out and not incoming and not await _exists(s.backend, iri):
        raise ServiceError(404, f"nothing is known about <{iri}>")
    iris = [iri] + [r["p"]["value"] for r in out] + [r["o"]["value"] for r in out if r["o"]["type"] == "uri"]
    iris += [r["s"]["value"] for r in incoming] + [r["p"]["value"] for r in incoming]
    labels = await labels_for(s.backend, iris[:2000])
    types = {r["o"]["value"] for r in out if r["p"]["value"] == TYPE}
    base = s.data.base_iri
    title = h.label_text(labels.get(iri, [])) or h.esc(h.short(iri))
    body = [f"<p class='iri'>{h.esc(iri)}</p>"]
    readable = await views.page_for(s, iri, graph=graph)  # the page for people (service/views), above the linked data
    if readable is not None:
        title = h.esc(readable.title)
        body.append(readable.body + "<h2>Linked data · 关联数据</h2>")
    if iri == ONTOLOGY:
        sections.append(await _ontology_section(s))
    if types & {names.QB + "DataSet", names.BKG + "BudgetDataSet"}:
        sections.append(await _dataset_section(s, this))
    if names.SKOS + "ConceptScheme" in types:
        sections.append(await _scheme_section(s, this))
    body.append(_properties(out, labels, base))
    body.extend(sections)
    if incoming:
        rows = [[h.term(r["s"], base, labels), h.term(r["p"], base, labels)] for r in incoming[:200]]
        more = "<p class='note'>More than 200 resources link here; query them at <a href='/sparql'>/sparql</a>.</p>" if len(incoming) > 200 else ""
        body.append("<h2>Linked from · 被引用</h2>" + h.table(["Resource", "Property"], rows) + more)
    alts = alternates(path, rdf_exts)
    text = h.page(_plain(title), "".join(body), alternates=alts)
    return HTMLResponse(text, headers={"Vary": "Accept", "Link": link_header(alts), "X-Cache": "miss"})


def _plain(label_html: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", label_html).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def _properties(out: list[dict], labels, base: str) -> str:
    if not out:
        return ""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for r in out:
        grouped[r["p"]["value"]].append(r["o"])
    rows = []
    for p in sorted(grouped, key=lambda x: (x != TYPE, h.short(x))):
        values = sorted(grouped[p], key=lambda o: (o["type"], o.get("xml:lang", ""), o["value"]))
        rows.append([h.term({"type": "uri", "value": p}, base, labels),
                     "<br>".join(h.term(o, base, labels) for o in values[:500])])
    return "<h2>Properties · 属性</h2>" + h.table(["Property", "Value"], rows)


async def _dataset_section(s, this) -> str:
    cols = await s.backend.rows(Q_COLUMNS, this)
    cells = await s.backend.rows(Q_CELLS, this)
    if not cells:
        return "<h2>Observations · 观测值</h2><p>This table is empty (printed as an empty table).</p>"
    base = s.data.base_iri
    heads = {int(c["col"]["value"]): (c.get("path") or c.get("label") or {"value": ""})["value"] for c in cols}
    grid: dict[int, dict[int, str]] = defaultdict(dict)
    amount_cols = set()
    for c in cells:
        row, col = int(c["row"]["value"]), int(c["col"]["value"])
        if "obs" in c:
            amount_cols.add(col)
            grid[row][col] = f"<a href='{h.esc(h.href(c['obs']['value'], base))}'>{h.esc(c['value']['value'])}</a>"
        else:
            grid[row].setdefault(col, h.esc(c["value"]["value"]))
    ncols = sorted(set(heads) | {col for r in grid.values() for col in r})
    head = [h.esc(heads.get(c, str(c))) for c in ncols]
    rows = [[grid[r].get(c, "") for c in ncols] for r in sorted(grid)]
    numeric = {i for i, c in enumerate(ncols) if c in amount_cols}
    n = sum(1 for c in cells if "obs" in c)
    return f"<h2>Observations · 观测值 ({n})</h2>" + h.table(head, rows, numeric)


async def _scheme_section(s, this) -> str:
    concepts: dict[str, dict] = {}
    for r in await s.backend.rows(Q_SCHEME, this):
        c = concepts.setdefault(r["c"]["value"], {"n": "", "l": []})
        if "n" in r:
            c["n"] = r["n"]["value"]
        if "l" in r:
            c["l"].append((r["l"].get("xml:lang", ""), r["l"]["value"]))
    base = s.data.base_iri
    rows = [[f"<a href='{h.esc(h.href(c, base))}'>{h.esc(v['n'] or h.short(c))}</a>", h.label_text(v["l"])]
            for c, v in sorted(concepts.items(), key=lambda kv: kv[1]["n"])]
    return f"<h2>Concepts · 概念 ({len(rows)})</h2>" + h.table(["Notation", "Label"], rows)


async def _graph_section(s, iri: str, this) -> str:
    base = s.data.base_iri
    docs = await s.backend.rows(Q_GRAPH_DOCS, this)
    sets = await s.backend.rows(Q_GRAPH_SETS, this)
    info = next((d for d in s.data.documents if d.get("graph") == iri), None)
    parts = ["<h2>Named graph · 命名图</h2>"]
    if info:
        parts.append(f"<p>{h.esc(info.get('department', ''))} {h.esc(info.get('year', ''))} {h.esc(info.get('phase', ''))}: "
                     f"{info.get('tables', 0)} tables, {info.get('observations', 0)} observations, {info.get('triples', 0)} triples.</p>")
    for d in docs:
        parts.append(f"<p>Source document: {h.term(d['doc'], base)}</p>")
    items = "".join(f"<li>{h.term(r['ds'], base)} {h.esc(r['title']['value']) if 'title' in r else ''}</li>" for r in sets)
    parts.append(f"<h2>Data sets · 数据集 ({len(sets)})</h2><ul>{items}</ul>")
    findings = await s.backend.rows(Q_GRAPH_FINDINGS, this)
    rows = [[h.esc(f["severity"]["value"].rsplit("#", 1)[-1]), h.esc(f["shape"]["value"].rsplit("#", 1)[-1]),
             h.esc(f["en"]["value"] if "en" in f else ""), h.esc(f["zh"]["value"] if "zh" in f else "")] for f in findings]
    parts.append(f"<h2>Findings · 审核发现 ({len(rows)})</h2>"
                 + (h.table(["Severity", "Check", "Finding", "说明"], rows) if rows else "<p>None · 无</p>"))
    return "".join(parts)


async def _ontology_section(s) -> str:
    terms: dict[str, dict] = {}
    for r in await s.backend.rows(Q_TERMS):
        t = terms.setdefault(r["t"]["value"], {"types": set(), "l": []})
        t["types"].add(h.short(r["type"]["value"]))
        if "l" in r:
            t["l"].append((r["l"].get("xml:lang", ""), r["l"]["value"]))
    rows = []
    for iri, t in sorted(terms.items(), key=lambda kv: (sorted(kv[1]["types"]), kv[0])):
        local = iri.split("#", 1)[1]
        rows.append([f"<a id='{h.esc(local)}' href='/def/budget/{h.esc(local)}'>bkg:{h.esc(local)}</a>",
                     h.esc(", ".join(sorted(t["types"]))), h.label_text(t["l"])])
    return f"<h2>Terms · 术语 ({len(rows)})</h2>" + h.table(["Term", "Type", "Label"], rows)


def _target(request: Request, prefix: str) -> tuple[str, str | None, str]:
    """(IRI path after ``prefix``, suffix, page path) from the raw request path (percent-escapes kept)."""
    raw = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1").split("?", 1)[0]
    path, ext = split_suffix(raw, GRAPH + ["html"])
    return path[len(prefix):], ext, path


async def instance(request: Request):
    tail, ext, path = _target(request, "/id/")
    return await resource(request, svc(request).data.base_iri + "id/" + tail, path, ext)


async def named_graph(request: Request):
    tail, ext, path = _target(request, "/graph/")
    return await resource(request, svc(request).data.base_iri + "graph/" + tail, path, ext, graph=True)


router.add_route("/id/{rest:path}", instance, methods=["GET"])
router.add_route("/graph/{rest:path}", named_graph, methods=["GET"])


@router.api_route("/def/graph", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/def/graph.{suffix}", methods=["GET", "HEAD"], include_in_schema=False)
async def vocabulary_graph(request: Request):
    _, ext, path = _target(request, "/def/graph")
    return await resource(request, VOCAB_GRAPH, path, ext, graph=True)


@router.api_route("/def/budget", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/def/budget.{suffix}", methods=["GET", "HEAD"], include_in_schema=False)
async def ontology(request: Request):
    _, ext, path = _target(request, "/def/budget")
    return await resource(request, ONTOLOGY, path, ext)


@router.api_route("/def/budget/{term}", methods=["GET", "HEAD"], include_in_schema=False)
async def ontology_term(request: Request, term: str):
    tail, ext, path = _target(request, "/def/budget/")
    return await resource(request, f"{ONTOLOGY}#{tail}", path, ext)


@router.api_route("/def/cl/{rest:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def code_list(request: Request, rest: str):
    tail, ext, path = _target(request, "/def/cl/")
    return await resource(request, names.CL + tail, path, ext)


async def home_rows(s) -> list[dict]:
    cache = s.cache
    if cache.home is None:
        cache.home = await s.backend.rows(Q_HOME, timeout=max(s.settings.timeout, 60))
    return cache.home


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
async def home(request: Request):
    """The home page (:mod:`.views.home`); ``?q=`` searches department names."""
    s = svc(request)
    rows = [{k: b["value"] for k, b in r.items()} for r in await home_rows(s)]
    body = await home_view.view(s, rows, request.query_params.get("q", ""))
    return HTMLResponse(h.page("budgetkg · 预算公开知识图谱", body))
