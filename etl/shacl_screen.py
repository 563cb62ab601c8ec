"""A cheap test, in Python over a document's triples, that a core constraint finds nothing.

Most core constraints (cardinality, datatype, node kind, ``sh:in``, ...) find nothing on a
built document, yet each is one SPARQL query of :mod:`budgetkg.etl.shacl_batch` over the whole
document (538 queries a document). :func:`plan` compiles them (targets by class, node, subjects
or objects of a predicate; a predicate path, inverses and alternatives of those, or for
``sh:minCount 1`` and ``sh:equals`` a sequence of such paths; one of the components below,
``sh:equals``, ``sh:qualifiedMinCount 1`` of a shape on each value alone, or ``sh:or`` / ``sh:and``
/ ``sh:not`` of property shapes counting or naming values) to a plan, and :func:`may_find` tells
from an :class:`Index` of the document's triples whether the query may have an answer. The screen is
conservative: whenever it cannot decide it says "may find", and the query runs as before, so the
findings (and their order) are the query's, unchanged.

The screens compare terms, as SHACL does and as the queries do (a query reading a literal the store would
rewrite, ``"1.00"^^xsd:decimal`` as ``"1"``, runs on a store of exact terms: :mod:`.shacl_terms`). They were
written when the queries compared stored values, and still answer "may find" wherever a value could stand
for another term (``sh:minCount`` above 1 is not screened; ``sh:pattern`` only over IRIs and strings; a
sequence path through a literal, or a literal ``sh:hasValue`` next to a literal value, is left to the
query): more left to the query, never less.

API: :func:`plan` ``(g, shape, param, arg, path, targets, lexical) -> tuple | None``; :func:`targets`
``(g, shape) -> tuple | None``; :class:`Index` ``(triples)`` (positions by predicate, maps by subject and
object; ``with_predicates(wanted, classes=None)``, ``objects_of(predicate)``, ``subjects_of(predicate)``,
``values_on(steps)``, ``holding(steps)``, ``several(steps)``, ``release()``); :func:`group` ``(keys)``;
:func:`positions` ``(keys, key)``; :func:`may_find` ``(index, plan) -> bool``; :func:`to_run` ``(index, checks) -> list`` (the checks whose query must run); :func:`last_of` ``(keys, cls) -> dict``
(each key of class ``cls`` -> its last position in the list ``keys``).
"""

from __future__ import annotations

import operator
import re
import string
from collections import defaultdict
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from budgetkg import names

from .shacl_terms import STRINGS
from .terms import columns

try:  # the grouping loops below compiled (etl/_grouping.c, built by setup.py where a C compiler is found)
    from budgetkg.etl import _grouping
except ImportError:  # pragma: no cover - a machine without a C compiler
    _grouping = None

_TYPE = ox.NamedNode(names.RDF_TYPE)
_SUBCLASS = ox.NamedNode(names.RDFS + "subClassOf")
# sh:pattern with these characters only means the same in Python's re as in SPARQL's REGEX.
_PLAIN_PATTERN = re.compile(r"^[\^$\[\]{}()|?*+.,0-9A-Za-z-]*$")
_KINDS = {
    SH.IRI: (ox.NamedNode,), SH.BlankNode: (ox.BlankNode,), SH.Literal: (ox.Literal,),
    SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode), SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
    SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
}
_COMPARE = {SH.minInclusive: operator.ge, SH.maxInclusive: operator.le, SH.minExclusive: operator.gt, SH.maxExclusive: operator.lt}


def to_ox(node):
    """An rdflib term as a pyoxigraph term (the one conversion of the validation modules)."""
    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    if node.language:
        return ox.Literal(str(node), language=node.language)
    return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype or XSD.string)))


