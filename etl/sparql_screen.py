"""A cheap test, in Python over a document's triples, that a SHACL-SPARQL constraint of
``shapes/arithmetic.ttl`` has no solution for a focus node.

The arithmetic constraints (a total row or column against the sum of its parts, a total printed
blank) are the slowest SELECTs of a document, and on a built document they almost never find
anything. For each of them, :data:`SCREENS` holds a function that computes, from the triples the
store is loaded with (the document and its vocabulary), what the SELECT computes: the same
hierarchy of rows or columns, the same nearest printed total (the same ``MAX`` over the same
strings), the same exact decimal sums and tolerances. The query then runs only for the focus
nodes where a total may differ from its parts, so the findings, their messages and their order
are still the query's.

The screen is conservative: it over-approximates the solutions (the joins that only name the
finding, such as the table title or the column label, are left out) and says "may find"
whenever the triples are not in the form it computes on: a cell with two amounts, a literal of
another datatype, a number the store would hold in another lexical form (the store canonicalises
``"01"^^xsd:integer`` to ``"1"``), and so on.

Each screen is keyed by the constraint's shape and a digest of its query text: when the text of
a shape changes, its screen is no longer used (the query runs everywhere) until it is reviewed
(tests/etl/test_sparql_screen.py fails meanwhile).

API: :func:`plan` ``(shape, query) -> callable | None``; a plan is called as
``plan(index, focus) -> bool`` (False only when the query has no solution for ``focus``;
``index``: a :class:`.shacl_screen.Index` of the document's triples).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation, localcontext

import pyoxigraph as ox

from budgetkg import names

from . import shacl_screen

_BKG = names.BKG
_SKOS = names.SKOS
_XSD = names.XSD
_P = {k: ox.NamedNode(v) for k, v in {
    "sourceDocument": _BKG + "sourceDocument", "hasLineItem": _BKG + "hasLineItem", "hasColumn": _BKG + "hasColumn",
    "classification": _BKG + "classification", "side": _BKG + "side", "fiscalYear": _BKG + "fiscalYear",
    "rowIndex": _BKG + "rowIndex", "lineItem": _BKG + "lineItem", "column": _BKG + "column", "amount": _BKG + "amount",
    "decimals": _BKG + "decimals", "budgetPhase": _BKG + "budgetPhase", "notation": _SKOS + "notation",
    "broader": _SKOS + "broader", "inScheme": _SKOS + "inScheme", "codeList": names.QB + "codeList",
}.items()}
_STRING = ox.NamedNode(_XSD + "string")
_INTEGER, _DECIMAL, _GYEAR = _XSD + "integer", _XSD + "decimal", _XSD + "gYear"
_TOTAL = ox.Literal("_T")  # skos:notation of a scheme's total concept (matched as a term, as the pattern does)
_NOT_APPLICABLE = ox.Literal("_Z")
_INT_FORM = re.compile(r"^[+-]?[0-9]+$")
_CANONICAL_INT = re.compile(r"^(0|-?[1-9][0-9]*)$")
_CANONICAL_YEAR = re.compile(r"^[0-9]{4}$")
_DECIMAL_FORM = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
# oxigraph's xsd:decimal: 18 fractional digits, about 1.7e20 at most; a figure beyond a safe part of
# that (or an overflowing sum) is left to the query.
_MAX_AMOUNT = Decimal(10) ** 15


class _Unsure(Exception):
    """The triples are not in the form the screen computes on: the query must run."""


# ---------------------------------------------------------------- terms as the store evaluates them


def _int(term) -> int:
    """The value of an ``xsd:integer`` literal."""
    if isinstance(term, ox.Literal) and term.datatype.value == _INTEGER and _INT_FORM.match(term.value):
        return int(term.value)
    raise _Unsure


def _amount(term) -> Decimal:
    """The value of an ``xsd:decimal`` or ``xsd:integer`` figure."""
    if isinstance(term, ox.Literal) and term.datatype.value in (_DECIMAL, _INTEGER) and _DECIMAL_FORM.match(term.value):
        try:
            d = Decimal(term.value)
        except InvalidOperation:
            raise _Unsure from None
        if abs(d) < _MAX_AMOUNT and d.as_tuple().exponent >= -18:
            return d
    raise _Unsure


def _half(term) -> Decimal:
    """``IF(?d = 0, 0.5, IF(?d = 1, 0.05, IF(?d = 2, 0.005, IF(?d = 3, 0.0005, 0.00005))))``."""
    d = _int(term)
    return Decimal(("0.5", "0.05", "0.005", "0.0005")[d]) if 0 <= d <= 3 else Decimal("0.00005")


def _str(term) -> str:
    """``STR(term)`` as the store gives it (it holds numbers and dates in canonical form)."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if term.language or dt == _STRING.value:
            return term.value
        if dt == _INTEGER and _CANONICAL_INT.match(term.value) or dt == _GYEAR and _CANONICAL_YEAR.match(term.value):
            return term.value
    raise _Unsure


