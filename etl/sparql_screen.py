"""A cheap test, in Python over a document's triples, that a SHACL-SPARQL constraint has no
solution for a focus node.

The arithmetic constraints of ``shapes/arithmetic.ttl`` (a total row or column against the sum of
its parts, a total printed blank, the two sides of a summary table, one figure printed in two
tables) and the table-structure constraints (the data cube's IC-11 to IC-16 and IC-19, an observation's
classification, a dimension's values from its code list) are
the slowest SELECTs of a document, and on a built document they almost never find anything. For
each of them, :data:`SCREENS` holds a function that computes, from the triples the store is loaded
with (the document and its vocabulary), what the SELECT computes: the same hierarchy of rows or
columns, the same nearest printed total (the same ``MAX`` over the same strings), the same exact
decimal sums and tolerances, the same ``$currentShape`` choice between a difference and a rounding.
The query then runs only for the focus nodes where it may have a solution, so the findings, their
messages and their order are still the query's.

The screen is conservative: it over-approximates the solutions (the joins that only name the
finding, such as the table title or the column label, are left out) and says "may find"
whenever the triples are not in the form it computes on: a cell with two amounts, a literal of
another datatype, a number the store would hold in another lexical form (the store canonicalises
``"01"^^xsd:integer`` to ``"1"``), and so on. A sum counts each solution as the store does: each
value once however often the triples repeat it.

Each screen is keyed by the constraint's shape and a digest of its query text: when the text of
a shape changes, its screen is no longer used (the query runs everywhere) until it is reviewed
(tests/etl/test_sparql_screen.py fails meanwhile).

API: :func:`plan` ``(shape, query, screens=SCREENS) -> callable | None``; a plan is called as
``plan(index, focus) -> bool`` (False only when the query has no solution for ``focus``;
``index``: a :class:`.shacl_screen.Index` of the document's triples).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from functools import lru_cache, partial
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
    "parentLine": _BKG + "parentLine", "columnRole": _BKG + "columnRole", "tableKind": _BKG + "tableKind",
    "unitMultiplier": _BKG + "unitMultiplier", "fundSource": _BKG + "fundSource", "expenditureType": _BKG + "expenditureType",
}.items()}
_CL = {k: ox.NamedNode(names.CL + k) for k in (
    "fund-source/current-year", "fund-source/_T", "summary-item/income-total-current", "summary-item/expenditure-total-current",
    "summary-item/income-grand-total", "summary-item/expenditure-grand-total", "functional/_T", "economic/_T",
    "functional", "economic", "phase/budget", "expenditure-type/_T", "expenditure-type/basic",
    "table-kind/income_expenditure_summary", "table-kind/appropriation_summary", "table-kind/expenditure",
    "table-kind/income", "table-kind/general_budget_expenditure", "table-kind/government_fund_expenditure",
    "table-kind/state_capital_expenditure", "table-kind/general_budget_basic_expenditure")}
# the current-year totals of a summary table's sides (本年收入合计, 本年支出合计) and its grand totals (总计)
_CURRENT = frozenset(_CL[k] for k in ("fund-source/current-year", "summary-item/income-total-current",
                                      "summary-item/expenditure-total-current"))
_GRAND = frozenset(_CL[k] for k in ("summary-item/income-grand-total", "summary-item/expenditure-grand-total"))
_IN, _OUT, _AMOUNT_ROLE = ox.Literal("in"), ox.Literal("out"), ox.Literal("amount")
_RDF_TYPE = shacl_screen._TYPE
_QB_STRUCTURE, _QB_COMPONENT, _QB_DIMENSION, _QB_DATASET = (ox.NamedNode(names.QB + p) for p in (
    "structure", "component", "dimension", "dataSet"))
_QB_REQUIRED, _QB_ATTRIBUTE, _QB_MEASURE, _QB_MEASURE_TYPE = (ox.NamedNode(names.QB + p) for p in (
    "componentRequired", "attribute", "measure", "measureType"))
_SKOS_SCHEME, _SKOS_CONCEPT = ox.NamedNode(_SKOS + "ConceptScheme"), ox.NamedNode(_SKOS + "Concept")
_BUDGET_OBSERVATION = ox.NamedNode(_BKG + "BudgetObservation")
# The predicates whose objects the screens join on (nodes, never literals, in a built document).
_JOINS = ("sourceDocument", "hasLineItem", "hasColumn", "classification", "lineItem", "column", "broader", "inScheme",
          "codeList")
_NAMED = frozenset({ox.NamedNode})
_STRING, _BOOLEAN = ox.NamedNode(_XSD + "string"), ox.NamedNode(_XSD + "boolean")
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


# The screens read the same terms again and again (a row's index, a cell's precision and amount, a concept's
# label, each in several screens), and a term's value is the same wherever it is: each reading below keeps its
# values by term (not its _Unsure: that is raised again), a document's worth of them (a document has some
# thousands of distinct figures), so that the cache stays small across documents.
_TERMS_KEPT = 1 << 14
by_term = lru_cache(maxsize=_TERMS_KEPT)


# ---------------------------------------------------------------- terms as the store evaluates them


@by_term
def _int(term) -> int:
    """The value of an ``xsd:integer`` literal (one the store reads: it holds integers in 64 bits, and
    a comparison with one it cannot read fails, which may leave a whole ``MAX`` unbound)."""
    if isinstance(term, ox.Literal) and term.datatype.value == _INTEGER and _INT_FORM.match(term.value):
        value = int(term.value)
        if abs(value) < _MAX_AMOUNT:
            return value
    raise _Unsure


@by_term
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


@by_term
def _half(term) -> Decimal:
    """``IF(?d = 0, 0.5, IF(?d = 1, 0.05, IF(?d = 2, 0.005, IF(?d = 3, 0.0005, 0.00005))))``."""
    d = _int(term)
    return Decimal(("0.5", "0.05", "0.005", "0.0005")[d]) if 0 <= d <= 3 else Decimal("0.00005")


@by_term
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


@by_term
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


def _distinct(m: dict) -> dict:
    """``m`` (node -> list) with each list's repeated values once (a copy only when one repeats)."""
    if max(map(len, m.values()), default=0) < 2 or all(len(vs) == 1 or len(set(vs)) == len(vs) for vs in m.values()):
        return m  # (the first test, in C, holds for most maps: a value per node)
    return {k: list(dict.fromkeys(vs)) for k, vs in m.items()}