def targets(g: rdflib.Graph, shape) -> tuple | None:
    """The targets of ``shape`` as ``(kind, node)`` pairs (None when one is not a plain IRI)."""
    out = []
    for kind, pred in (("class", SH.targetClass), ("node", SH.targetNode), ("subjects", SH.targetSubjectsOf),
                       ("objects", SH.targetObjectsOf)):
        for node in g.objects(shape, pred):
            if not isinstance(node, rdflib.URIRef):
                return None
            out.append((kind, ox.NamedNode(str(node))))
    return tuple(sorted(out, key=str)) or None


def _path(g: rdflib.Graph, node) -> tuple | None:
    """A predicate, inverse or alternative path as ``((predicate, inverse), ...)``; None otherwise."""
    if isinstance(node, rdflib.URIRef):
        return ((ox.NamedNode(str(node)), False),)
    inverse = g.value(node, SH.inversePath)
    if inverse is not None:  # ^(a|^b) is ^a|b
        inner = _path(g, inverse)
        return None if inner is None else tuple((p, not back) for p, back in inner)
    alt = g.value(node, SH.alternativePath)
    if alt is not None:
        steps = [_path(g, p) for p in Collection(g, alt)]
        if all(s is not None and len(s) == 1 for s in steps):
            return tuple(s[0] for s in steps)
    return None


def _sequence(g: rdflib.Graph, node) -> tuple | None:
    """A path as :func:`_path` gives it, or a sequence of such paths as ``("seq", (steps, ...))``."""
    if (node, RDF.first, None) in g:
        steps = tuple(_path(g, p) for p in Collection(g, node))
        return ("seq", steps) if steps and None not in steps else None
    return _path(g, node)


def _lexical(pattern: str):
    """Python's form of a lexical-form regular expression written for a SPARQL string."""
    return re.compile(pattern.replace("\\\\", "\\"))


def plan(g: rdflib.Graph, shape, param, arg, path, focus_targets: tuple | None, lexical: dict,
         value_shape=None) -> tuple | None:
    """The screen of one constraint (``param`` ``arg`` of ``shape``, on ``path`` or on the focus
    node when ``path`` is None), or None when it is not screened. ``lexical``: the lexical-form
    regular expressions of the datatypes the query checks (written for SPARQL); ``value_shape``: the
    sh:qualifiedValueShape of a sh:qualifiedMinCount (a shape may have several, each its own constraint)."""
    if focus_targets is None:
        return None
    steps = None
    if path is not None:
        steps = _sequence(g, path)
        if steps is None:
            return None
    test = _value_test(g, shape, param, arg, lexical)
    if test is None:
        test = _other_test(g, shape, param, arg, steps, lexical, value_shape)
    if test is None or steps is not None and steps[0] == "seq" and test[0] not in ("min1", "equals"):
        return None
    return focus_targets, steps, test


def _other_test(g: rdflib.Graph, shape, param, arg, steps, lexical: dict, value_shape=None) -> tuple | None:
    """The test of a constraint on the node itself or on its values together, or None."""
    if param == SH.hasValue and not isinstance(arg, rdflib.BNode):
        return ("has", to_ox(arg))
    if param in _LOGIC and steps is None:
        condition = _logic(g, param, arg)
        return None if condition is None else ("logic", condition)
    if steps is None:
        return None
    if param == SH.minCount and int(arg) == 1:
        return ("min1",)
    if param == SH.maxCount:
        return ("max", int(arg))
    if param == SH.uniqueLang and arg == rdflib.Literal(True):
        return ("unique_lang",)
    if param == SH.equals and _sequence(g, arg) is not None:
        return ("equals", _sequence(g, arg))
    if param == SH.qualifiedMinCount and int(arg) == 1:
        tests = _value_tests(g, value_shape, lexical)
        return None if tests is None else ("qualified_min1", tests)
    return None


# Datatypes the store keeps as written (checked with oxigraph 0.5); it reads xsd:int, xsd:long and the other
# types derived from xsd:integer as xsd:integer (the query reads those in its store of exact terms), and a
# sh:datatype of those is left to the query.
_KEPT_DATATYPES = frozenset({RDF.langString, XSD.string, XSD.integer, XSD.decimal, XSD.boolean, XSD.date, XSD.gYear,
                             XSD.dateTime, XSD.double, XSD.float, XSD.anyURI})


