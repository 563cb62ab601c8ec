"""Metadata for portals: a DCAT-AP 3 catalog at ``/catalog`` and VoID at ``/.well-known/void``.

The catalog has a ``dcat:Dataset`` per disclosure (its named graph: publisher,
temporal and spatial coverage, themes, keywords, issued/modified, a Turtle
distribution), a ``dcat:Dataset`` for the whole graph whose distributions are
the dumps (downloadURL, mediaType, byteSize, ``spdx:checksum``), and a
``dcat:DataService`` for the SPARQL endpoint. It is written to pass the
DCAT-AP 3.0.1 SHACL shapes. VoID statistics are computed once per build
(the store is read-only) and kept until the next rebuild.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from budgetkg import names

from . import html as h
from .backend import PREFIXES
from .common import choose, public_url, svc
from .errors import ServiceError
from .dumps import dump_files
from .formats import FORMATS, serialize_triples
from .views import catalog as catalog_view

router = APIRouter()
N, L = ox.NamedNode, ox.Literal
RDF_TYPE = N(names.RDF_TYPE)
DCAT, DCT, FOAF = names.DCAT, names.DCT, names.FOAF
SKOS, SPDX, VOID = names.SKOS, names.SPDX, names.VOID
XSD = names.XSD
EU = names.EU_AUTHORITY
IANA = names.IANA_MEDIA_TYPES
FILE_TYPES = {"nq": "NQUADS", "nt": "RDF_N_TRIPLES", "ttl": "RDF_TURTLE", "trig": "RDF_TRIG", "jsonld": "JSON_LD", "rdf": "RDF_XML"}
THEMES = {"GOVE": ("Government and public sector", "政府与公共部门"), "ECON": ("Economy and finance", "经济与金融")}
PREFIXES_CAT = dict(PREFIXES, spdx=SPDX, vcard=names.VCARD)
CANDIDATES = ["ttl", "html", "jsonld", "rdf", "nt"]
P = names.sparql_prefixes("bkg", "skos", "dct", "rdfs")
Q_DOCS = P + """SELECT ?g ?doc ?title ?org ?orgLabel ?year ?phase ?jur ?jurLabel WHERE { GRAPH ?g {
  ?doc a bkg:Disclosure ; bkg:fiscalYear ?year ; bkg:budgetPhase ?phase .
  OPTIONAL { ?doc dct:title ?title }
  OPTIONAL { ?doc bkg:organization ?org OPTIONAL { ?org skos:prefLabel ?orgLabel }
             OPTIONAL { ?org bkg:jurisdiction ?jur OPTIONAL { ?jur skos:prefLabel|rdfs:label ?jurLabel } } } } }"""
# The DQV measurements the build publishes with each document (budgetkg.etl.quality), in its
# validation graph: carried into the catalog beside each data set (issue 14).
Q_QUALITY = names.sparql_prefixes("dqv") + """SELECT ?ds ?m ?p ?o WHERE { GRAPH ?q { ?ds dqv:hasQualityMeasurement ?m . ?m ?p ?o } } ORDER BY ?ds ?m ?p ?o"""
VOID_COUNTS = {
    "entities": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }",
    "distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
    "distinctObjects": "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
    "classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }",
}
Q_CLASSES = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
Q_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"
Q_EXAMPLES = P + """SELECT ?x WHERE { { SELECT ?x WHERE { ?x a bkg:BudgetDataSet } LIMIT 1 } UNION
  { SELECT ?x WHERE { ?x a bkg:Department } LIMIT 1 } UNION { SELECT ?x WHERE { ?x a bkg:BudgetObservation } LIMIT 1 } }"""


class _G:
    """A small triple collector."""

    def __init__(self):
        self.triples: list[ox.Triple] = []

    def add(self, s, p: str, o) -> None:
        self.triples.append(ox.Triple(s, N(p), o))

    def typed(self, s, cls: str) -> None:
        self.triples.append(ox.Triple(s, RDF_TYPE, N(cls)))


def _dt(d: datetime) -> ox.Literal:
    return L(d.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"), datatype=N(XSD + "dateTime"))


async def _docs(s) -> list[dict]:
    cache = s.cache
    if cache.catalog_docs is None:
        cache.catalog_docs = await s.backend.rows(Q_DOCS, timeout=max(s.settings.timeout, 60))
    return cache.catalog_docs


def _agent(g: _G, node, name: str, lang: str | None = None) -> None:
    g.typed(node, FOAF + "Agent")
    g.typed(node, FOAF + "Organization")
    g.add(node, FOAF + "name", L(name, language=lang) if lang else L(name))


def _media(g: _G, node, ext: str) -> None:
    fmt = FORMATS[ext]
    mt = N(IANA + fmt.media_type)
    g.add(node, DCAT + "mediaType", mt)
    g.typed(mt, DCT + "MediaType")
    if ext in FILE_TYPES:
        ft = N(EU + "file-type/" + FILE_TYPES[ext])
        g.add(node, DCT + "format", ft)
        g.typed(ft, DCT + "MediaTypeOrExtent")


def _themes(g: _G, node) -> None:
    scheme = N(EU + "data-theme")
    g.typed(scheme, SKOS + "ConceptScheme")
    g.add(scheme, DCT + "title", L("Data theme", language="en"))
    for code, (en, zh) in THEMES.items():
        t = N(EU + "data-theme/" + code)
        g.add(node, DCAT + "theme", t)
        g.typed(t, SKOS + "Concept")
        g.add(t, SKOS + "prefLabel", L(en, language="en"))
        g.add(t, SKOS + "prefLabel", L(zh, language="zh"))
        g.add(t, SKOS + "inScheme", scheme)


def _term(b: dict):
    if b["type"] == "uri":
        return N(b["value"])
    return L(b["value"], datatype=N(b["datatype"])) if "datatype" in b else L(b["value"], language=b.get("xml:lang"))


async def _quality(s, g: _G, datasets: set) -> None:
    """Each data set's dqv:QualityMeasurement s, as published by the build."""
    cache = s.cache
    if cache.catalog_quality is None:
        cache.catalog_quality = await s.backend.rows(Q_QUALITY, timeout=max(s.settings.timeout, 60))
    linked = set()
    for r in cache.catalog_quality:
        ds, m = N(r["ds"]["value"]), N(r["m"]["value"])
        if ds in datasets:
            if (ds, m) not in linked:  # one link per measurement (the rows repeat it for each of its properties)
                linked.add((ds, m))
                g.add(ds, names.DQV + "hasQualityMeasurement", m)
            g.triples.append(ox.Triple(m, N(r["p"]["value"]), _term(r["o"])))