_UNMADE = object()  # a key _Doc.memo has not made yet


class _Inverse(dict):
    """name of :data:`_P` -> its inverse map (object -> subjects), each value once, made when first asked
    (the screens ask for a few: those of literals, such as the amounts', are long and never asked)."""

    def __init__(self, index):
        super().__init__()
        self.index = index

    def __missing__(self, name):
        out = self[name] = _distinct(self.index.inverse(_P[name]))
        return out


class _Doc:
    """The maps of one document the arithmetic screens ask for (built from a
    :class:`.shacl_screen.Index`, each once)."""

    def __init__(self, index):
        self.index = index
        # each value once, as in the store (the triples may repeat one); the maps are shared with the index
        self.f = {k: _distinct(index.forward(p)) for k, p in _P.items()}
        self.i = _Inverse(index)
        self._above: dict = {}
        self._depth: dict = {}
        self._years: dict = {}
        self._sides: dict = {}
        self._cells = None
        self._dims = None
        self._memo: dict = {}
        self.verdicts: dict = {}  # (screen, focus node) -> may find
        # The screens join nodes by their terms, the store by its own: it holds "01"^^xsd:integer as "1"
        # (two terms here, one there), and a MAX over the STR of a blank node is unbound. Both never
        # occur in a built document; where they do, every screen leaves the document to the queries.
        # (pyoxigraph's term classes are final: a type test is an isinstance test, and map(type, ...) runs in C)
        self.plain = all(_NAMED.issuperset(map(type, m)) for m in self.f.values()) and all(
            _NAMED.issuperset(map(type, vs)) for k in _JOINS for vs in self.f[k].values()) and all(
            _NAMED.issuperset(map(type, vs)) for dim in self.dimensions() for vs in index.forward(dim).values())

    def memo(self, key, make):
        """``make()``, once per document (what two screens of one hierarchy share; None too)."""
        out = self._memo.get(key, _UNMADE)
        if out is _UNMADE:
            out = self._memo[key] = make()
        return out

    def values(self, name, node) -> list:
        return self.f[name].get(node, ())

    def above(self, cc) -> set:
        """The concepts a part of ``cc`` may add up to: ``skos:broader+``, and the total
        concept (notation "_T") of each of its schemes."""
        out = self._above.get(cc)
        if out is None:
            out = _broader_plus(self, cc)
            for s in self.values("inScheme", cc):
                out.update(pc for pc in self.totals(s) if pc != cc)
            self._above[cc] = out
        return out

    def totals(self, scheme) -> list:
        """The total concepts (notation "_T") of ``scheme``, found once per scheme (not once per concept in it)."""
        return self.memo(("totals", scheme), lambda: [
            pc for pc in self.i["inScheme"].get(scheme, ()) if _TOTAL in self.values("notation", pc)])

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
        """``COALESCE(STR(?year), "")`` for each year of ``node`` (once per node: the set is shared, never changed)."""
        out = self._years.get(node)
        if out is None:
            out = self._years[node] = {_str(y) for y in self.values("fiscalYear", node)} or {""}
        return out

    def sides(self, node) -> set:
        out = self._sides.get(node)
        if out is None:
            out = self._sides[node] = {_plain(s) for s in self.values("side", node)} or {""}
        return out

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
        when it has no amount or no precision (the SELECT's pattern requires both); read once per observation
        (the row, column and summary screens sum the same cells)."""
        def make():  # (nothing is kept when a value is not in a form the screen computes: _Unsure is raised)
            amounts, decimals = self.values("amount", obs), self.values("decimals", obs)
            if not amounts or not decimals:
                return None
            return (_one(self.values("column", obs)), _one(self.values("lineItem", obs)), _amount(_one(amounts)),
                    _half(_one(decimals)))
        return self.memo(("part", obs), make)

    def printed(self, obs) -> bool:
        return bool(self.values("amount", obs))

    def dimensions(self) -> list:
        """The properties with a code list (``?dim qb:codeList ?list``)."""
        if self._dims is None:
            self._dims = sorted(self.f["codeList"], key=str)
        return self._dims

    def coded(self, col) -> list:
        """(dimension, concept) of a column on every coded dimension."""
        return [(dim, c) for dim in self.dimensions() for c in dict.fromkeys(self.index.forward(dim).get(col, ()))]


def _tables(doc: _Doc, this) -> list:
    return doc.i["sourceDocument"].get(this, ())


# ---------------------------------------------------------------- rows: RowSum, RowBlankTotal


def _row_pairs(doc: _Doc, this):
    """(part row, total row, depth, above) as the SELECT DISTINCT of RowSum (and the grouped
    SELECT of RowBlankTotal) gives them."""
    return doc.memo(("row pairs", this), lambda: _find_row_pairs(doc, this))


def _find_row_pairs(doc: _Doc, this):
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
                                for p in _rows(doc, prow):
                                    out.add((crow, prow, depth, str(1000000 + (p if p < c else 0))[1:]))
    return out


def _parts(doc: _Doc, nodes, along: str) -> dict:
    """part row (``along`` "lineItem") or part column ("column") -> its part cells (observation, the
    cell's column or line item, amount, half a unit)."""
    other = 0 if along == "lineItem" else 1  # doc.part gives (column, line item, amount, half a unit)
    out: dict = {}
    for node in nodes:
        cells = doc.memo((along, node), lambda node=node: [
            (obs, part[other], part[2], part[3]) for obs in doc.i[along].get(node, ()) if (part := doc.part(obs)) is not None])
        if cells:
            out[node] = cells
    return out


def _row_parts(doc: _Doc, rows) -> dict:
    return _parts(doc, rows, "lineItem")


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
    return _parts(doc, columns, "column")


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


# ---------------------------------------------------------------- two-sided summary tables


def _rows(doc: _Doc, node) -> list:
    """The row indexes of ``node`` (each value once: the store holds "01" and "1" as one term), read once per node."""
    return doc.memo(("rows", node), lambda: list(dict.fromkeys(_int(x) for x in doc.values("rowIndex", node))))


def _sides(doc: _Doc, node) -> list:
    """The sides of a line (joined as terms: strings, which the store keeps as they are)."""
    out = doc.values("side", node)
    for side in out:
        _plain(side)
    return out


def _under_parent(doc: _Doc, r, col0) -> bool:
    """``?r bkg:parentLine+ ?pl . ?plo bkg:lineItem ?pl ; bkg:column ?col0``."""
    cells = doc.cells()
    seen, todo = set(), list(doc.values("parentLine", r))
    while todo:
        pl = todo.pop()
        if pl in seen:
            continue
        seen.add(pl)
        if (pl, col0) in cells:
            return True
        todo.extend(doc.values("parentLine", pl))
    return False


def _broader_star(doc: _Doc, c) -> set:
    return {c} | _broader_plus(doc, c)


def _broader_plus(doc: _Doc, c) -> set:
    out, todo = set(), list(doc.values("broader", c))
    while todo:
        b = todo.pop()
        if b not in out:
            out.add(b)
            todo.extend(doc.values("broader", b))
    return out


def _total_differs(doc: _Doc, groups: dict) -> bool:
    """``OPTIONAL { ?tobs lineItem ?trow ; column ?col0 ; amount ?ta ; decimals ?td }`` and
    ``ABS(COALESCE(?ta, 0) - ?expected) > ?ptol + half(?td)`` for each (table, total line, column)."""
    cells = doc.cells()
    for (_, trow, col0), (expected, ptol) in groups.items():
        printed = [(a, _half(d)) for obs in cells.get((trow, col0), ())
                   for a in doc.values("amount", obs) for d in doc.values("decimals", obs)] or [(None, Decimal(0))]
        for a, half in printed:
            if abs((Decimal(0) if a is None else _amount(a)) - expected) > ptol + half:
                return True
    return False


def summary_current_totals(doc: _Doc, this) -> bool:
    """本年收入合计 / 本年支出合计 against the lines above them on their side."""
    tables = _tables(doc, this)
    cells = doc.cells()

    def under_line(r, col0) -> bool:
        # a line printing in the column above ``r`` on its side whose concept is above ``r``'s
        for ds in tables:
            lines = doc.values("hasLineItem", ds)
            if r not in lines:
                continue
            for side in set(_sides(doc, r)):
                if not any(side in _sides(doc, t) and _CURRENT.intersection(doc.values("classification", t)) for t in lines):
                    continue
                above = set().union(*(_broader_plus(doc, rc) for rc in doc.values("classification", r)))
                for q in lines:
                    if (side in _sides(doc, q) and above.intersection(doc.values("classification", q)) and (q, col0) in cells
                            and any(qi < ri for qi in _rows(doc, q) for ri in _rows(doc, r))):
                        return True
        return False

    groups: dict = {}
    for ds in tables:
        lines = doc.values("hasLineItem", ds)
        for trow in lines:
            for _tc in _CURRENT.intersection(doc.values("classification", trow)):
                for side in _sides(doc, trow):
                    for ti in _rows(doc, trow):
                        for r in lines:
                            for _ in (x for x in _sides(doc, r) if x == side):
                                for ri in _rows(doc, r):
                                    if not ri < ti:
                                        continue
                                    for obs in doc.i["lineItem"].get(r, ()):
                                        part = doc.part(obs)
                                        if part is None or under_line(r, part[0]) or _under_parent(doc, r, part[0]):
                                            continue
                                        _add(groups, (ds, trow, part[0]), part[2], part[3])
    return _total_differs(doc, groups)


def summary_grand_totals(doc: _Doc, this) -> bool:
    """收入总计 / 支出总计 against the current-year total and the lines between."""
    tables = _tables(doc, this)
    current_year = _CL["fund-source/current-year"]
    coded = {_CL["functional"], _CL["economic"]}

    def under_line(r, ci) -> bool:
        for ds in tables:
            lines = doc.values("hasLineItem", ds)
            if r not in lines:
                continue
            for crow in lines:
                if not _CURRENT.intersection(doc.values("classification", crow)) or ci not in _rows(doc, crow):
                    continue
                for side in set(_sides(doc, crow)).intersection(_sides(doc, r)):
                    above = set().union(*(_broader_plus(doc, rc) for rc in doc.values("classification", r)))
                    for ri in _rows(doc, r):
                        if not ri > ci:
                            continue
                        for up in lines:
                            if (side in _sides(doc, up) and above.intersection(doc.values("classification", up))
                                    and any(ci <= ui < ri for ui in _rows(doc, up))):
                                return True
        return False

    groups: dict = {}
    for ds in tables:
        lines = doc.values("hasLineItem", ds)
        for grow in lines:
            for _gc in _GRAND.intersection(doc.values("classification", grow)):
                for side in _sides(doc, grow):
                    for gi in _rows(doc, grow):
                        for crow in lines:
                            for _cc in _CURRENT.intersection(doc.values("classification", crow)):
                                for _ in (x for x in _sides(doc, crow) if x == side):
                                    for ci in _rows(doc, crow):
                                        if not ci < gi:
                                            continue
                                        _grand_parts(doc, groups, ds, lines, grow, side, ci, gi, current_year, coded, under_line)
    return _total_differs(doc, groups)


def _grand_parts(doc, groups, ds, lines, grow, side, ci, gi, current_year, coded, under_line) -> None:
    for r in lines:
        for _ in (x for x in _sides(doc, r) if x == side):
            for ri in _rows(doc, r):
                if not ci <= ri < gi:
                    continue
                for obs in doc.i["lineItem"].get(r, ()):
                    part = doc.part(obs)
                    if part is None:
                        continue
                    for rc in doc.values("classification", r) or [None]:
                        if ri != ci and rc is not None and (current_year in _broader_star(doc, rc)
                                                            or coded.intersection(doc.values("inScheme", rc))):
                            continue
                        if under_line(r, ci) or _under_parent(doc, r, part[0]):
                            continue
                        _add(groups, (ds, grow, part[0]), part[2], part[3])


def _only_totals(doc: _Doc, col) -> bool:
    """No concept but a total (notation "_T") on a coded dimension of ``col`` other than the phase."""
    return all(dim == _P["budgetPhase"] or _TOTAL in doc.values("notation", c) for dim, c in doc.coded(col))


def summary_balance(doc: _Doc, this) -> bool:
    """本年收入合计 = 本年支出合计 (a budget), 收入总计 = 支出总计."""
    budget = _CL["phase/budget"] in doc.values("budgetPhase", this)
    cells = doc.cells()
    income_current = {_CL["fund-source/current-year"], _CL["summary-item/income-total-current"]}

    def printed(line, col):
        """(amount, half) of ``OPTIONAL { ?obs lineItem ?line ; column ?col ; amount ?a ; decimals ?d }``."""
        out = [(_amount(a), _half(d)) for obs in cells.get((line, col), ())
               for a in doc.values("amount", obs) for d in doc.values("decimals", obs)]
        return out or [(None, Decimal(0))]

    def grand(ds, side, cls, col):
        """The amounts of the table's grand total of ``side`` in ``col`` (None when there is none)."""
        out = [_amount(a) for g in doc.values("hasLineItem", ds) if side in doc.values("side", g)
               and cls in doc.values("classification", g) for obs in cells.get((g, col), ()) for a in doc.values("amount", obs)]
        return out or [None]

    for ds in _tables(doc, this):
        lines = doc.values("hasLineItem", ds)
        columns = doc.values("hasColumn", ds)
        icols = [c for c in columns if _IN in _sides(doc, c) and _AMOUNT_ROLE in doc.values("columnRole", c) and _only_totals(doc, c)]
        ocols = [c for c in columns if _OUT in _sides(doc, c) and _AMOUNT_ROLE in doc.values("columnRole", c) and _only_totals(doc, c)]
        if not icols or not ocols:
            continue
        ins = [(i, ic) for i in lines if _IN in _sides(doc, i) for ic in doc.values("classification", i)]
        outs = [(o, oc) for o in lines if _OUT in _sides(doc, o) for oc in doc.values("classification", o)]
        for i, ic in ins:
            for o, oc in outs:
                grand_totals = ic == _CL["summary-item/income-grand-total"] and oc == _CL["summary-item/expenditure-grand-total"]
                if not (grand_totals or ic in income_current and oc == _CL["summary-item/expenditure-total-current"] and budget):
                    continue
                for icol in icols:
                    for ocol in ocols:
                        for ia, ih in printed(i, icol):
                            for oa, oh in printed(o, ocol):
                                if ia is None and oa is None:
                                    continue
                                ia0, oa0 = ia if ia is not None else Decimal(0), oa if oa is not None else Decimal(0)
                                if not grand_totals and not any(
                                        (iga is None or iga == ia0) and (oga is None or oga == oa0)
                                        for iga in grand(ds, _IN, _CL["summary-item/income-grand-total"], icol)
                                        for oga in grand(ds, _OUT, _CL["summary-item/expenditure-grand-total"], ocol)):
                                    continue
                                if abs(ia0 - oa0) > ih + oh:
                                    return True
    return False


# ---------------------------------------------------------------- one figure printed in two tables


def _power(term) -> Decimal:
    """``IF(?m = 0, 1, IF(?m = 3, 1000, IF(?m = 4, 10000, IF(?m = 6, 1000000, 100000000))))``."""
    return Decimal({0: 1, 3: 1000, 4: 10000, 6: 1000000}.get(_int(term), 100000000))


def _figures(doc: _Doc, obs) -> list:
    """(amount x 10^m, half a unit x 10^m) of each amount, precision and unit of ``obs``."""
    return [(_amount(a) * _power(m), _half(d) * _power(m)) for a in doc.values("amount", obs)
            for d in doc.values("decimals", obs) for m in doc.values("unitMultiplier", obs)]


def _disagree(pairs, rounding: bool) -> bool:
    """``?gap > ?half && IF(?rounding, ?gap <= 2 * ?half, ?gap > 2 * ?half)`` for a pair of figures."""
    for (sa, st), (ea, et) in pairs:
        gap, half = abs(sa - ea), max(st, et)
        if gap > half and (gap <= 2 * half if rounding else gap > 2 * half):
            return True
    return False


def _kind(doc: _Doc, this, kinds) -> list:
    """The tables of ``this`` of one of ``kinds`` (each table's kinds read once per document)."""
    tables = doc.memo(("table kinds", this), lambda: [(t, set(doc.values("tableKind", t))) for t in _tables(doc, this)])
    return doc.memo(("kind", this, frozenset(kinds)), lambda: [t for t, own in tables if not own.isdisjoint(kinds)])


def _line_cells(doc: _Doc, table, classes, side=None) -> list:
    """(line, class, observation) of the lines of ``table`` classified in ``classes`` (on ``side``)."""
    return [(r, c, obs) for r in doc.values("hasLineItem", table) if side is None or side in doc.values("side", r)
            for c in doc.values("classification", r) if classes is None or c in classes for obs in doc.i["lineItem"].get(r, ())]


def _typed(doc: _Doc, obs, prop, concept) -> bool:
    """Whether a column of ``obs`` has ``concept`` on ``prop``."""
    return any(concept in doc.index.forward(_P[prop]).get(col, ()) for col in doc.values("column", obs))


def summary_vs_expenditure(doc: _Doc, this, rounding: bool) -> bool:
    total, current = _CL["functional/_T"], _CL["summary-item/expenditure-total-current"]
    others = {}
    for e in _kind(doc, this, {_CL["table-kind/expenditure"]}):
        for _, k, eo in _line_cells(doc, e, None):
            if _typed(doc, eo, "expenditureType", _CL["expenditure-type/_T"]):
                others.setdefault(k, []).extend(_figures(doc, eo))
    for s in _kind(doc, this, {_CL["table-kind/income_expenditure_summary"]}):
        for _, c, obs in _line_cells(doc, s, None, _OUT):
            if c == total or not any(_only_totals(doc, col) for col in doc.values("column", obs)):
                continue
            theirs = others.get(total if c == current else c, ())
            if _disagree(((mine, other) for mine in _figures(doc, obs) for other in theirs), rounding):
                return True
    return False


def summary_vs_income(doc: _Doc, this, rounding: bool) -> bool:
    key = {_CL["summary-item/income-grand-total"]: _CL["fund-source/_T"],
           _CL["summary-item/income-total-current"]: _CL["fund-source/current-year"]}
    others = {}
    for e in _kind(doc, this, {_CL["table-kind/income"]}):
        columns = set(doc.values("hasColumn", e))
        for _, _, eo in _line_cells(doc, e, {_CL["functional/_T"]}):
            for ec in doc.values("column", eo):
                if ec in columns:
                    for k in doc.values("fundSource", ec):
                        others.setdefault(k, []).extend(_figures(doc, eo))
    for s in _kind(doc, this, {_CL["table-kind/income_expenditure_summary"]}):
        for _, c, obs in _line_cells(doc, s, None, _IN):
            theirs = others.get(key.get(c, c), ())
            if _disagree(((mine, other) for mine in _figures(doc, obs) for other in theirs), rounding):
                return True
    return False


def appropriation_vs_fund_tables(doc: _Doc, this, rounding: bool) -> bool:
    total, current = _CL["functional/_T"], _CL["summary-item/expenditure-total-current"]
    kinds = {_CL["table-kind/" + k] for k in ("general_budget_expenditure", "government_fund_expenditure",
                                              "state_capital_expenditure")}
    others = {}
    for e in _kind(doc, this, kinds):
        for _, k, eo in _line_cells(doc, e, None):
            if _typed(doc, eo, "expenditureType", _CL["expenditure-type/_T"]):
                for f in doc.values("fundSource", e):
                    others.setdefault((f, k), []).extend(_figures(doc, eo))
    for s in _kind(doc, this, {_CL["table-kind/appropriation_summary"]}):
        for _, c, obs in _line_cells(doc, s, None, _OUT):
            if c == total:
                continue
            k = total if c == current else c
            for sc in doc.values("column", obs):
                for f in doc.values("fundSource", sc):
                    theirs = others.get((f, k), ())
                    if _disagree(((mine, other) for mine in _figures(doc, obs) for other in theirs), rounding):
                        return True
    return False


def general_budget_basic(doc: _Doc, this, rounding: bool) -> bool:
    basic = _CL["expenditure-type/basic"]
    mine = [f for g in _kind(doc, this, {_CL["table-kind/general_budget_expenditure"]})
            for _, _, obs in _line_cells(doc, g, {_CL["functional/_T"]}) if _typed(doc, obs, "expenditureType", basic)
            for f in _figures(doc, obs)]
    theirs = [f for b in _kind(doc, this, {_CL["table-kind/general_budget_basic_expenditure"]})
              for _, _, obs in _line_cells(doc, b, {_CL["economic/_T"]}) if _typed(doc, obs, "expenditureType", basic)
              for f in _figures(doc, obs)]
    return _disagree(((a, b) for a in mine for b in theirs), rounding)


# ---------------------------------------------------------------- the data structure of a table (cube.ttl, codelists.ttl)


def _dimensions(doc: _Doc, table) -> list:
    """``$this qb:structure ?dsd . ?dsd qb:component ?c . ?c qb:dimension ?path``: the dimensions of a table."""
    f = doc.index.forward
    return list(dict.fromkeys(dim for dsd in f(_QB_STRUCTURE).get(table, ()) for c in f(_QB_COMPONENT).get(dsd, ())
                              for dim in f(_QB_DIMENSION).get(c, ())))


def all_dimensions_required(doc: _Doc, this) -> bool:
    """IC-11: an observation of the table with no value for a dimension of its structure."""
    observations = doc.index.inverse(_QB_DATASET).get(this, ())
    for dim in _dimensions(doc, this):
        values = doc.index.forward(dim)
        if any(obs not in values for obs in observations):
            return True
    return False


def codes_from_code_list(doc: _Doc, this) -> bool:
    """IC-19: an observation's value on a coded dimension that is not a concept of the dimension's code list."""
    f = doc.index.forward
    observations = doc.index.inverse(_QB_DATASET).get(this, ())
    for dim in _dimensions(doc, this):
        values = f(dim)
        for scheme in doc.values("codeList", dim):
            if _SKOS_SCHEME not in f(_RDF_TYPE).get(scheme, ()):
                continue
            for obs in observations:
                for code in values.get(obs, ()):
                    if _SKOS_CONCEPT not in f(_RDF_TYPE).get(code, ()) or scheme not in doc.values("inScheme", code):
                        return True
    return False


def observation_classification(doc: _Doc, this) -> bool:
    """An observation whose value on its row's coded dimension is not its row's classification."""
    f = doc.index.forward
    members = set(doc.index.inverse(_RDF_TYPE).get(_BUDGET_OBSERVATION, ()))
    coded = doc.i["codeList"]  # code list -> the properties that take it
    for ds in _tables(doc, this):
        dims = {dim for dsd in f(_QB_STRUCTURE).get(ds, ()) for c in f(_QB_COMPONENT).get(dsd, ())
                for dim in f(_QB_DIMENSION).get(c, ())}
        for row in doc.values("hasLineItem", ds):
            for concept in doc.values("classification", row):
                paths = [p for s in doc.values("inScheme", concept) for p in coded.get(s, ()) if p in dims]
                if not paths:
                    continue
                for obs in doc.i["lineItem"].get(row, ()):
                    if obs not in members:
                        continue
                    for p in paths:
                        got = f(p).get(obs, ())
                        if not got or any(v != concept for v in got):
                            return True
    return False


def _components(doc: _Doc, table) -> list:
    f = doc.index.forward
    return list(dict.fromkeys(c for dsd in f(_QB_STRUCTURE).get(table, ()) for c in f(_QB_COMPONENT).get(dsd, ())))


def _lacking(doc: _Doc, this, paths) -> bool:
    """Whether an observation of the table has no value on one of ``paths``."""
    observations = doc.index.inverse(_QB_DATASET).get(this, ())
    for path in paths:
        values = doc.index.forward(path)
        if any(obs not in values for obs in observations):
            return True
    return False


def required_attributes(doc: _Doc, this) -> bool:
    """IC-13: an observation with no value for a required attribute (``qb:componentRequired true``; a
    boolean "1" counts too, whether or not the store reads it as true)."""
    f = doc.index.forward
    required = [c for c in _components(doc, this) if any(
        isinstance(x, ox.Literal) and x.datatype == _BOOLEAN and x.value in ("true", "1")
        for x in f(_QB_REQUIRED).get(c, ()))]
    return _lacking(doc, this, [p for c in required for p in f(_QB_ATTRIBUTE).get(c, ())])


def _has_measure_type(doc: _Doc, dsd) -> bool:
    f = doc.index.forward
    return any(_QB_MEASURE_TYPE in f(_QB_DIMENSION).get(c, ()) for c in f(_QB_COMPONENT).get(dsd, ()))


def all_measures_present(doc: _Doc, this) -> bool:
    """IC-14: an observation with no value for a measure of a structure without qb:measureType."""
    f = doc.index.forward
    paths = [p for dsd in f(_QB_STRUCTURE).get(this, ()) if not _has_measure_type(doc, dsd)
             for c in f(_QB_COMPONENT).get(dsd, ()) for p in f(_QB_MEASURE).get(c, ())]
    return _lacking(doc, this, paths)


def measure_dimension_consistent(doc: _Doc, this) -> bool:
    """IC-15: an observation of a structure with qb:measureType and no value for its measure."""
    f = doc.index.forward
    if not any(_has_measure_type(doc, dsd) for dsd in f(_QB_STRUCTURE).get(this, ())):
        return False
    for obs in doc.index.inverse(_QB_DATASET).get(this, ()):
        if any(obs not in f(m) for m in f(_QB_MEASURE_TYPE).get(obs, ())):
            return True
    return False


def single_measure(doc: _Doc, this) -> bool:
    """IC-16: an observation of a structure with qb:measureType with a value for a measure other than its own."""
    f = doc.index.forward
    dsds = [dsd for dsd in f(_QB_STRUCTURE).get(this, ()) if _has_measure_type(doc, dsd)]
    paths = [p for dsd in dsds for c in f(_QB_COMPONENT).get(dsd, ()) for p in f(_QB_MEASURE).get(c, ())]
    for obs in doc.index.inverse(_QB_DATASET).get(this, ()):
        measures = f(_QB_MEASURE_TYPE).get(obs, ())
        if any(obs in f(p) and m != p for p in paths for m in measures):
            return True
    return False


def no_duplicate_observations(doc: _Doc, this) -> bool:
    """IC-12: two observations of the table on one (line item, column): the SELECT's first group.
    Counted on the triples' terms, never fewer than the store's."""
    seen: set = set()
    for obs in dict.fromkeys(doc.index.inverse(_QB_DATASET).get(this, ())):
        for li in doc.values("lineItem", obs):
            for col in doc.values("column", obs) or [None]:
                if (li, col) in seen:
                    return True
                seen.add((li, col))
    return False


def dimension_values(doc: _Doc, this) -> bool:
    """A coded dimension value that is not a concept of the dimension's code list (one of names.CL): of
    any node of the document, not only of the document, its tables and columns. With ``$this`` pre-bound
    as the store binds it (in the triple patterns, not in ``BIND ($this AS ?value)``, which leaves ?value
    unbound), the query's first branch matches every node."""
    for path in doc.dimensions():
        lists = [x for x in doc.values("codeList", path)
                 if isinstance(x, (ox.NamedNode, ox.Literal)) and x.value.startswith(names.CL)]
        if not lists:
            continue
        for codes in doc.index.forward(path).values():
            for code in codes:
                if any(x not in doc.values("inScheme", code) for x in lists):
                    return True
    return False


# ---------------------------------------------------------------- the screens, by constraint


def digest(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8")).hexdigest()[:16]


#: shape IRI -> (digest of the constraint's query as compiled, with its PREFIX lines; the screen)
SCREENS = {
    names.SHAPES + "RowSum": ("c517dc81dac3fb24", row_sum),
    names.SHAPES + "RowBlankTotal": ("a1841d80c7acdd99", row_blank_total),
    names.SHAPES + "ColumnSum": ("dd1852463170c58a", column_sum),
    names.SHAPES + "ColumnBlankTotal": ("e0b7b75674c9e7e1", column_blank_total),
    names.SHAPES + "SummaryCurrentTotals": ("19e8f46b029fd04e", summary_current_totals),
    names.SHAPES + "SummaryGrandTotals": ("7131d16d689eab8f", summary_grand_totals),
    names.SHAPES + "SummaryBalance": ("b416e188e3b5b3d1", summary_balance),
    names.SHAPES + "IC11-AllDimensionsRequired": ("6df2032125e98cc4", all_dimensions_required),
    names.SHAPES + "IC19-CodesFromCodeList": ("8d29ffa56a692eef", codes_from_code_list),
    names.SHAPES + "ObservationClassification": ("f004c8c3a5ced298", observation_classification),
    names.SHAPES + "IC12-NoDuplicateObservations": ("2f396e66ddcb6147", no_duplicate_observations),
    names.SHAPES + "IC13-RequiredAttributes": ("7399ffb25c166f1d", required_attributes),
    names.SHAPES + "IC14-AllMeasuresPresent": ("0f051575f3cf401f", all_measures_present),
    names.SHAPES + "IC15-MeasureDimensionConsistent": ("e8c0e3ee750c0b3c", measure_dimension_consistent),
    names.SHAPES + "IC16-SingleMeasure": ("63b11186566ae0d9", single_measure),
    names.SHAPES + "DimensionValuesShape": ("bb6a7ded5de64dc4", dimension_values),
}
# A check shared by two shapes ($currentShape tells which differences each reports): a Warning beyond one unit of
# the last printed digit, its Rounding (sh:Info) within one unit.
for _name, _digest, _compute in (("SummaryVsExpenditure", "e08df6c61a66a026", summary_vs_expenditure),
                                 ("SummaryVsIncome", "fa80365909943664", summary_vs_income),
                                 ("AppropriationVsFundTables", "5b79553200ebbfe5", appropriation_vs_fund_tables),
                                 ("GeneralBudgetBasic", "271ed7c9937b2017", general_budget_basic)):
    SCREENS[names.SHAPES + _name] = (_digest, partial(_compute, rounding=False))
    SCREENS[names.SHAPES + _name + "Rounding"] = (_digest, partial(_compute, rounding=True))


def plan(shape, query: str, screens: dict = SCREENS):
    """The screen of the SHACL-SPARQL constraint of ``shape`` whose query is ``query``, or None
    (no screen in ``screens``, or one written for another text of the query)."""
    known = screens.get(str(shape))
    if known is None or known[0] != digest(query):
        return None
    return _screened(known[1])


def _screened(compute):
    def may_find(index, focus) -> bool:
        doc = index.cached("sparql_screen", lambda: _Doc(index))
        if not doc.plain:
            return True
        # shapes that share a screen (the three narrative audits) share its verdict: computed once per focus node
        key = (compute, focus)
        verdict = doc.verdicts.get(key)
        if verdict is None:
            verdict = doc.verdicts[key] = _verdict(compute, doc, focus)
        return verdict
    return may_find


def _verdict(compute, doc: _Doc, focus) -> bool:
    try:
        with localcontext() as ctx:
            ctx.prec = 60  # exact sums of figures below 1e15 with 18 fractional digits
            return compute(doc, focus)
    except _Unsure:
        return True