def _value_test(g: rdflib.Graph, shape, param, arg, lexical: dict) -> tuple | None:
    """The test of a constraint on each value alone (:func:`_bad_values` applies it), or None."""
    if param == SH.datatype:
        if arg not in _KEPT_DATATYPES:
            return None
        lex = lexical.get(arg)
        return ("datatype", ox.NamedNode(str(arg)), _lexical(lex) if lex else None)
    if param == SH.nodeKind and arg in _KINDS:
        return ("kind", _KINDS[arg])
    if param == SH.languageIn:
        return ("languages", frozenset(str(x) for x in Collection(g, arg)))
    if param in _COMPARE and isinstance(arg, rdflib.Literal):
        forms = tuple((ox.NamedNode(str(dt)), _lexical(lexical[dt])) for dt in (XSD.integer, XSD.decimal))
        bound = _decimal(to_ox(arg), dict(forms))
        return None if bound is None else ("compare", _COMPARE[param], bound, forms)
    if param == SH.pattern and g.value(shape, SH.flags) is None and _PLAIN_PATTERN.match(str(arg)):
        return ("pattern", re.compile(str(arg)))
    if param == SH["in"]:
        items = [to_ox(x) for x in Collection(g, arg)]
        return None if any(isinstance(x, ox.BlankNode) for x in items) else ("in", frozenset(items))
    if param == SH["class"]:
        return ("class", ox.NamedNode(str(arg)))
    return None


# Predicates of a nested shape that constrain nothing (sh:flags goes with sh:pattern).
_INERT = {SH.path, SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group, SH.defaultValue, SH.flags}
_LOGIC = (SH["or"], SH["and"], SH["not"])


def _value_tests(g: rdflib.Graph, shape, lexical: dict) -> tuple | None:
    """The value tests of a node shape a value conforms to (sh:qualifiedValueShape): all its
    constraints on each value alone; None when it has another."""
    if shape is None or g.value(shape, SH.path) is not None:
        return None
    tests = []
    for p, o in g.predicate_objects(shape):
        if str(p).startswith(str(SH)) and p not in _INERT:
            test = _value_test(g, shape, p, o, lexical)
            if test is None:
                return None
            tests.append(test)
    return tuple(sorted(set(tests), key=str))


def _logic(g: rdflib.Graph, param, arg) -> tuple | None:
    """sh:or, sh:and or sh:not of shapes, as a condition on the focus node (see :func:`_truth`)."""
    if param == SH["not"]:
        inner = _conforms(g, arg)
        return None if inner is None else ("not", inner)
    parts = tuple(_conforms(g, s) for s in Collection(g, arg))
    return None if None in parts else ("or" if param == SH["or"] else "and", parts)


def _conforms(g: rdflib.Graph, shape) -> tuple | None:
    """The condition that the focus node conforms to a nested ``shape``: property shapes with
    sh:hasValue, sh:minCount 0 or 1, sh:maxCount 0 (on a path of :func:`_path`), node shapes with
    sh:property, sh:or, sh:and, sh:not of those; None for any other constraint."""
    path = g.value(shape, SH.path)
    steps = None if path is None else _path(g, path)
    if path is not None and steps is None:
        return None
    parts = []
    for p, o in g.predicate_objects(shape):
        if not str(p).startswith(str(SH)) or p in _INERT:
            continue
        if steps is None and p in _LOGIC:
            part = _logic(g, p, o)
        elif steps is None and p == SH.property:
            part = _conforms(g, o)
        elif steps is not None and p == SH.hasValue and not isinstance(o, rdflib.BNode):
            part = ("has", steps, to_ox(o))
        elif steps is not None and p == SH.minCount and int(o) in (0, 1):
            part = ("min1", steps) if int(o) else ("and", ())
        elif steps is not None and p == SH.maxCount and int(o) == 0:
            part = ("max0", steps)
        else:
            return None
        if part is None:
            return None
        parts.append(part)
    return parts[0] if len(parts) == 1 else ("and", tuple(parts))


