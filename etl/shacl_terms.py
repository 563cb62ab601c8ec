"""Literals as SHACL's core constraints compare them: RDF terms, in a store that compares values.

The store the core queries of :mod:`budgetkg.etl.shacl_batch` run on reads a literal of an XSD
datatype it knows (numbers, booleans, dates, ...) as its value, and gives it back in canonical
form: ``"01"^^xsd:integer`` as ``"1"``, ``"258.50"^^xsd:decimal`` as ``"258.5"``, ``"5"^^xsd:int`` as
``"5"^^xsd:integer``, ``"PT36H"^^xsd:dayTimeDuration`` as ``"P1DT12H"``, an xsd:dateTimeStamp as an
xsd:dateTime (oxigraph 0.5; it keeps xsd:anyURI, the string and name types, xsd:hexBinary and xsd:base64Binary as
written). SHACL compares terms (sh:equals, sh:in, sh:hasValue, value
nodes counted by sh:maxCount, the datatype IRI of sh:datatype, the lexical form sh:pattern reads),
so a literal the store would rewrite (:func:`rewritten`) is held in a store of exact terms as a
literal of a datatype the store does not know (:func:`exact`): the datatype IRI after :data:`PREFIX`,
the lexical form unchanged. The compiled queries accept such a literal where its datatype is asked
(:func:`datatype_is`), compare its value where SHACL compares values (:func:`value_of`: sh:minInclusive
and the other ranges use SPARQL's ``<``), and the findings give back the literal as written (:func:`decode`).

A language tag is not a concern: RDF compares tags without case, as the store does.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib.namespace import RDF, XSD

PREFIX = "urn:budgetkg:term:"
DIR_LANG_STRING = str(RDF) + "dirLangString"  # RDF 1.2: a language tag and a base direction ("a"@en--ltr)
# Strings, which the store holds as written; a literal with a language tag keeps it only in the store that
# reads it (held under another datatype, it would lose its tag).
STRINGS = frozenset({str(XSD.string), str(RDF.langString), DIR_LANG_STRING})
# Lexical forms the store keeps as written (its canonical forms; tests/etl/test_shacl_batch_terms.py checks each
# against the store). A number is kept within 18 digits, below the store's 64-bit integers and 18 fractional digits.
_KEPT = {
    str(XSD.integer): re.compile(r"(0|-?[1-9][0-9]{0,17})\Z"),
    str(XSD.decimal): re.compile(r"(0|-?[1-9][0-9]{0,17}(\.[0-9]{0,17}[1-9])?|-?0\.[0-9]{0,17}[1-9])\Z"),
    str(XSD.boolean): re.compile(r"(true|false)\Z"),
    str(XSD.gYear): re.compile(r"[1-9][0-9]{3}\Z"),
    str(XSD.date): re.compile(r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])\Z"),
}


def rewritten(term) -> bool:
    """Whether the store may hold ``term`` as another term (a typed literal, neither a string nor in a
    form of :data:`_KEPT`; a datatype the store does not know counts too, which costs only time)."""
    if not isinstance(term, ox.Literal):
        return False
    datatype = term.datatype.value
    if datatype in STRINGS:
        return False
    kept = _KEPT.get(datatype)
    return kept is None or not kept.match(term.value)


def exact(term):
    """``term`` as the store of exact terms holds it."""
    if rewritten(term):
        return ox.Literal(term.value, datatype=ox.NamedNode(PREFIX + term.datatype.value))
    return term


def decode(term):
    """The term a value of the store of exact terms stands for."""
    if isinstance(term, ox.Literal) and term.datatype.value.startswith(PREFIX):
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype.value[len(PREFIX):]))
    return term


def datatype_is(v: str, datatype: str) -> str:
    """SPARQL: the datatype of literal ``v`` is ``datatype`` (an IRI), in either store."""
    return f"(sameTerm(DATATYPE({v}), <{datatype}>) || sameTerm(DATATYPE({v}), <{PREFIX}{datatype}>))"


def value_of(v: str) -> str:
    """SPARQL: the value of ``v`` for a comparison, in either store (a literal of the exact store as its own
    datatype again)."""
    dt = f"STR(DATATYPE({v}))"
    return f"IF(isLiteral({v}) && STRSTARTS({dt}, \"{PREFIX}\"), STRDT(STR({v}), IRI(STRAFTER({dt}, \"{PREFIX}\"))), {v})"


def rewritten_any(objects) -> bool:
    """Whether the store may rewrite one of ``objects`` (of triples)."""
    return any(map(rewritten, objects))