def _plain(term) -> str:
    """The value of an ``xsd:string`` literal (compared with ``=`` to a string)."""
    if isinstance(term, ox.Literal) and term.datatype == _STRING and not term.language:
        return term.value
    raise _Unsure


def _one(values):
    """The only value (a cell with two amounts is grouped by the store's terms, not the triples')."""
    if len(values) != 1:
        raise _Unsure
    return values[0]


# ---------------------------------------------------------------- the hierarchy of a document


class _Doc:
    """The maps of one document the arithmetic screens ask for (built from a
    :class:`.shacl_screen.Index`, each once)."""

    def __init__(self, index):
        self.index = index
        self.f = {k: index.forward(p) for k, p in _P.items()}
        self.i = {k: index.inverse(p) for k, p in _P.items()}
        self._above: dict = {}
        self._depth: dict = {}
        self._cells = None
        self._dims = None

    def values(self, name, node) -> list:
        return self.f[name].get(node, ())

    def above(self, cc) -> set:
        """The concepts a part of ``cc`` may add up to: ``skos:broader+``, and the total
        concept (notation "_T") of each of its schemes."""
        out = self._above.get(cc)
        if out is None:
            out = set()
            todo = list(self.values("broader", cc))
            while todo:
                b = todo.pop()
                if b not in out:
                    out.add(b)
                    todo.extend(self.values("broader", b))
            for s in self.values("inScheme", cc):
                out.update(pc for pc in self.i["inScheme"].get(s, ()) if pc != cc and _TOTAL in self.values("notation", pc))
            self._above[cc] = out
        return out

    def depth(self, pc) -> set:
        """The values of ``?depth``: 0 for a total concept, else 1 + the broader concepts above
        ``pc`` (up to three), once per chain of the nested OPTIONALs."""
        out = self._depth.get(pc)
        if out is None:
            if _TOTAL in self.values("notation", pc):
                out = {0}
            else:
                def chains(node, level):
                    ups = self.values("broader", node)
                    if level == 3 or not ups:
                        return {level}
                    return set().union(*(chains(b, level + 1) for b in ups))
                out = {1 + n for n in chains(pc, 0)}
            self._depth[pc] = out
        return out

    def years(self, node) -> set:
        """``COALESCE(STR(?year), "")`` for each year of ``node``."""
        return {_str(y) for y in self.values("fiscalYear", node)} or {""}

    def sides(self, node) -> set:
        return {_plain(s) for s in self.values("side", node)} or {""}

    def cells(self) -> dict:
        """(line item, column) -> the observations of that cell."""
        if self._cells is None:
            out: dict = defaultdict(list)
            column = self.f["column"]
            for obs, items in self.f["lineItem"].items():
                for item in items:
                    for col in column.get(obs, ()):
                        out[item, col].append(obs)
            self._cells = dict(out)
        return self._cells

    def part(self, obs):
        """(column, line item, amount, half a unit) of an observation summed as a part, or None
        when it has no amount or no precision (the SELECT's pattern requires both)."""
        amounts, decimals = self.values("amount", obs), self.values("decimals", obs)
        if not amounts or not decimals:
            return None
        return (_one(self.values("column", obs)), _one(self.values("lineItem", obs)), _amount(_one(amounts)),
                _half(_one(decimals)))

    def printed(self, obs) -> bool:
        return bool(self.values("amount", obs))

    def dimensions(self) -> list:
        """The properties with a code list (``?dim qb:codeList ?list``)."""
        if self._dims is None:
            self._dims = sorted(self.f["codeList"], key=str)
        return self._dims

    def coded(self, col) -> list:
        """(dimension, concept) of a column on every coded dimension."""
        return [(dim, c) for dim in self.dimensions() for c in self.index.forward(dim).get(col, ())]