# The numbers oxigraph holds (0.5): xsd:integer in 64 bits, xsd:decimal in 128 bits with 18 fractional
# digits. A literal beyond is ill-typed in the store: a comparison with it is an error there, and the compiled
# check reports the value, while Decimal reads it: the screens leave such a value to the query.
_INTEGER_RANGE = (Decimal(-(1 << 63)), Decimal((1 << 63) - 1))
_DECIMAL_DIGITS = 18
_DECIMAL_RANGE = (Decimal(f"{-(1 << 127)}E-{_DECIMAL_DIGITS}"), Decimal(f"{(1 << 127) - 1}E-{_DECIMAL_DIGITS}"))  # exact
_XSD_INTEGER = ox.NamedNode(str(XSD.integer))


def _decimal(v, forms: dict):
    """The value of a literal whose datatype has a lexical form in ``forms`` (xsd:integer,
    xsd:decimal) and is of that form, as the store holds it; else None (also beyond the store's numbers).

    >>> forms = {_XSD_INTEGER: re.compile(r"[+-]?[0-9]+$")}
    >>> [_decimal(ox.Literal(x, datatype=_XSD_INTEGER), forms) for x in ("9223372036854775807", "9223372036854775808")]
    [Decimal('9223372036854775807'), None]
    """
    rx = forms.get(v.datatype) if isinstance(v, ox.Literal) else None
    if rx is None or "\n" in v.value or not rx.match(v.value):
        return None
    try:
        d = Decimal(v.value)
    except InvalidOperation:
        return None
    low, high = _INTEGER_RANGE if v.datatype == _XSD_INTEGER else _DECIMAL_RANGE
    if not low <= d <= high or v.datatype != _XSD_INTEGER and d.as_tuple().exponent < -_DECIMAL_DIGITS:
        return None
    return d


# Case aside in ASCII only, as oxigraph compares (str.lower would take the Kelvin sign for "k").
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def lang_matches(tag: str, language_range: str) -> bool:
    """SPARQL's langMatches (RFC 4647 3.3.1 basic filtering, as oxigraph evaluates it): ``language_range`` is "*"
    and ``tag`` is not empty, or it equals ``tag`` or a prefix of it ended by "-", case aside.

    >>> [lang_matches(t, "en") for t in ("en", "EN-gb", "en-US-x-y", "eng", "")]
    [True, True, True, False, False]
    >>> [lang_matches(t, "*") for t in ("zh", "")], lang_matches("de-DE-1996", "de-de"), lang_matches("de", "de-de")
    ([True, False], True, False)
    """
    if language_range == "*":
        return tag != ""
    tag, language_range = tag.translate(_ASCII_LOWER), language_range.translate(_ASCII_LOWER)
    return tag == language_range or tag.startswith(language_range + "-")