async def catalog_triples(request: Request) -> list[ox.Triple]:
    s = svc(request)
    pub = public_url(request)
    base = s.data.base_iri
    g = _G()
    modified = _dt(s.data.modified)
    cat, corpus, service = N(pub + "catalog"), N(pub + "catalog#budgetkg"), N(pub + "sparql")
    publisher = N(pub + "catalog#publisher")
    license_ = N(s.settings.license)
    g.typed(license_, DCT + "LicenseDocument")
    _agent(g, publisher, "budgetkg")
    g.typed(cat, DCAT + "Catalog")
    g.add(cat, DCT + "title", L("budgetkg catalog", language="en"))
    g.add(cat, DCT + "title", L("预算公开知识图谱数据目录", language="zh"))
    g.add(cat, DCT + "description", L("Chinese department budget and final-accounts disclosures as linked data (RDF Data Cube).", language="en"))
    g.add(cat, DCT + "description", L("部门预算、决算公开表格的关联数据（RDF Data Cube）。", language="zh"))
    g.add(cat, DCT + "publisher", publisher)
    g.add(cat, DCT + "license", license_)
    g.add(cat, DCT + "modified", modified)
    g.add(cat, FOAF + "homepage", N(pub))
    g.typed(N(pub), FOAF + "Document")
    for code in ("ZHO", "ENG"):
        lang = N(EU + "language/" + code)
        g.add(cat, DCT + "language", lang)
        g.typed(lang, DCT + "LinguisticSystem")
    g.add(cat, DCAT + "service", service)
    g.add(cat, DCAT + "dataset", corpus)
    # the whole graph, distributed as the dumps
    g.typed(corpus, DCAT + "Dataset")
    g.add(corpus, DCT + "title", L("budgetkg: all disclosures", language="en"))
    g.add(corpus, DCT + "description", L(f"All {len(s.data.documents)} disclosures of this build, one named graph each, with the ontology and code lists.", language="en"))
    g.add(corpus, DCT + "publisher", publisher)
    g.add(corpus, DCT + "modified", modified)
    g.add(corpus, DCT + "issued", modified)
    g.add(corpus, DCAT + "keyword", L("预算公开", language="zh"))
    g.add(corpus, DCAT + "keyword", L("public budget", language="en"))
    _themes(g, corpus)
    for f in dump_files(s):
        dist = N(pub + "catalog#dump-" + f["name"])
        url = N(pub + "dumps/" + f["name"])
        g.add(corpus, DCAT + "distribution", dist)
        g.typed(dist, DCAT + "Distribution")
        g.add(dist, DCT + "title", L(f["name"]))
        g.add(dist, DCAT + "accessURL", url)
        g.add(dist, DCAT + "downloadURL", url)
        _media(g, dist, f["name"].rsplit(".", 1)[-1])
        g.add(dist, DCAT + "byteSize", L(str(f["bytes"]), datatype=N(XSD + "nonNegativeInteger")))
        g.add(dist, DCT + "license", license_)
        g.add(dist, DCT + "modified", _dt(datetime.fromtimestamp(f["mtime"], timezone.utc)))
        ck = ox.BlankNode(f"checksum{len(g.triples)}")  # named by position: the same catalog, the same bytes (and ETag)
        g.add(dist, SPDX + "checksum", ck)
        g.typed(ck, SPDX + "Checksum")
        g.add(ck, SPDX + "algorithm", N(SPDX + "checksumAlgorithm_sha256"))
        g.typed(N(SPDX + "checksumAlgorithm_sha256"), SPDX + "ChecksumAlgorithm")
        g.add(ck, SPDX + "checksumValue", L(f["sha256"], datatype=N(XSD + "hexBinary")))
    # one data set per disclosure: its named graph
    for r in await _docs(s):
        ds = N(r["g"]["value"])
        year = r["year"]["value"]
        phase = r["phase"]["value"].rsplit("/", 1)[-1]
        org_name = r["orgLabel"]["value"] if "orgLabel" in r else ""
        title = r["title"]["value"] if "title" in r else f"{org_name} {year} {phase}"
        g.add(cat, DCAT + "dataset", ds)
        g.add(service, DCAT + "servesDataset", ds)
        g.typed(ds, DCAT + "Dataset")
        g.add(ds, DCT + "title", L(title, language="zh"))
        kind_zh = "部门决算" if phase == "final-accounts" else "部门预算"
        g.add(ds, DCT + "description", L(f"{org_name}{year}年{kind_zh}公开表格，每张表为一个数据立方体数据集。", language="zh"))
        g.add(ds, DCT + "description", L(f"The {year} {phase.replace('-', ' ')} disclosure of {org_name or 'a department'}: every printed table as an RDF Data Cube data set.", language="en"))
        g.add(ds, DCT + "issued", modified)
        g.add(ds, DCT + "modified", modified)
        g.add(ds, DCAT + "keyword", L(kind_zh, language="zh"))
        g.add(ds, DCAT + "keyword", L(year))
        if org_name:
            g.add(ds, DCAT + "keyword", L(org_name, language="zh"))
        _themes(g, ds)
        if "org" in r:
            org = N(r["org"]["value"])
            g.add(ds, DCT + "publisher", org)
            _agent(g, org, org_name or r["org"]["value"], "zh" if org_name else None)
        if "jur" in r:
            loc = N(r["jur"]["value"])
            g.add(ds, DCT + "spatial", loc)
            g.typed(loc, DCT + "Location")
        period = ox.BlankNode(f"period{len(g.triples)}")
        g.add(ds, DCT + "temporal", period)
        g.typed(period, DCT + "PeriodOfTime")
        g.add(period, DCAT + "startDate", L(f"{year}-01-01", datatype=N(XSD + "date")))
        g.add(period, DCAT + "endDate", L(f"{year}-12-31", datatype=N(XSD + "date")))
        page = pub + h.href(ds.value, base).lstrip("/")
        g.add(ds, DCAT + "landingPage", N(page))
        g.typed(N(page), FOAF + "Document")
        dist = N(ds.value + "#trig")
        g.add(ds, DCAT + "distribution", dist)
        g.typed(dist, DCAT + "Distribution")
        g.add(dist, DCAT + "accessURL", N(page + ".trig"))
        g.add(dist, DCAT + "downloadURL", N(page + ".trig"))
        g.add(dist, DCAT + "accessService", service)
        g.add(dist, DCT + "license", license_)
        _media(g, dist, "trig")
    await _quality(s, g, {N(r["g"]["value"]) for r in await _docs(s)})
    # the SPARQL endpoint
    g.typed(service, DCAT + "DataService")
    g.add(service, DCT + "title", L("budgetkg SPARQL endpoint", language="en"))
    g.add(service, DCT + "description", L(f"SPARQL 1.1 Protocol, read-only; queries stop after {s.settings.timeout:g} s.", language="en"))
    g.add(service, DCAT + "endpointURL", service)
    g.typed(service, names.RDFS + "Resource")  # the DCAT-AP range shapes ask for it (no inference)
    g.add(service, DCAT + "endpointDescription", service)
    g.add(service, DCAT + "servesDataset", corpus)
    g.add(service, DCT + "publisher", publisher)
    g.add(service, DCT + "license", license_)
    std = N("https://www.w3.org/TR/sparql11-protocol/")
    g.add(service, DCT + "conformsTo", std)
    g.typed(std, DCT + "Standard")
    return g.triples