def _tables(doc: _Doc, this) -> list:
    return doc.i["sourceDocument"].get(this, ())


# ---------------------------------------------------------------- rows: RowSum, RowBlankTotal


def _row_pairs(doc: _Doc, this):
    """(part row, total row, depth, above) as the SELECT DISTINCT of RowSum (and the grouped
    SELECT of RowBlankTotal) gives them."""
    out = set()
    for ds in _tables(doc, this):
        rows = set(doc.values("hasLineItem", ds))
        for crow in doc.values("hasLineItem", ds):
            if any(_plain(s) in ("in", "out") for s in doc.values("side", crow)):
                continue
            cri = [_int(x) for x in doc.values("rowIndex", crow)]
            cyears = doc.years(crow)
            for cc in doc.values("classification", crow):
                if _NOT_APPLICABLE in doc.values("notation", cc):
                    continue
                for pc in doc.above(cc):
                    for prow in doc.i["classification"].get(pc, ()):
                        if prow not in rows or cyears.isdisjoint(doc.years(prow)):
                            continue
                        for depth in doc.depth(pc):
                            for c in cri:
                                for p in (_int(x) for x in doc.values("rowIndex", prow)):
                                    out.add((crow, prow, depth, str(1000000 + (p if p < c else 0))[1:]))
    return out


def _row_parts(doc: _Doc, rows) -> dict:
    """part row -> its part cells (column, amount, half a unit)."""
    out: dict = defaultdict(list)
    for crow in rows:
        for obs in doc.i["lineItem"].get(crow, ()):
            part = doc.part(obs)
            if part is not None:
                out[crow].append((obs, part[0], part[2], part[3]))
    return out


def _differs(doc: _Doc, totals: dict) -> bool:
    """Whether a printed total of ``totals`` ((total observation, key) -> [expected, tolerance])
    is beyond its tolerance from its parts: ``ABS(?printed - ?expected) > ?ctol + half(?pd)``."""
    for (value, _), (expected, tol) in totals.items():
        for printed in doc.values("amount", value):
            for pd in doc.values("decimals", value):
                if abs(_amount(printed) - expected) > tol + _half(pd):
                    return True
    return False


def _blank_differs(groups: dict) -> bool:
    return any(abs(expected) > tol for expected, tol in groups.values())


def _add(groups: dict, key, amount: Decimal, half: Decimal) -> None:
    g = groups.get(key)
    if g is None:
        groups[key] = [amount, half]
    else:
        g[0] += amount
        g[1] += half


def row_sum(doc: _Doc, this) -> bool:
    pairs = _row_pairs(doc, this)
    parts = _row_parts(doc, {p[0] for p in pairs})
    cells = doc.cells()
    nearest: dict = {}  # part observation -> MAX(depth above total observation)
    for crow, prow, depth, above in pairs:
        for obs, col, _, _ in parts.get(crow, ()):
            for pobs in cells.get((prow, col), ()):
                if doc.printed(pobs):
                    key = f"{depth} {above} {pobs.value}"
                    if nearest.get(obs, "") < key:
                        nearest[obs] = key
    totals: dict = {}
    for crow, cell_parts in parts.items():
        for obs, col, amount, half in cell_parts:
            if obs in nearest:
                _add(totals, (ox.NamedNode(nearest[obs].split(" ", 2)[2]), col), amount, half)
    return _differs(doc, totals)


def row_blank_total(doc: _Doc, this) -> bool:
    nearest: dict = {}  # part row -> MAX(depth above total row)
    for crow, prow, depth, above in _row_pairs(doc, this):
        key = f"{depth} {above} {prow.value}"
        if nearest.get(crow, "") < key:
            nearest[crow] = key
    cells = doc.cells()
    groups: dict = {}
    for crow, cell_parts in _row_parts(doc, nearest).items():
        value = ox.NamedNode(nearest[crow].split(" ", 2)[2])
        for _, col, amount, half in cell_parts:
            if (value, col) not in cells:
                _add(groups, (value, col), amount, half)
    return _blank_differs(groups)


# ---------------------------------------------------------------- columns: ColumnSum, ColumnBlankTotal