class Index:
    """A document's triples by predicate, with the maps the screens ask for, each built once:
    forward (subject -> objects) and inverse (object -> subjects) per predicate, each direction when first asked,
    the focus nodes of each target, and the distinct values of each path grouped by node kind, datatype and
    language (most tests decide a whole group at once). A test of single values reads the distinct values of the
    path (:meth:`values_on`), and a count the nodes holding values (:meth:`holding`, :meth:`several`): neither
    builds a map unless a value or a count may break the constraint."""

    def __init__(self, triples):
        triples = triples if isinstance(triples, list) else list(triples)
        subjects, predicates, objects = columns(triples)  # (the mapper's terms: no term read again)
        rows = _group(predicates)
        self.triples = triples
        self.rows = rows  # predicate -> the positions of its triples, in order
        self.subjects, self.objects = subjects, objects
        # SHACL instance of follows rdfs:subClassOf: with any in the data nothing is screened
        self.subclasses = _SUBCLASS in rows
        self._forward: dict = {}
        self._inverse: dict = {}
        self._cache: dict = {}

    def with_predicates(self, wanted, classes=None) -> list:
        """The triples whose predicate is in ``wanted`` (terms), in the document's order; of ``rdf:type``, those whose
        object is in ``classes`` (terms) when given."""
        rows, objects = self.rows, self.objects
        kept = [i for p in wanted if classes is None or p != _TYPE for i in rows.get(p, ())]
        if classes is not None and _TYPE in wanted:
            kept += [i for i in rows.get(_TYPE, ()) if objects[i] in classes]
        return [self.triples[i] for i in sorted(kept)]

    def objects_of(self, p) -> list:
        """The objects of the triples of predicate ``p``."""
        objects = self.objects
        return [objects[i] for i in self.rows.get(p, ())]

    def subjects_of(self, p) -> list:
        """The subjects of the triples of predicate ``p``."""
        subjects = self.subjects
        return [subjects[i] for i in self.rows.get(p, ())]

    def forward(self, p) -> dict:
        """subject -> objects of predicate ``p``, as lists: a triple given twice counts twice (the
        screen then says "may find", never the reverse)."""
        out = self._forward.get(p)
        if out is None:
            out = self._forward[p] = _pairs(self.subjects, self.objects, self.rows.get(p, ()))
        return out

    def inverse(self, p) -> dict:
        """object -> subjects of predicate ``p``, as :meth:`forward` (each direction built when first asked: most
        predicates are asked in one only)."""
        out = self._inverse.get(p)
        if out is None:
            out = self._inverse[p] = _pairs(self.objects, self.subjects, self.rows.get(p, ()))
        return out

    def values_on(self, steps: tuple) -> dict:
        """The distinct values on a path of :func:`_path` (the keys of :meth:`owners`, in the same order, without
        building it: a value test reads the values, and their owners only when one fails)."""
        def make():
            out: dict = {}
            for p, back in steps:
                column, maps = (self.subjects, self._forward) if back else (self.objects, self._inverse)
                done = maps.get(p)  # (the map's keys when it is built, else the column read at the predicate's rows)
                out.update(dict.fromkeys(done if done is not None else map(column.__getitem__, self.rows.get(p, ()))))
            return out
        return self.cached(("values", steps), make)

    def holding(self, steps: tuple) -> dict:
        """The nodes with a value on the path (the keys of :meth:`holders`, without building it for a path of
        :func:`_path`)."""
        if steps[0] == "seq":
            return self.holders(steps)
        return self.values_on(tuple((p, not back) for p, back in steps))

    def several(self, steps: tuple) -> dict:
        """node -> its number of values on the path, for the nodes with more than one (most paths have none: when
        the path has as many holders as triples, no node holds two, and the path is not mapped)."""
        def make():
            if steps[0] != "seq" and len(self.holding(steps)) == sum(len(self.rows.get(p, ())) for p, _ in steps):
                return {}
            return {f: len(vs) for f, vs in self.holders(steps).items() if len(vs) > 1}
        return self.cached(("several", steps), make)

    def release(self) -> None:
        """Empty the maps, in place: the screens' own maps share them and make reference cycles with
        the index (:mod:`.sparql_screen` keeps the index it reads), so that otherwise a document's
        maps (a list per node and predicate) would wait for the cycle collector, which scans them
        all first."""
        for maps in (self._forward, self._inverse):
            for m in maps.values():
                m.clear()
            maps.clear()
        self._cache.clear()
        self.rows.clear()
        self.triples = self.subjects = self.objects = []  # (the caller's lists: left as they are)

    def cached(self, key, make):
        """``make()``, made once per index (also for other screens: :mod:`.sparql_screen`)."""
        out = self._cache.get(key)
        if out is None:
            out = self._cache[key] = make()
        return out

    def focus(self, targets: tuple) -> set:
        def make():
            out = set()
            for kind, node in targets:
                if kind == "class":
                    out.update(self.inverse(_TYPE).get(node, ()))
                elif kind == "node":
                    out.add(node)
                elif kind == "subjects":
                    out.update(self.forward(node))
                else:
                    out.update(self.inverse(node))
            return out
        return self.cached(("focus", targets), make)

    def members(self, cls) -> set:
        """The nodes of type ``cls``."""
        return self.cached(("members", cls), lambda: set(self.inverse(_TYPE).get(cls, ())))

    def _merged(self, maps: list) -> dict:
        if len(maps) == 1:
            return maps[0]
        out: dict = defaultdict(list)
        for m in maps:
            for k, vs in m.items():
                out[k].extend(vs)
        return dict(out)

    def holders(self, steps: tuple) -> dict:
        """focus node -> its values on the path."""
        if steps[0] == "seq":
            return self._sequence(steps)[0]
        return self.cached(("holders", steps), lambda: self._merged(
            [self.inverse(p) if inverse else self.forward(p) for p, inverse in steps]))

    def unsure(self, steps: tuple) -> set:
        """The nodes that may have more values on the path in the store than in the triples: a
        sequence path that passes a literal, which the store joins by value ("01" and "1" as one
        xsd:integer)."""
        return self._sequence(steps)[1] if steps[0] == "seq" else set()

    def _sequence(self, steps: tuple) -> tuple[dict, set]:
        def make():
            current, unsure = self.holders(steps[1][0]), set()
            for alt in steps[1][1:]:
                step, after = self.holders(alt), {}
                for f, middle in current.items():
                    values = []
                    for m in middle:
                        if isinstance(m, ox.Literal):
                            unsure.add(f)
                        values += step.get(m, ())
                    if values:
                        after[f] = values
                current = after
            return current, unsure
        return self.cached(("sequence", steps), make)

    def owners(self, steps: tuple) -> dict:
        """value -> the nodes it is a value of, on the path."""
        return self.cached(("owners", steps), lambda: self._merged(
            [self.forward(p) if inverse else self.inverse(p) for p, inverse in steps]))

    def groups(self, key, nodes) -> dict:
        """``nodes`` by (kind, datatype IRI, language): kind 0 IRI, 1 blank node, 2 literal, 3 other."""
        def make():
            out: dict = {}
            for v in nodes:
                if isinstance(v, ox.Literal):
                    sig = (2, v.datatype.value, v.language)
                else:
                    sig = (0 if isinstance(v, ox.NamedNode) else 1 if isinstance(v, ox.BlankNode) else 3, None, None)
                out.setdefault(sig, []).append(v)
            return out
        return self.cached(("groups", key), make)


