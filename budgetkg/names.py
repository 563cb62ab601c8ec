"""The names every part of budgetkg shares, written once: namespaces, graph IRIs, prefix maps,
the default base of instance IRIs and the file names of a build.

The ETL, validation, the service and the client import them from here;
``tests/test_names_once.py`` fails when one of these literals is written anywhere else in the
package. Plain strings, so that importing this module costs nothing (the ETL wraps them in
pyoxigraph terms in :mod:`budgetkg.etl.vocab`). docs/DESIGN.md, "Namespaces", describes them.

>>> BKG + "Observation"
'https://budgetkg.org/def/budget#Observation'
>>> sparql_prefixes("bkg", "cl")
'PREFIX bkg: <https://budgetkg.org/def/budget#> PREFIX cl: <https://budgetkg.org/def/cl/>\\n'
"""

from __future__ import annotations

# --- budgetkg's own IRIs ---------------------------------------------------------------------------

SITE = "https://budgetkg.org/"
DEFAULT_BASE = SITE  # base of the instance IRIs (<base>id/..., <base>graph/...) unless --base-iri says otherwise
DEF = SITE + "def/"  # the vocabulary: not configurable
ONTOLOGY = DEF + "budget"  # the ontology's IRI
BKG = ONTOLOGY + "#"
CL = DEF + "cl/"  # code lists: <CL><scheme>, <CL><scheme>/<notation>
SOURCE = DEF + "source/"  # the disclosures the code lists' printed names come from (ontology/sources.ttl)
SHAPES = DEF + "shapes#"  # SHACL shapes and the rules of the Python checks
VOCAB_GRAPH = DEF + "graph"  # the named graph of the ontology and code lists
TABLE_KIND = CL + "table-kind/"
PHASE = CL + "phase/"

# --- other vocabularies -----------------------------------------------------------------------------

QB = "http://purl.org/linked-data/cube#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOSXL = "http://www.w3.org/2008/05/skos-xl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
DCAT = "http://www.w3.org/ns/dcat#"
SH = "http://www.w3.org/ns/shacl#"
DQV = "http://www.w3.org/ns/dqv#"
VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
SPDX = "http://spdx.org/rdf/terms#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
W3_FORMATS = "http://www.w3.org/ns/formats/"
ENTAILMENT = "http://www.w3.org/ns/entailment/"
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
CNY = EU_AUTHORITY + "currency/CNY"
RDF_TYPE = RDF + "type"

# --- prefix maps -----------------------------------------------------------------------------------

# The dumps' Turtle prefixes: their order is part of the byte-identical dumps.
PREFIXES = {
    "bkg": BKG, "cl": CL, "qb": QB, "skos": SKOS, "rdf": RDF, "rdfs": RDFS, "xsd": XSD,
    "org": ORG, "prov": PROV, "dct": DCT, "foaf": FOAF, "dcat": DCAT,
}
# What the service prefixes in the RDF it writes (answers to CONSTRUCT/DESCRIBE, service description).
SERVICE_PREFIXES = dict(PREFIXES, void=VOID, sd=SD)
# What a page shortens an IRI to (the dumps' prefixes plus owl and void).
SHORT_PREFIXES = dict(PREFIXES, owl=OWL, void=VOID)
# Every prefix a query written in this package may declare through :func:`sparql_prefixes`.
ALL_PREFIXES = dict(SERVICE_PREFIXES, owl=OWL, skosxl=SKOSXL, sh=SH, dqv=DQV, spdx=SPDX, vcard=VCARD)


def sparql_prefixes(*names: str) -> str:
    """SPARQL ``PREFIX`` declarations of ``names`` (keys of :data:`ALL_PREFIXES`), one line."""
    return " ".join(f"PREFIX {n}: <{ALL_PREFIXES[n]}>" for n in names) + "\n"


# --- the build's files (docs/DESIGN.md, "Build layout") --------------------------------------------

MANIFEST = "manifest.json"  # what a build holds: documents, counts, base IRI; written last
TABLES_INDEX = "tables.json"
STORE_DIR = "store"
DUMPS_DIR = "dumps"
TABLES_DIR = "tables"  # `budgetkg tables` writes here by default
DUMP_QUADS = "budgetkg.nq"
DUMP_TRIPLES = "budgetkg.nt"
DUMP_TURTLE = "budgetkg.ttl"
DUMP_VOCABULARY = "vocabulary.ttl"