async def void_triples(request: Request) -> list[ox.Triple]:
    s = svc(request)
    pub = public_url(request)
    stats = await void_stats(s)
    g = _G()
    ds = N(pub + ".well-known/void#budgetkg")
    xint = N(XSD + "integer")
    manifest = s.data.manifest
    g.typed(ds, VOID + "Dataset")
    g.add(ds, DCT + "title", L("budgetkg", language="en"))
    g.add(ds, DCT + "description", L("Chinese public budget disclosures as RDF Data Cube.", language="en"))
    g.add(ds, DCT + "modified", _dt(s.data.modified))
    g.add(ds, VOID + "triples", L(str(int(manifest.get("triples", 0)) + int(manifest.get("vocabulary_triples", 0))), datatype=xint))
    for key, value in stats["counts"].items():
        g.add(ds, VOID + key, L(str(value), datatype=xint))
    g.add(ds, VOID + "uriSpace", L(s.data.base_iri + "id/"))
    g.add(ds, VOID + "sparqlEndpoint", N(pub + "sparql"))
    g.add(ds, VOID + "rootResource", N(pub))
    for f in dump_files(s):
        g.add(ds, VOID + "dataDump", N(pub + "dumps/" + f["name"]))
    for x in stats["examples"]:
        g.add(ds, VOID + "exampleResource", N(x))
    for ns in sorted(stats["vocabularies"]):
        g.add(ds, VOID + "vocabulary", N(ns))
    for i, (cls, n) in enumerate(stats["classes"]):
        part = N(f"{pub}.well-known/void#class-{i}")
        g.add(ds, VOID + "classPartition", part)
        g.add(part, VOID + "class", N(cls))
        g.add(part, VOID + "entities", L(str(n), datatype=xint))
    for i, (prop, n) in enumerate(stats["properties"]):
        part = N(f"{pub}.well-known/void#property-{i}")
        g.add(ds, VOID + "propertyPartition", part)
        g.add(part, VOID + "property", N(prop))
        g.add(part, VOID + "triples", L(str(n), datatype=xint))
    return g.triples


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1]


