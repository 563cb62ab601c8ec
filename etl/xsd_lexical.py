"""Lexical spaces of the XSD built-in datatypes (XSD 1.1 Part 2, 3.3 primitive and 3.4 derived datatypes), for
sh:datatype, which reports a literal of the datatype whose lexical form is not in that space (SHACL 4.1.2).

:data:`LEXICAL` maps a datatype IRI to a regular expression that matches exactly its lexical space, read by the
compiled queries (SPARQL's REGEX, XPath's syntax) and by the screens (Python's re, through
:func:`budgetkg.etl.shacl_screen._lexical`): written with no lookaround, no class subtraction, no ``\\i`` or
``\\c`` (oxigraph's REGEX has none of them), and with a backslash only in SPARQL's string escapes ``\\t``
``\\n`` ``\\r`` (the query's parser turns them into the characters, Python's re reads the escapes alike). A
lexical form holding a line feed is left to the query by the screens (Python's ``$`` matches before one).
:data:`INTEGER_BOUNDS`: the types derived from xsd:integer, the integer form within bounds (the queries compare
digit strings).

Not decided here, for the reasons given: xsd:string (every string of XML characters: the test would run on every
string value for characters no document holds), xsd:QName and xsd:NOTATION (a prefix, a notation declared in
the document's context, which an RDF literal does not have), xsd:ENTITY and xsd:ENTITIES (an NCName declared as an
unparsed entity in a DTD).
"""

from __future__ import annotations

from rdflib.namespace import XSD

# dates and times (3.3.7 - 3.3.14): a day is checked against its month, and 29 February against a leap year (XSD's
# "day-of-month" constraint)
_TZ_FRAG = "(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
_TZ = _TZ_FRAG + "?"
_YEAR = "-?([1-9][0-9]{3,}|0[0-9]{3})"
_LEAP = "-?(([1-9][0-9]+|0[0-9])(0[48]|[2468][048]|[13579][26])|([1-9][0-9]*)?([02468][048]|[13579][26])00)"
_MONTH = "(0[1-9]|1[0-2])"
_DATE = (f"({_YEAR}-({_MONTH}-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)"
         f"|{_LEAP}-02-29)")
_TIME = "(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]+)?|24:00:00([.]0+)?)"  # 24:00:00 ends a day
# durations (3.3.6.2 durationLexicalRep, 3.4.26 yearMonthDuration, 3.4.27 dayTimeDuration): duSecondFrag is an
# unsigned decimal numeral, "1." and ".5" too (3.3.3), then "S"
_SECONDS = "([0-9]+([.][0-9]*)?|[.][0-9]+)S"
_DU_TIME = f"T([0-9]+H([0-9]+M)?({_SECONDS})?|[0-9]+M({_SECONDS})?|{_SECONDS})"
_DU_YEAR_MONTH = "([0-9]+Y([0-9]+M)?|[0-9]+M)"
_DU_DAY_TIME = f"([0-9]+D({_DU_TIME})?|{_DU_TIME})"
# XML names (XML 1.0 fifth edition, 2.3 NameStartChar and NameChar; 3.3.18 - 3.3.21 Name, NCName, NMTOKEN), as
# code point ranges
_NAME_START = ((":", ":"), ("A", "Z"), ("_", "_"), ("a", "z"), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x2FF),
               (0x370, 0x37D), (0x37F, 0x1FFF), (0x200C, 0x200D), (0x2070, 0x218F), (0x2C00, 0x2FEF),
               (0x3001, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFFD), (0x10000, 0xEFFFF))
_NAME_REST = ((".", "."), ("0", "9"), (0xB7, 0xB7), (0x300, 0x36F), (0x203F, 0x2040), ("-", "-"))  # "-" last in a class


def _class(ranges, but: str = "") -> str:
    """A character class of ``ranges`` (pairs of characters or code points), but the single characters in ``but``.

    >>> _class(((":", ":"), ("A", "Z"), (0xC0, 0xD6), ("-", "-")), but=":")
    '[A-ZÀ-Ö-]'
    """
    out = ""
    for low, high in ranges:
        low, high = (chr(x) if isinstance(x, int) else x for x in (low, high))
        if not (low == high and low in but):
            out += low if low == high else f"{low}-{high}"
    return f"[{out}]"