def _group_loop(keys: list) -> dict:
    """key -> the positions where it is in ``keys``, in order."""
    out: dict = {}
    for i, key in enumerate(keys):  # (plain dicts, not defaultdicts copied after: about a fifth less)
        found = out.get(key)
        if found is None:
            out[key] = [i]
        else:
            found.append(i)
    return out


def _pairs_loop(keys: list, values: list, rows: list) -> dict:
    """key -> values of the triples at the positions ``rows`` (``keys`` and ``values``: two columns), in order."""
    out: dict = {}
    for i in rows:
        k = keys[i]
        found = out.get(k)
        if found is None:
            out[k] = [values[i]]
        else:
            found.append(values[i])
    return out


def _last_loop(keys: list, cls: type) -> dict:
    """key -> its last position in ``keys``, for the keys of class ``cls`` exactly, in the order each is first met."""
    return {key: i for i, key in enumerate(keys) if type(key) is cls}


# the loops compiled where they are built (the same dicts: tests/etl/test_shacl_screen.py), else in Python
_group = _grouping.group if _grouping is not None else _group_loop
_pairs = _grouping.pairs if _grouping is not None else _pairs_loop
last_of = _grouping.last if _grouping is not None else _last_loop


def group(keys: list) -> dict:
    """key -> the positions where it is in ``keys``, in order.

    >>> group(["a", "b", "a"])
    {'a': [0, 2], 'b': [1]}
    """
    return _group(keys)