async def void_stats(s) -> dict:
    """Counts, partitions and examples of the current build, computed once per build."""
    cache = s.cache
    async with cache.void_lock:
        if cache.void is None:
            timeout = max(s.settings.timeout, 300)
            counts = {}
            for key, q in VOID_COUNTS.items():
                rows = await s.backend.rows(q, timeout=timeout)
                counts[key] = int(rows[0]["n"]["value"]) if rows else 0
            classes = [(r["c"]["value"], int(r["n"]["value"])) for r in await s.backend.rows(Q_CLASSES, timeout=timeout) if r["c"]["type"] == "uri"]
            props = [(r["p"]["value"], int(r["n"]["value"])) for r in await s.backend.rows(Q_PROPERTIES, timeout=timeout)]
            examples = [r["x"]["value"] for r in await s.backend.rows(Q_EXAMPLES, timeout=timeout)]
            vocabularies = {_namespace(c) for c, _ in classes} | {_namespace(p) for p, _ in props}
            cache.void = {"counts": counts, "classes": classes, "properties": props, "examples": examples,
                          "vocabularies": vocabularies}
    return cache.void


def _forced(request: Request) -> str | None:
    f = request.query_params.get("format")
    return f if f in CANDIDATES else None


@router.api_route("/catalog", methods=["GET", "HEAD"])
@router.api_route("/catalog.{suffix}", methods=["GET", "HEAD"], include_in_schema=False)
async def catalog(request: Request, suffix: str | None = None):
    return await _dispatch(request, suffix, catalog_triples, "DCAT-AP catalog · 数据目录")