_NAME = _class(_NAME_START) + _class(_NAME_START + _NAME_REST) + "*"
_NCNAME = _class(_NAME_START, but=":") + _class(_NAME_START + _NAME_REST, but=":") + "*"
_NMTOKEN = _class(_NAME_START + _NAME_REST) + "+"
_B64 = "[A-Za-z0-9+/] ?"  # 3.3.16.2: Base64Binary, single spaces allowed between the characters
_INTEGER = "^[+-]?[0-9]+$"
LEXICAL = {
    XSD.integer: _INTEGER,
    XSD.decimal: "^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$",
    XSD.boolean: "^(true|false|1|0)$",
    XSD.double: "^([+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([Ee][+-]?[0-9]+)?|[+-]?INF|NaN)$",
    XSD.gYear: f"^{_YEAR}{_TZ}$",
    XSD.date: f"^{_DATE}{_TZ}$",
    XSD.dateTime: f"^{_DATE}T{_TIME}{_TZ}$",
    XSD.dateTimeStamp: f"^{_DATE}T{_TIME}{_TZ_FRAG}$",  # 3.4.28: a dateTime with its timezone
    XSD.time: f"^{_TIME}{_TZ}$",
    XSD.gYearMonth: f"^{_YEAR}-{_MONTH}{_TZ}$",
    XSD.gMonthDay: f"^--({_MONTH}-(0[1-9]|1[0-9]|2[0-9])|(0[13-9]|1[0-2])-30|(0[13578]|1[02])-31){_TZ}$",
    XSD.gMonth: f"^--{_MONTH}{_TZ}$",
    XSD.gDay: f"^---(0[1-9]|[12][0-9]|3[01]){_TZ}$",
    XSD.duration: f"^-?P({_DU_YEAR_MONTH}({_DU_DAY_TIME})?|{_DU_DAY_TIME})$",
    XSD.yearMonthDuration: f"^-?P{_DU_YEAR_MONTH}$",
    XSD.dayTimeDuration: f"^-?P{_DU_DAY_TIME}$",
    XSD.hexBinary: "^([0-9a-fA-F]{2})*$",
    # (B64quad* B64final)?: a form that is not empty ends with its final group, whose last character is no space
    XSD.base64Binary: (f"^((({_B64}){{4}})*(({_B64}){{3}}[A-Za-z0-9+/]|({_B64}){{2}}[AEIMQUYcgkosw048] ?="
                       f"|{_B64}[AQgw] ?= ?=))?$"),
    # 3.3.17 anyURI: any string of XML characters (XML 1.0, 2.2 Char)
    XSD.anyURI: "^[\\t\\n\\r" + _class(((0x20, 0xD7FF), (0xE000, 0xFFFD), (0x10000, 0x10FFFF)))[1:] + "*$",
    # 3.4.1 - 3.4.3: no tab, line feed or carriage return; a token has no space at either end, nor two in a row
    XSD.normalizedString: "^[^\\t\\n\\r]*$",
    XSD.token: "^([^ \\t\\n\\r]+( [^ \\t\\n\\r]+)*)?$",
    XSD.language: "^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$",
    XSD.Name: f"^{_NAME}$",
    XSD.NCName: f"^{_NCNAME}$",
    XSD.ID: f"^{_NCNAME}$",
    XSD.IDREF: f"^{_NCNAME}$",
    XSD.NMTOKEN: f"^{_NMTOKEN}$",
    # 3.4.5, 3.4.10: lists of one item or more, separated by single spaces
    XSD.NMTOKENS: f"^{_NMTOKEN}( {_NMTOKEN})*$",
    XSD.IDREFS: f"^{_NCNAME}( {_NCNAME})*$",
}
LEXICAL[XSD.float] = LEXICAL[XSD.double]
# The types derived from xsd:integer (3.4.13 - 3.4.25): the integer lexical form, within these bounds (None: unbounded)
INTEGER_BOUNDS = {
    XSD.long: (-2**63, 2**63 - 1), XSD.int: (-2**31, 2**31 - 1), XSD.short: (-2**15, 2**15 - 1), XSD.byte: (-2**7, 2**7 - 1),
    XSD.unsignedLong: (0, 2**64 - 1), XSD.unsignedInt: (0, 2**32 - 1), XSD.unsignedShort: (0, 2**16 - 1),
    XSD.unsignedByte: (0, 2**8 - 1), XSD.nonNegativeInteger: (0, None), XSD.positiveInteger: (1, None),
    XSD.nonPositiveInteger: (None, 0), XSD.negativeInteger: (None, -1),
}
LEXICAL.update((t, _INTEGER) for t in INTEGER_BOUNDS)
