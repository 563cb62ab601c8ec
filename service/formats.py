"""The one format registry: file suffix -> media type, kind and serializer.

API: :data:`FORMATS` ``{ext: Format}``; :func:`negotiate` ``(accept, candidates) -> ext | None``;
:func:`split_suffix` ``(path, candidates) -> (path, ext | None)``; :data:`RESULTS`, :data:`GRAPH`,
:data:`DATASET` (candidate lists, server preference first); :func:`finish_results`,
:func:`finish_graph` (cap and convert the raw TSV / N-Triples a query wrote).

The same entries serve suffixes (``/id/x.ttl``, ``/api/queries/q.csv``) and
``Accept`` negotiation (q-values, ``type/*`` and ``*/*``, most specific range wins).

>>> negotiate("application/sparql-results+json,*/*;q=0.9", RESULTS)
'json'
>>> negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ["ttl", "html"])
'html'
>>> negotiate("*/*", ["ttl", "html"]), negotiate(None, RESULTS), negotiate("image/png", RESULTS)
('ttl', 'json', None)
>>> negotiate("text/turtle;q=0.5, application/ld+json", GRAPH)
'jsonld'
>>> split_suffix("/id/a/b.ttl", GRAPH), split_suffix("/id/a/b.x", GRAPH)
(('/id/a/b', 'ttl'), ('/id/a/b.x', None))
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from budgetkg.names import W3_FORMATS as W3


@dataclass(frozen=True)
class Format:
    ext: str
    media_type: str
    kind: str  # "results" (SELECT/ASK), "graph" (CONSTRUCT/DESCRIBE, pages), "page" (HTML), "data" (other)
    serializer: object  # pyoxigraph QueryResultsFormat / RdfFormat, or None (rendered by the service)
    aliases: tuple[str, ...] = ()
    w3c: str | None = None  # the W3C formats IRI, for the service description
    label: str = ""

    @property
    def content_type(self) -> str:
        text = self.media_type.startswith("text/") or self.media_type.endswith(("+json", "+xml", "/json", "/xml", "/trig", "/n-triples", "/n-quads"))
        return f"{self.media_type}; charset=utf-8" if text else self.media_type


_R, _G = ox.QueryResultsFormat, ox.RdfFormat
FORMATS: dict[str, Format] = {f.ext: f for f in [
    Format("json", "application/sparql-results+json", "results", _R.JSON, ("application/json", "text/javascript", "application/javascript"), W3 + "SPARQL_Results_JSON", "SPARQL JSON"),
    Format("xml", "application/sparql-results+xml", "results", _R.XML, ("application/xml", "text/xml"), W3 + "SPARQL_Results_XML", "SPARQL XML"),
    Format("csv", "text/csv", "results", _R.CSV, (), W3 + "SPARQL_Results_CSV", "CSV"),
    Format("tsv", "text/tab-separated-values", "results", _R.TSV, (), W3 + "SPARQL_Results_TSV", "TSV"),
    Format("ttl", "text/turtle", "graph", _G.TURTLE, ("application/turtle", "application/x-turtle"), W3 + "Turtle", "Turtle"),
    Format("nt", "application/n-triples", "graph", _G.N_TRIPLES, ("text/plain",), W3 + "N-Triples", "N-Triples"),
    Format("rdf", "application/rdf+xml", "graph", _G.RDF_XML, ("application/xml", "text/xml"), W3 + "RDF_XML", "RDF/XML"),
    Format("jsonld", "application/ld+json", "graph", _G.JSON_LD, ("application/json",), W3 + "JSON-LD", "JSON-LD"),
    Format("nq", "application/n-quads", "graph", _G.N_QUADS, ("text/x-nquads",), W3 + "N-Quads", "N-Quads"),
    Format("trig", "application/trig", "graph", _G.TRIG, (), W3 + "TriG", "TriG"),
    Format("html", "text/html", "page", None, ("application/xhtml+xml",), None, "HTML"),
    Format("problem", "application/problem+json", "data", None, (), None, "problem"),
    Format("txt", "text/plain", "data", None, (), None, "text"),
]}

RESULTS = ["json", "xml", "csv", "tsv"]
GRAPH = ["ttl", "nt", "rdf", "jsonld", "nq", "trig"]
DATASET = GRAPH  # pages of named graphs; the same list, N-Quads/TriG keep the graph name


def _parse_accept(accept: str):
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        media = bits[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = media + "/*" if media != "*" else "*/*"
        q = 1.0
        for b in bits[1:]:
            if b[:2].lower() == "q=":
                try:
                    q = max(0.0, min(1.0, float(b[2:])))
                except ValueError:
                    q = 0.0
        yield media, q, i


def _match(media_range: str, media_type: str) -> int:
    """Specificity of a match (3 exact, 2 type/*, 1 */*), 0 for none."""
    if media_range == media_type:
        return 3
    if media_range == "*/*":
        return 1
    if media_range.endswith("/*") and media_type.split("/")[0] == media_range[:-2]:
        return 2
    return 0


def negotiate(accept: str | None, candidates: list[str]) -> str | None:
    """The candidate extension the client prefers; ties go to the earlier candidate.

    An absent or empty ``Accept`` accepts anything. ``None`` when nothing is acceptable (406).
    """
    if not accept or not accept.strip():
        return candidates[0] if candidates else None
    ranges = list(_parse_accept(accept))
    best, best_q = None, 0.0
    for ext in candidates:
        fmt = FORMATS[ext]
        q, spec = None, 0
        for media_range, rq, _ in ranges:
            for i, mt in enumerate((fmt.media_type,) + fmt.aliases):
                s = _match(media_range, mt)
                if i and s == 3:
                    s = 2.5  # an alias matches less specifically than the main type
                if s > spec:
                    spec, q = s, rq
        if q is not None and q > best_q:
            best, best_q = ext, q
    return best


def split_suffix(path: str, candidates: list[str]) -> tuple[str, str | None]:
    """``('/a/b', 'ttl')`` for ``'/a/b.ttl'`` when ``ttl`` is a candidate, else ``(path, None)``."""
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext and ext in candidates and stem and not stem.endswith("/"):
        return stem, ext
    return path, None


class _Capped(Exception):
    pass


class LineWriter:
    """A file-like sink that keeps what a serializer writes and stops it past ``max_lines`` lines."""

    def __init__(self, max_lines: int):
        self.max_lines = max_lines
        self.lines = 0
        self.chunks: list[bytes] = []

    def write(self, data) -> int:
        data = bytes(data)
        self.chunks.append(data)
        self.lines += data.count(b"\n")
        if self.lines > self.max_lines:
            raise _Capped()
        return len(data)

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return b"".join(self.chunks)


def capped(serialize, max_lines: int) -> tuple[bytes, bool]:
    """Run ``serialize(writer)``; the lines written (at most ``max_lines``) and whether some were cut."""
    writer = LineWriter(max_lines)
    try:
        serialize(writer)
    except _Capped:
        data = writer.value()
        cut = 0
        for _ in range(max_lines):
            cut = data.index(b"\n", cut) + 1
        return data[:cut], True
    return writer.value(), False


def finish_results(tsv: bytes, ext: str) -> bytes:
    """SPARQL TSV results re-serialized as ``ext`` (json, xml, csv, tsv)."""
    if ext == "tsv":
        return tsv
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return parsed.serialize(format=FORMATS[ext].serializer)


def finish_boolean(value: bool, ext: str) -> bytes:
    if ext in ("csv", "tsv"):
        return b"true\n" if value else b"false\n"
    parsed = ox.parse_query_results(b'{"head":{},"boolean":%s}' % (b"true" if value else b"false"), format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=FORMATS[ext].serializer)


def finish_graph(ntriples: bytes, ext: str, prefixes: dict[str, str] | None = None, graph: str | None = None) -> bytes:
    """N-Triples re-serialized as ``ext`` (ttl, nt, rdf, jsonld; nq and trig in ``graph``, else the default graph)."""
    if ext == "nt":
        return ntriples
    triples = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
    fmt = FORMATS[ext].serializer
    if fmt.supports_datasets:
        name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        triples = (ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
    kwargs = {"prefixes": prefixes} if prefixes and ext in ("ttl", "trig", "rdf", "jsonld") else {}
    return ox.serialize(triples, format=fmt, **kwargs)


def serialize_triples(triples, ext: str, prefixes: dict[str, str] | None = None) -> bytes:
    """pyoxigraph triples as ``ext`` (a graph format; N-Quads/TriG put them in the default graph)."""
    fmt = FORMATS[ext].serializer
    if fmt.supports_datasets:
        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    kwargs = {"prefixes": prefixes} if prefixes and ext in ("ttl", "trig", "rdf", "jsonld") else {}
    return ox.serialize(triples, format=fmt, **kwargs)