@router.api_route("/.well-known/void", methods=["GET", "HEAD"])
@router.api_route("/.well-known/void.{suffix}", methods=["GET", "HEAD"], include_in_schema=False)
async def void(request: Request, suffix: str | None = None):
    return await _dispatch(request, suffix, void_triples, "VoID description")


async def _dispatch(request: Request, suffix, fn, title):
    if suffix is not None and suffix not in CANDIDATES:
        raise ServiceError(404, f"no format .{suffix}; try {', '.join('.' + c for c in CANDIDATES)}")
    ext = suffix or _forced(request) or choose(request, CANDIDATES)
    triples = await fn(request)
    if ext == "html" and fn is catalog_triples:  # the catalog as a page for people (service/views/catalog.py)
        alts = [(f"/catalog.{e}", FORMATS[e].content_type, FORMATS[e].label) for e in CANDIDATES if e != "html"]
        body = await catalog_view.view(svc(request), triples)
        return HTMLResponse(h.page(title, body, alternates=alts), headers={"Vary": "Accept"})
    if ext == "html":
        ttl = await asyncio.to_thread(serialize_triples, triples, "ttl", PREFIXES_CAT)
        links = " · ".join(f"<a href='?format={e}'>{FORMATS[e].label}</a>" for e in CANDIDATES if e != "html")
        return HTMLResponse(h.page(title, f"<p>Also as: {links}</p><pre>{h.esc(ttl.decode())}</pre>"), headers={"Vary": "Accept"})
    body = await asyncio.to_thread(_jsonld if ext == "jsonld" else serialize_triples, triples, ext, PREFIXES_CAT)
    return Response(body, media_type=FORMATS[ext].content_type, headers={"Vary": "Accept"})


def _jsonld(triples, ext: str, prefixes: dict[str, str]) -> bytes:
    """Compacted JSON-LD with an ``@context`` of the prefixes, as harvesters of DCAT-AP expect.

    pyoxigraph writes expanded JSON-LD only (no context); rdflib compacts.
    """
    import rdflib

    g = rdflib.Graph()
    g.parse(data=serialize_triples(triples, "nt"), format="nt")
    return g.serialize(format="json-ld", context=dict(sorted(prefixes.items())), auto_compact=True).encode("utf-8")
