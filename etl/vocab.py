"""RDF terms used by the mapping, as pyoxigraph nodes built once.

API: :class:`NS` (namespace that mints :class:`pyoxigraph.NamedNode` by attribute),
the namespaces :data:`BKG`, :data:`QB`, :data:`SKOS`, ..., :func:`lit`, :func:`decimal`,
:func:`integer`, :func:`emit_location`, :func:`emit_organization`, :data:`PREFIXES`.

pyoxigraph terms are built here rather than rdflib ones: they cost a fraction
of rdflib's to create and serialize, and the dumps are written by pyoxigraph.
"""

from __future__ import annotations

import pyoxigraph as ox

from budgetkg import names


class NS:
    def __init__(self, base: str):
        self.base = base
        self._cache: dict[str, ox.NamedNode] = {}

    def __getattr__(self, name: str) -> ox.NamedNode:
        """Called only for a name not yet read: the node is then kept as an attribute of the namespace, so that the
        mapping's hundreds of thousands of reads (``BKG.amount`` for each cell) are plain attribute reads."""
        if name.startswith("_"):
            raise AttributeError(name)
        node = self.__dict__[name] = self[name]
        return node

    def __getitem__(self, name: str) -> ox.NamedNode:
        node = self._cache.get(name)
        if node is None:
            node = self._cache[name] = ox.NamedNode(self.base + name)
        return node


BKG_IRI = names.BKG
BKG = NS(BKG_IRI)
CL = NS(names.CL)
QB = NS(names.QB)
SKOS = NS(names.SKOS)
RDF = NS(names.RDF)
RDFS = NS(names.RDFS)
XSD = NS(names.XSD)
ORG = NS(names.ORG)
PROV = NS(names.PROV)
DCT = NS(names.DCT)
FOAF = NS(names.FOAF)
DCAT = NS(names.DCAT)
VOCAB_GRAPH = ox.NamedNode(names.VOCAB_GRAPH)
CNY = ox.NamedNode(names.CNY)
A = RDF.type

PREFIXES = names.PREFIXES


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
