"""RDF terms used by the mapping, as pyoxigraph nodes built once.

API: :class:`NS` (namespace that mints :class:`pyoxigraph.NamedNode` by attribute),
the namespaces :data:`BKG`, :data:`QB`, :data:`SKOS`, ..., :func:`lit`, :func:`decimal`,
:func:`integer`, :func:`emit_location`, :func:`emit_organization`, :data:`PREFIXES`.

pyoxigraph terms are built here rather than rdflib ones: they cost a fraction
of rdflib's to create and serialize, and the dumps are written by pyoxigraph.
"""

from __future__ import annotations

import pyoxigraph as ox


class NS:
    def __init__(self, base: str):
        self.base = base
        self._cache: dict[str, ox.NamedNode] = {}

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> ox.NamedNode:
        node = self._cache.get(name)
        if node is None:
            node = self._cache[name] = ox.NamedNode(self.base + name)
        return node


BKG_IRI = "https://budgetkg.org/def/budget#"
BKG = NS(BKG_IRI)
CL = NS("https://budgetkg.org/def/cl/")
QB = NS("http://purl.org/linked-data/cube#")
SKOS = NS("http://www.w3.org/2004/02/skos/core#")
RDF = NS("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = NS("http://www.w3.org/2000/01/rdf-schema#")
XSD = NS("http://www.w3.org/2001/XMLSchema#")
ORG = NS("http://www.w3.org/ns/org#")
PROV = NS("http://www.w3.org/ns/prov#")
DCT = NS("http://purl.org/dc/terms/")
FOAF = NS("http://xmlns.com/foaf/0.1/")
DCAT = NS("http://www.w3.org/ns/dcat#")
VOCAB_GRAPH = ox.NamedNode("https://budgetkg.org/def/graph")
CNY = ox.NamedNode("http://publications.europa.eu/resource/authority/currency/CNY")
A = RDF.type

PREFIXES = {
    "bkg": BKG_IRI,
    "cl": CL.base,
    "qb": QB.base,
    "skos": SKOS.base,
    "rdf": RDF.base,
    "rdfs": RDFS.base,
    "xsd": XSD.base,
    "org": ORG.base,
    "prov": PROV.base,
    "dct": DCT.base,
    "foaf": FOAF.base,
    "dcat": DCAT.base,
}


def lit(text: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(text, language=lang) if lang else ox.Literal(text)


def decimal(printed: str) -> ox.Literal:
    return ox.Literal(printed, datatype=XSD.decimal)


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD.integer)


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=XSD[datatype])


def emit_location(emit, node: ox.NamedNode, line: int | None, page: int | None) -> None:
    """``bkg:sourceLine`` and ``bkg:sourcePage`` of a node, for whichever is known."""
    if line is not None:
        emit(node, BKG.sourceLine, integer(line))
    if page is not None:
        emit(node, BKG.sourcePage, integer(page))


def emit_organization(emit, node: ox.NamedNode, kind: ox.NamedNode, name: str, code: str | None) -> None:
    """A department or unit: its class and ``org:FormalOrganization``, its name as label, its code as notation."""
    emit(node, A, kind)
    emit(node, A, ORG.FormalOrganization)
    emit(node, SKOS.prefLabel, lit(name, "zh"))
    emit(node, RDFS.label, lit(name, "zh"))
    if code:
        emit(node, SKOS.notation, lit(code))