def positions(keys: list, key) -> list:
    """The positions where ``key`` is in ``keys``, in order: ``group(keys).get(key, [])`` without grouping the others
    (found by ``list.index``, which compares in C and by identity first).

    >>> positions(["a", "b", "a"], "a"), positions(["a"], "c")
    ([0, 2], [])
    """
    out, i = [], -1
    try:
        while True:
            i = keys.index(key, i + 1)
            out.append(i)
    except ValueError:
        return out


_TYPES = {ox.NamedNode: 0, ox.BlankNode: 1, ox.Literal: 2}
# The tests of _value_test: each value on its own (the others read the values of each focus node together).
_VALUE_TESTS = frozenset({"datatype", "kind", "languages", "compare", "pattern", "in", "class"})


def to_run(index: Index, checks: list) -> list:
    """The checks (objects with a ``screen`` attribute, None when not screened) whose query may
    have an answer on the document of ``index``, in their order."""
    return [c for c in checks if c.screen is None or may_find(index, c.screen)]


def may_find(index: Index, screen: tuple) -> bool:
    """False only when the constraint's query has no answer on the indexed document."""
    if index.subclasses:
        return True
    targets, steps, test = screen
    focus = index.focus(targets)
    if not focus:
        return False
    kind = test[0]
    if steps is None:  # a node shape: the value is the focus node
        if kind == "class":
            return bool(focus.difference(index.inverse(_TYPE).get(test[1], ())))
        if kind == "has":
            return len(focus) > 1 or test[1] not in focus
        if kind == "logic":
            return len(_truth(index, focus, test[1])[0]) < len(focus)
        return bool(_bad_values(index, ("focus", targets), focus, test))
    if kind in _VALUE_TESTS:  # the values alone, and their owners only when one may break the test
        bad = _bad_values(index, ("steps", steps), index.values_on(steps), test)
        if not bad:
            return False
        owners = index.owners(steps)
        return any(not focus.isdisjoint(owners[v]) for v in bad)
    if kind == "has":
        return bool(focus.difference(index.owners(steps).get(test[1], ())))
    if kind == "min1":
        return bool(focus.difference(index.holding(steps)))
    if kind == "max":
        if test[1] == 0:
            return not focus.isdisjoint(index.holding(steps))
        return any(n > test[1] and f in focus for f, n in index.several(steps).items())
    holders = index.holders(steps)
    if kind == "qualified_min1":  # some focus node without a value that surely conforms
        bad = index.cached(("qualified", steps, test), lambda: set().union(
            *(_bad_values(index, ("steps", steps), index.values_on(steps), t) for t in test[1])))
        return any(all(v in bad for v in holders.get(f, ())) for f in focus)
    if kind == "unique_lang":
        return not focus.isdisjoint(index.cached(("repeated_lang", steps), lambda: _repeated_lang(holders)))
    if kind == "equals":
        other = index.holders(test[1])
        if not focus.isdisjoint(index.unsure(steps)) or not focus.isdisjoint(index.unsure(test[1])):
            return True
        for f in focus:
            mine, theirs = holders.get(f), other.get(f)
            if mine != theirs and (mine is None or theirs is None or set(mine) != set(theirs)):
                return True
        return False
    return True  # a test this function does not know: the query decides