def _column_pairs(doc: _Doc, this, same_side: bool):
    """(part column, total column, depth) as the SELECT DISTINCT of ColumnSum (``same_side``:
    of ColumnBlankTotal) gives them."""
    out = set()
    budget_phase = _P["budgetPhase"]
    for ds in _tables(doc, this):
        columns = set(doc.values("hasColumn", ds))
        for ccol in doc.values("hasColumn", ds):
            coded = doc.coded(ccol)
            cyears = doc.years(ccol)
            for dim, cc in coded:
                if _NOT_APPLICABLE in doc.values("notation", cc) or dim == budget_phase:
                    continue
                # the part's concepts on the other coded dimensions (but totals) must be the total column's too
                others = [(odim, oc) for odim, oc in coded if odim != dim and _TOTAL not in doc.values("notation", oc)]
                by_dim = doc.index.inverse(dim)
                for pc in doc.above(cc):
                    for pcol in by_dim.get(pc, ()):
                        if pcol not in columns or cyears.isdisjoint(doc.years(pcol)):
                            continue
                        if any(oc not in doc.index.forward(odim).get(pcol, ()) for odim, oc in others):
                            continue
                        if same_side and doc.sides(ccol).isdisjoint(doc.sides(pcol)):
                            continue
                        for depth in doc.depth(pc):
                            out.add((ccol, pcol, depth))
    return out


def _column_parts(doc: _Doc, columns) -> dict:
    """part column -> its part cells (observation, line item, amount, half a unit)."""
    out: dict = defaultdict(list)
    for ccol in columns:
        for obs in doc.i["column"].get(ccol, ()):
            part = doc.part(obs)
            if part is not None:
                out[ccol].append((obs, part[1], part[2], part[3]))
    return out


def column_sum(doc: _Doc, this) -> bool:
    pairs = _column_pairs(doc, this, False)
    parts = _column_parts(doc, {p[0] for p in pairs})
    cells = doc.cells()
    nearest: dict = {}  # part observation -> MAX(depth total observation)
    for ccol, pcol, depth in pairs:
        for obs, row, _, _ in parts.get(ccol, ()):
            for pobs in cells.get((row, pcol), ()):
                if doc.printed(pobs):
                    key = f"{depth} {pobs.value}"
                    if nearest.get(obs, "") < key:
                        nearest[obs] = key
    totals: dict = {}
    for cell_parts in parts.values():
        for obs, row, amount, half in cell_parts:
            if obs in nearest:
                _add(totals, (ox.NamedNode(nearest[obs].split(" ", 1)[1]), row), amount, half)
    return _differs(doc, totals)


def column_blank_total(doc: _Doc, this) -> bool:
    pairs = _column_pairs(doc, this, True)
    totals_of: dict = defaultdict(list)
    for ccol, tcol, depth in pairs:
        totals_of[ccol].append(f"{depth} {tcol.value}")
    cells = doc.cells()
    groups: dict = {}
    for ccol, cell_parts in _column_parts(doc, totals_of).items():
        pcol = ox.NamedNode(max(totals_of[ccol]).split(" ", 1)[1])
        for _, row, amount, half in cell_parts:
            if (row, pcol) not in cells:
                _add(groups, (row, pcol), amount, half)
    return _blank_differs(groups)


# ---------------------------------------------------------------- the screens, by constraint


def digest(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8")).hexdigest()[:16]


#: shape IRI -> (digest of the constraint's query as compiled, with its PREFIX lines; the screen)
SCREENS = {
    names.SHAPES + "RowSum": ("c517dc81dac3fb24", row_sum),
    names.SHAPES + "RowBlankTotal": ("a1841d80c7acdd99", row_blank_total),
    names.SHAPES + "ColumnSum": ("dd1852463170c58a", column_sum),
    names.SHAPES + "ColumnBlankTotal": ("e0b7b75674c9e7e1", column_blank_total),
}


def plan(shape, query: str):
    """The screen of the SHACL-SPARQL constraint of ``shape`` whose query is ``query``, or None
    (no screen, or one written for another text of the query)."""
    known = SCREENS.get(str(shape))
    if known is None or known[0] != digest(query):
        return None
    return _screened(known[1])


def _screened(compute):
    def may_find(index, focus) -> bool:
        try:
            with shacl_screen.gc_paused(), localcontext() as ctx:
                doc = index.cached("sparql_screen", lambda: _Doc(index))
                ctx.prec = 60  # exact sums of figures below 1e15 with 18 fractional digits
                return compute(doc, focus)
        except _Unsure:
            return True
    may_find.__name__ = compute.__name__
    return may_find