def _truth(index: Index, focus: set, condition: tuple) -> tuple[set, set]:
    """The focus nodes where ``condition`` (of :func:`_conforms`) surely holds, and those where it
    may hold or not: a literal sh:hasValue may equal another lexical form of a value in the store
    ("0" and "false" as xsd:boolean)."""
    kind = condition[0]
    if kind == "min1":
        holders = index.holders(condition[1])
        return {f for f in focus if f in holders}, set()
    if kind == "max0":
        holders = index.holders(condition[1])
        return {f for f in focus if f not in holders}, set()
    if kind == "has":
        steps, value = condition[1], condition[2]
        yes = focus.intersection(index.owners(steps).get(value, ()))
        if not isinstance(value, ox.Literal):
            return yes, set()
        holders = index.holders(steps)
        return yes, {f for f in focus.difference(yes) if any(isinstance(v, ox.Literal) for v in holders.get(f, ()))}
    if kind == "not":
        true, maybe = _truth(index, focus, condition[1])
        return focus.difference(true, maybe), maybe
    parts = [_truth(index, focus, c) for c in condition[1]]
    if kind == "or":
        true = set().union(*(t for t, _ in parts))
        return true, set().union(*(m for _, m in parts)).difference(true)
    true, false = set(focus), set()  # "and"
    for t, m in parts:
        true &= t
        false |= focus.difference(t, m)
    return true, focus.difference(true, false)


def _repeated_lang(holders: dict) -> list:
    """The nodes with two values of one language (any case) on the path."""
    out = []
    for f, vs in holders.items():
        if len(vs) > 1:
            langs = [v.language for v in vs if isinstance(v, ox.Literal) and v.language]
            if len({x.lower() for x in langs}) != len(langs):
                out.append(f)
    return out


def _bad_values(index: Index, key, nodes, test: tuple) -> list:
    """The nodes (of ``nodes``) that may break the value-level constraint ``test``: whole groups
    of one kind, datatype and language decided at once, the others value by value; once per
    index for each test and path (shapes on several classes repeat a test on one path)."""
    def make():
        out = []
        for sig, values in index.groups(key, nodes).items():
            verdict = _group_verdict(test, sig)
            if verdict is True:
                out += values
            elif verdict is None:
                bad = _bad_value(test, index)
                out += [v for v in values if bad(v)]
        return out
    return index.cached(("bad", key, test), make)


_LANGSTRING_IRI, _LITERAL_IRI = str(RDF.langString), str(RDFS.Literal)


def _group_verdict(test: tuple, sig: tuple):
    """True: every node of the group may break ``test``; False: none does; None: value by value."""
    kind, (node_kind, datatype, language) = test[0], sig
    literal = node_kind == 2
    if kind == "datatype":
        if test[1].value == _LANGSTRING_IRI:  # a language tag with a base direction is of rdf:dirLangString
            return not (literal and datatype == _LANGSTRING_IRI)
        if test[1].value == _LITERAL_IRI:
            return not literal
        if not (literal and datatype == test[1].value):
            return True
        return None if test[2] is not None else False
    if kind == "kind":
        return node_kind not in {_TYPES[t] for t in test[1]}
    if kind == "languages":
        if not (literal and language):
            return True
        return not any(lang_matches(language, r) for r in test[1])
    if kind == "compare":
        return None if literal and any(dt.value == datatype for dt, _ in test[3]) else True
    if kind == "pattern":
        return None if node_kind == 0 or literal and datatype in STRINGS else True
    if kind == "class" and literal:
        return True
    return None


def _bad_value(test: tuple, index: Index):
    """``value -> bool`` for the groups :func:`_group_verdict` leaves undecided."""
    kind = test[0]
    if kind == "datatype":
        rx = test[2]

        def bad_form(v):
            text = v.value  # a new string at each reading
            return "\n" in text or not rx.match(text)
        return bad_form
    if kind == "compare":
        op, bound, forms = test[1], test[2], dict(test[3])

        def bad(v):
            d = _decimal(v, forms)
            return d is None or not op(d, bound)
        return bad
    if kind == "pattern":
        rx = test[1]

        def unmatched(v):
            text = v.value
            return "\n" in text or not rx.search(text)
        return unmatched
    if kind == "in":
        return lambda v: v not in test[1]
    if kind == "class":
        members = index.members(test[1])
        return lambda v: v not in members
    return lambda v: True
