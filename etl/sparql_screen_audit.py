"""Screens (see :mod:`.sparql_screen`) of the SHACL-SPARQL constraints other than the arithmetic and
the data cube's: the audit (``shapes/audit-*.ttl``: a printed name against its code, a narrative figure
against the table cells of its item, a table's unit against the other tables, completeness, the
organization), the code lists and printed codes (``shapes/codelists.ttl``), the performance
indicators (``shapes/indicators.ttl``) and an observation's organization (``shapes/core.ttl``). With
them, a document without findings loads no store for its SHACL-SPARQL checks.

Each computes from the triples a condition every solution of its SELECT needs, and says "may
find" unless that condition is false for certain: where a screen must show that a figure agrees
with a cell (so that the query's minimum cannot report it), it names one cell the query surely
joins, with every value in a form it computes exactly; where a string goes through ``REPLACE`` or
``REGEX``, it leaves to the query the characters Python and the store's regular expressions read
differently.

API: :data:`SCREENS` (shape IRI -> (digest of the query, screen)), as :data:`.sparql_screen.SCREENS`
(the engine takes both: :data:`.shacl_batch.SPARQL_SCREENS`).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pyoxigraph as ox

from budgetkg import names

from .sparql_screen import (_BOOLEAN, _NOT_APPLICABLE, _RDF_TYPE, _STRING, _Doc, _Unsure, _amount, _half, _int, _plain,
                            _power, _str, _tables, by_term)

_B = {k: ox.NamedNode(names.BKG + k) for k in (
    "printedCode", "printedLabel", "rowLabelNamesItem", "tableKind", "rowIndex", "NarrativeDataSet", "figureKind",
    "derived", "fiscalYear", "amount", "decimals", "unitMultiplier", "threePublicCategory", "expenditureType",
    "fundSource", "summaryItem", "BudgetObservation", "sourceTable", "sourceDocument", "lineItem", "classification",
    "grandTotalOf", "isEmpty", "note", "prescribedFor", "organization", "fileName", "printedOrganization",
    "PerformanceIndicator", "project", "indicatorLevel1", "indicatorLevel2", "level1Label", "level2Label", "targetKind",
    "targetText", "targetValue", "comparator", "deadline", "Project")}
_PREF, _ALT = ox.NamedNode(names.SKOS + "prefLabel"), ox.NamedNode(names.SKOS + "altLabel")
_XL_PREF, _XL_ALT, _XL_FORM = (ox.NamedNode(names.SKOSXL + p) for p in ("prefLabel", "altLabel", "literalForm"))
_VALID = ox.NamedNode(names.DCT + "valid")
_DATASET = ox.NamedNode(names.QB + "dataSet")
_TRUE = ox.Literal("true", datatype=_BOOLEAN)
_CHANGE = ox.Literal("change")
# Characters Python's str.isspace() takes for white space and the store's regular expressions (Unicode
# White_Space, for "\s") do not.
_NOT_WHITE_SPACE = frozenset("\x1c\x1d\x1e\x1f")
_YEAR = re.compile(r"[0-9]{4}")  # (fullmatch: "$" would take a year and a newline)
_CODE = re.compile(r"[0-9A-Za-z]*")  # a code the query may put in a regular expression as it is
_SEPARATOR = re.compile(r"[-\u2014\uFF0D_:\uFF1A]")  # after a code printed again before the name
_BRACKETS = str.maketrans({"\u3010": "[", "\uFF3B": "[", "\u3011": "]", "\uFF3D": "]"})
_PARENTHESES = str.maketrans({"\uFF08": "(", "\uFF09": ")"})


def _values(doc: _Doc, p, node) -> list:
    return doc.index.forward(p).get(node, ())


@by_term
def _text(term) -> str:
    """``STR(term)`` of an IRI or a string (the store prints other literals in their canonical form)."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal) and (term.language or term.datatype == _STRING):
        return term.value
    raise _Unsure


@by_term
def _squeezed(term) -> str:
    """``REPLACE(REPLACE(REPLACE(STR(term), "\\s|\\u3000", ""), "\\uFF08", "("), "\\uFF09", ")")``."""
    s = _text(term)
    if _NOT_WHITE_SPACE.intersection(s):
        raise _Unsure
    return "".join(s.split()).translate(_PARENTHESES)  # split() cuts at the characters str.isspace() takes


# ---------------------------------------------------------------- AuditCodeName


def _printed(code: str, label) -> tuple[str, str]:
    """(``?printed``, ``?spaced``): the name without spaces, and without the code printed again before it."""
    if not _CODE.fullmatch(code):
        raise _Unsure
    spaced = _squeezed(label)
    bracketed = spaced.translate(_BRACKETS)
    if bracketed.startswith("[" + code + "]"):
        return bracketed[len(code) + 2:], spaced
    if bracketed.startswith(code) and _SEPARATOR.match(bracketed, len(code)):
        return bracketed[len(code) + 1:], spaced
    return spaced, spaced


def _dated_forms(doc: _Doc, c) -> dict:
    """form -> (first year, last year) of the SKOS-XL names of concept ``c`` (the sub-SELECT grouped by ?c ?form)."""
    def make():
        out: dict = {}
        forms, valid = doc.index.forward(_XL_FORM), doc.index.forward(_VALID)
        for p in (_XL_PREF, _XL_ALT):
            for label in _values(doc, p, c):
                for f in forms.get(label, ()):
                    for v in valid.get(label, ()):
                        text = _str(v)  # xsd:integer(STR(?v)): a year the cast reads as the screen does
                        if not _YEAR.fullmatch(text):
                            raise _Unsure
                        form, year = _squeezed(f), int(text)
                        lo, hi = out.get(form, (year, year))
                        out[form] = (min(lo, year), max(hi, year))
        return out
    return doc.memo(("dated forms", c), make)


def audit_code_name(doc: _Doc, this) -> bool:
    """A coded row whose printed name is not a name of its code (``!?isName``), or a dated name of it
    that is not one of its names for the document's year."""
    years = set(doc.values("fiscalYear", this))
    if not years:
        return False
    if len(years) > 1:
        raise _Unsure
    head = _str(years.pop())[:4]  # xsd:integer(SUBSTR(STR(?year), 1, 4))
    if not _YEAR.fullmatch(head):
        raise _Unsure
    y = int(head)
    for ds in _tables(doc, this):
        if any(_TRUE in _values(doc, _B["rowLabelNamesItem"], kind) for kind in doc.values("tableKind", ds)):
            continue
        for row in doc.values("hasLineItem", ds):
            codes, labels = set(_values(doc, _B["printedCode"], row)), set(_values(doc, _B["printedLabel"], row))
            classes = set(doc.values("classification", row))
            if not codes or not labels or not classes or not doc.values("rowIndex", row):
                continue
            if len(codes) > 1 or len(labels) > 1 or len(classes) > 1:  # aggregates over several: left to the query
                raise _Unsure
            c = classes.pop()
            if not any(isinstance(p, ox.Literal) and p.language and p.language.lower() == "zh" for p in _values(doc, _PREF, c)):
                continue
            printed, spaced = _printed(_plain(codes.pop()), labels.pop())
            if not any(_squeezed(k) in (printed, spaced) for p in (_PREF, _ALT) for k in _values(doc, p, c)):
                return True
            forms = _dated_forms(doc, c)
            valid = {form for form, (lo, hi) in forms.items() if lo <= y <= hi}
            if valid and printed in forms and printed not in valid:
                return True
    return False


# ---------------------------------------------------------------- AuditNarrative-figures


_FIGURE_DIMS = tuple(_B[k] for k in ("threePublicCategory", "expenditureType", "fundSource", "summaryItem"))
# a witness figure the store computes exactly: amounts in yuan well within its decimals
_SAFE = Decimal(10) ** 15


def _boolean(term) -> bool:
    if isinstance(term, ox.Literal) and term.datatype == _BOOLEAN and term.value in ("true", "false"):
        return term.value == "true"
    raise _Unsure


def _figure_rows(doc: _Doc, this, v, doc_years) -> list:
    """The rows of the figures' sub-SELECT for figure ``v``: (dimension, concept, kind, year, amount,
    decimals, multiplier). Raises _Unsure when a FILTER cannot be told."""
    rows = []
    f = lambda p: _values(doc, _B[p], v)  # noqa: E731
    for kind in f("figureKind"):
        for derived in f("derived"):
            for year in f("fiscalYear"):
                keep = False
                for doc_year in doc_years:
                    same = _str(year) == _str(doc_year)
                    d = _boolean(derived)
                    keep |= (not d and same) or (d and _plain(kind) == "level" and not same)
                if not keep:
                    continue
                for dim in _FIGURE_DIMS:
                    for c in _values(doc, dim, v):
                        if not isinstance(c, (ox.NamedNode, ox.BlankNode)):  # joined as the store's term
                            raise _Unsure
                        if _NOT_APPLICABLE in doc.values("notation", c):
                            continue
                        rows += [(dim, c, kind, year, na, nd, nm) for na in f("amount") for nd in f("decimals")
                                 for nm in f("unitMultiplier")]
    return rows


def _same_year(a, b) -> bool | None:
    """Whether the store joins two years: True, False, or None when the screen cannot tell."""
    if a == b:
        return True
    try:
        return None if _str(a) == _str(b) else False
    except _Unsure:
        return None


def _grand_total_cells(doc: _Doc, this, c) -> tuple[bool, list]:
    """The second branch: whether concept ``c`` may stand for the grand total of a table kind of the
    document, and the cells the query surely takes for it (the largest of each such table's total column)."""
    may, cells = False, []
    total = ox.NamedNode(names.CL + "fund-source/_T")
    for kind in _values(doc, _B["grandTotalOf"], c):
        for gds in _tables(doc, this):
            kinds = doc.values("tableKind", gds)
            if not isinstance(kind, ox.NamedNode) or not all(isinstance(k, ox.NamedNode) for k in kinds):
                raise _Unsure  # the store joins literals by value ("01" and "1" as integers): not term equality
            if kind not in kinds:
                continue
            column = [o for o in doc.index.inverse(_B["sourceTable"]).get(gds, ()) if total in doc.values("fundSource", o)
                      and doc.values("amount", o)]
            may |= bool(column)
            try:
                top = max(_amount(a) for o in column for a in doc.values("amount", o))
            except (_Unsure, ValueError):  # a figure MAX may order otherwise, or none
                continue
            cells += [o for o in column if any(_amount(a) == top for a in doc.values("amount", o))]
    return may, cells


def _cell_excess(doc: _Doc, this, row, o):
    """For a cell ``o`` of the figure's row: None when the query surely does not join them; else
    whether the screen knows its ``?excess`` is at most zero (a cell of the figure's item, or a grand total the
    query surely takes)."""
    dim, c, kind, year, na, nd, nm = row
    if _B["BudgetObservation"] not in _values(doc, _RDF_TYPE, o):
        return None
    years = [_same_year(year, y) for y in doc.values("fiscalYear", o)]
    if not any(y is not False for y in years) or (_CHANGE in _values(doc, _B["figureKind"], o)) != (_plain(kind) == "change"):
        return None
    tables = [ds for ds in _values(doc, _B["sourceTable"], o) if this in doc.values("sourceDocument", ds)
              and _values(doc, _B["unitMultiplier"], ds)]
    if not tables or not doc.values("amount", o) or not doc.values("decimals", o):
        return None
    if True not in years:
        return False
    try:
        ny, hn = _amount(na) * _power(nm), _half(nd) * _power(nm)
        for ds in tables:
            for dm in _values(doc, _B["unitMultiplier"], ds):
                for tm in _values(doc, _B["unitMultiplier"], o) or [dm]:
                    for ta in doc.values("amount", o):
                        for td in doc.values("decimals", o):
                            ty, ht = _amount(ta) * _power(tm), _half(td) * _power(tm)
                            if abs(ny) < _SAFE and abs(ty) < _SAFE and abs(ny - ty) - max(hn, ht) <= 0:
                                return True
    except _Unsure:
        pass
    return False


def _figure_clear(doc: _Doc, this, rows) -> bool:
    """Whether the figure surely has no finding: no cell of its item at all (no ``?e``), or a cell
    within half a unit (``?e <= 0``)."""
    joined = False
    for row in rows:
        c = row[1]
        may, grand = _grand_total_cells(doc, this, c)
        joined |= may
        for o in [*doc.index.inverse(row[0]).get(c, ()), *grand]:
            verdict = _cell_excess(doc, this, row, o)
            if verdict:
                return True
            joined |= verdict is not None
    return not joined


def audit_narrative(doc: _Doc, this) -> bool:
    """A figure of the text whose nearest cell of its item is beyond half a unit: the three shapes'
    findings all need that cell's excess (``?e``) above zero."""
    doc_years = doc.values("fiscalYear", this)
    if not doc_years:
        return False
    types = doc.index.forward(_RDF_TYPE)
    for nds in doc.i["sourceDocument"].get(this, ()):
        if _B["NarrativeDataSet"] not in types.get(nds, ()):
            continue
        for v in dict.fromkeys(doc.index.inverse(_DATASET).get(nds, ())):
            if not _figure_clear(doc, this, _figure_rows(doc, this, v, doc_years)):
                return True
    return False


# ---------------------------------------------------------------- AuditTableUnitFactor


def _yuan(amount, m) -> Decimal:
    """``?a * IF(?m = 0, 1, IF(?m = 4, 10000, 100000000))`` (the exact-agreement join's multipliers)."""
    return _amount(amount) * Decimal({0: 1, 4: 10000}.get(_int(m), 100000000))


def _cells(doc: _Doc, ds) -> list:
    """(observation, concept of its line item, amount) of the table's cells."""
    return [(o, c, a) for o in doc.index.inverse(_B["sourceTable"]).get(ds, ()) for r in doc.values("lineItem", o)
            for c in doc.values("classification", r) for a in doc.values("amount", o)]


def audit_table_unit_factor(doc: _Doc, this) -> bool:
    """A table none of whose cells agrees exactly with another table's cell of the same item, with a
    cell agreeing with another table's at a factor of 10,000."""
    tables = [ds for ds in _tables(doc, this) if doc.values("unitMultiplier", ds)]
    if len(tables) < 2:
        return False
    cells = {ds: _cells(doc, ds) for ds in tables}
    # (concept, amount in yuan) -> the tables printing it; a value the screen cannot compute is left out
    # (it can only add agreements, which clear nothing)
    printed: dict = {}
    for ds in tables:
        for _, c, a in cells[ds]:
            for m in doc.values("unitMultiplier", ds):
                try:
                    y = _yuan(a, m)
                except _Unsure:
                    continue
                if abs(y) < _SAFE:
                    printed.setdefault((c, y), set()).add(ds)
    pairs = None  # concept -> (table, amount in yuan, half a unit in yuan) of every cell, made for the first table that needs it
    for ds in tables:
        if _agrees_exactly(doc, ds, cells[ds], printed):
            continue
        if pairs is None:
            pairs = _figures_by_concept(doc, tables, cells)
        if _factor_pair(doc, ds, pairs):
            return True
    return False


def _agrees_exactly(doc: _Doc, ds, cells, printed) -> bool:
    for _, c, a in cells:
        if _NOT_APPLICABLE in doc.values("notation", c):
            continue
        for m in doc.values("unitMultiplier", ds):
            try:
                y = _yuan(a, m)
            except _Unsure:
                continue
            if y != 0 and abs(y) < _SAFE and printed.get((c, y), {ds}) - {ds}:
                return True
    return False


def _figures_by_concept(doc: _Doc, tables, cells) -> dict:
    """concept -> (table, amount in yuan, half a unit in yuan) of each cell with a precision (raises
    _Unsure where a value is not in a form the screen computes)."""
    out: dict = {}
    for ds in tables:
        for o, c, a in cells[ds]:
            for m in doc.values("unitMultiplier", ds):
                power = _power(m)
                for d in doc.values("decimals", o):
                    out.setdefault(c, []).append((ds, _amount(a) * power, _half(d) * power))
    return out


def _factor_pair(doc: _Doc, ds, pairs) -> bool:
    """Whether a cell of ``ds`` may agree with another table's cell of the same item at a factor of 10,000."""
    for c, figures in pairs.items():
        mine = [(y1, h1) for t, y1, h1 in figures if t == ds and y1 != 0]
        if not mine or _NOT_APPLICABLE in doc.values("notation", c):
            continue
        for y1, h1 in mine:
            for t, y2, h2 in figures:
                if t != ds and (abs(y1 * 10000 - y2) <= h1 * 10000 + h2 or abs(y1 - y2 * 10000) <= h1 + h2 * 10000):
                    return True
    return False


# ---------------------------------------------------------------- audit: completeness and organization


def _has_true(values) -> bool:
    """Whether a boolean the store may read as true is among ``values`` (any literal but false)."""
    return any(not (isinstance(x, ox.Literal) and x.datatype == _BOOLEAN and x.value in ("false", "0")) for x in values)


def audit_empty_table_note(doc: _Doc, this) -> bool:
    """A table printed empty (``bkg:isEmpty true``) with no note saying why (无, 空表, 没有, 为空)."""
    for ds in _tables(doc, this):
        if not _has_true(_values(doc, _B["isEmpty"], ds)):
            continue
        if not any(_said(note) for note in _values(doc, _B["note"], ds)):
            return True
    return False


def _said(note) -> bool:
    """``REGEX(STR(?note), "无|空表|没有|为空")``, False where the screen cannot read ``STR``."""
    try:
        text = _text(note)
    except _Unsure:
        return False
    return any(w in text for w in ("无", "空表", "没有", "为空"))


def audit_prescribed_table(doc: _Doc, this) -> bool:
    """A table kind prescribed for the document's phase with no table of that kind in a document of the
    same organization, year and phase."""
    prescribed = doc.index.inverse(_B["prescribedFor"])
    for phase in doc.values("budgetPhase", this):
        if not isinstance(phase, ox.NamedNode):  # joined as the store's term
            raise _Unsure
        for org in _values(doc, _B["organization"], this):
            for year in doc.values("fiscalYear", this):
                for kind in prescribed.get(phase, ()):
                    if not doc.values("notation", kind) or not _values(doc, _PREF, kind):
                        continue
                    if not any(org in _values(doc, _B["organization"], d) and year in doc.values("fiscalYear", d)
                               and phase in doc.values("budgetPhase", d)
                               for ds in doc.index.inverse(_B["tableKind"]).get(kind, ())
                               for d in doc.values("sourceDocument", ds)):
                        return True
    return False


_ORGANIZATION_NOISE = re.compile(r"\s|[（(][^）)]*[）)]")


def _organization_name(term) -> str:
    """``REPLACE(STR(term), "\\s|[（(][^）)]*[）)]", "")``."""
    text = _text(term)
    if _NOT_WHITE_SPACE.intersection(text):
        raise _Unsure
    return _ORGANIZATION_NOISE.sub("", text)


def audit_organization(doc: _Doc, this) -> bool:
    """A printed organization (on the cover, or on a node of the document) other than a name of the document's."""
    if not _values(doc, _B["fileName"], this):
        return False
    printed = list(_values(doc, _B["printedOrganization"], this))
    printed += [x for v in doc.i["sourceDocument"].get(this, ()) for x in _values(doc, _B["printedOrganization"], v)]
    expected = {_organization_name(e) for org in _values(doc, _B["organization"], this) for e in _values(doc, _PREF, org)}
    if not expected:
        return False
    return any({_organization_name(x)} != expected for x in printed)


def observation_organization(doc: _Doc, this) -> bool:
    """An observation of a row of the table with another organization than its row's, or none."""
    for row in doc.values("hasLineItem", this):
        orgs = _values(doc, _B["organization"], row)
        if not orgs:
            continue
        for obs in doc.i["lineItem"].get(row, ()):
            if _B["BudgetObservation"] not in _values(doc, _RDF_TYPE, obs):
                continue
            mine = _values(doc, _B["organization"], obs)
            if not mine or any(o != r for o in mine for r in orgs):
                return True
    return False


# ---------------------------------------------------------------- code lists: printed codes, schemes


def _coded_rows(doc: _Doc, this):
    """(row, its printed codes) of the rows of the document's tables that print a code and an index."""
    for ds in _tables(doc, this):
        for row in doc.values("hasLineItem", ds):
            codes = _values(doc, _B["printedCode"], row)
            if codes and doc.values("rowIndex", row):
                yield ds, row, codes


def printed_code_concept(doc: _Doc, this) -> bool:
    """A classified row none of whose concepts has its printed code as notation."""
    for _, row, codes in _coded_rows(doc, this):
        concepts = doc.values("classification", row)
        if concepts and any(not any(code in doc.values("notation", c) for c in concepts) for code in codes):
            return True
    return False


def printed_code_unclassified(doc: _Doc, this) -> bool:
    return any(not doc.values("classification", row) for _, row, _ in _coded_rows(doc, this))


_LEVELS = {names.CL + "functional": re.compile(r"[0-9]{3}|[0-9]{5}|[0-9]{7}"), names.CL + "economic": re.compile(r"[0-9]{3}|[0-9]{5}")}


def printed_code_level(doc: _Doc, this) -> bool:
    """A printed code that is not a 类, 款 or 项 code of its concept's scheme (or a concept of another scheme)."""
    for _, row, codes in _coded_rows(doc, this):
        for c in doc.values("classification", row):
            for scheme in doc.values("inScheme", c):
                level = _LEVELS.get(scheme.value) if isinstance(scheme, ox.NamedNode) else None
                if level is None or any(not level.fullmatch(_text(code)) for code in codes):
                    return True
    return False


def row_order(doc: _Doc, this) -> bool:
    """A 款 or 项 row printed under a row (the one just above, on its side) whose code is not under its parent."""
    for ds in _tables(doc, this):
        by_index: dict = {}
        printed: set = set()
        rows = list(_coded_rows_of(doc, ds))
        for row, codes in rows:
            printed.update(codes)
            for i in doc.values("rowIndex", row):
                by_index.setdefault(_int(i), []).append((row, codes))
        for row, codes in rows:
            for code in codes:
                code_text = _plain(code)
                if len(code_text) <= 3:
                    continue
                parent = code_text[:-2]
                if ox.Literal(parent) not in printed:
                    continue
                for i in doc.values("rowIndex", row):
                    for prev, above_codes in by_index.get(_int(i) - 1, ()):
                        if not _same_side(doc, row, prev):
                            continue
                        for above in above_codes:
                            above_text = _plain(above)
                            k = min(len(above_text), len(parent))
                            if above_text[:k] != parent[:k]:
                                return True
    return False


def _coded_rows_of(doc: _Doc, ds):
    for row in doc.values("hasLineItem", ds):
        codes = _values(doc, _B["printedCode"], row)
        if codes:
            yield row, codes


def _same_side(doc: _Doc, a, b) -> bool:
    """``COALESCE(?side, "") = COALESCE(?prevSide, "")`` for some side of each (True where unsure)."""
    try:
        return not doc.sides(a).isdisjoint(doc.sides(b))
    except _Unsure:
        return True


def table_kind_concept(doc: _Doc, this) -> bool:
    scheme = ox.NamedNode(names.CL + "table-kind")
    return any(scheme not in doc.values("inScheme", kind) for ds in _tables(doc, this) for kind in doc.values("tableKind", ds))


def _scheme_members(doc: _Doc, this) -> list:
    return doc.i["inScheme"].get(this, ())


def printed_name_form(doc: _Doc, this) -> bool:
    """A SKOS-XL name of a concept of the scheme whose form is not the concept's SKOS label of the same kind."""
    for c in _scheme_members(doc, this):
        for xl, plain in ((_XL_PREF, _PREF), (_XL_ALT, _ALT)):
            labels = _values(doc, plain, c)
            for name in _values(doc, xl, c):
                if any(form not in labels for form in _values(doc, _XL_FORM, name)):
                    return True
    return False


def concept_scheme_broader(doc: _Doc, this) -> bool:
    return any(this not in doc.values("inScheme", b) for c in _scheme_members(doc, this) for b in doc.values("broader", c))


def concept_labels(doc: _Doc, this) -> bool:
    """A concept of a scheme of names.CL without a preferred label in zh or in en (``LANGMATCHES``)."""
    if not (isinstance(this, ox.NamedNode) and this.value.startswith(names.CL)):
        return False
    for c in _scheme_members(doc, this):
        tags = [x.language.lower() for x in _values(doc, _PREF, c) if isinstance(x, ox.Literal) and x.language]
        if any(not any(t == lang or t.startswith(lang + "-") for t in tags) for lang in ("zh", "en")):
            return True
    return False


_FORMATS = {names.CL + "functional": re.compile(r"_T|_Z|[0-9]{3}|[0-9]{5}|[0-9]{7}"),
            names.CL + "economic": re.compile(r"_T|_Z|[0-9]{3}|[0-9]{5}")}


def code_format(doc: _Doc, this) -> bool:
    form = _FORMATS.get(this.value) if isinstance(this, ox.NamedNode) else None
    if form is None:
        return False
    return any(not form.fullmatch(_text(code)) for c in _scheme_members(doc, this) for code in doc.values("notation", c))


def code_broader_prefix(doc: _Doc, this) -> bool:
    """A numeric code whose broader concept's code (or "(none)") is not its code less two digits (or "(none)")."""
    if not (isinstance(this, ox.NamedNode) and this.value in _FORMATS):
        return False
    for c in _scheme_members(doc, this):
        for code in doc.values("notation", c):
            text = _plain(code)
            if not re.fullmatch(r"[0-9]+", text):
                continue
            parent = text[:-2] if len(text) > 3 else "(none)"
            broader = [_text(bn) for b in doc.values("broader", c) for bn in doc.values("notation", b) or [b]] or ["(none)"]
            if any(x != parent for x in broader):
                return True
    return False


# ---------------------------------------------------------------- performance indicators

_INDICATOR_LEVELS = ox.NamedNode(names.CL + "indicator-level")
_TOP = ox.NamedNode(names.SKOS + "topConceptOf")
_LABEL = ox.NamedNode(names.RDFS + "label")


def _indicators(doc: _Doc, this) -> list:
    """The performance indicators of the document with a project and a row index."""
    return [v for v in doc.i["sourceDocument"].get(this, ()) if _B["PerformanceIndicator"] in _values(doc, _RDF_TYPE, v)
            and _values(doc, _B["project"], v) and doc.values("rowIndex", v)]


def _top_level(doc: _Doc, c) -> bool:
    return _INDICATOR_LEVELS in _values(doc, _TOP, c)


def indicator_levels(doc: _Doc, this) -> bool:
    for v in _indicators(doc, this):
        if any(not _top_level(doc, c) for c in _values(doc, _B["indicatorLevel1"], v)):
            return True
        for c in _values(doc, _B["indicatorLevel2"], v):
            if _INDICATOR_LEVELS not in doc.values("inScheme", c) or not any(_top_level(doc, t) for t in doc.values("broader", c)):
                return True
    return False


def indicator_level2_under_level1(doc: _Doc, this) -> bool:
    for v in _indicators(doc, this):
        for c1 in _values(doc, _B["indicatorLevel1"], v):
            for c2 in _values(doc, _B["indicatorLevel2"], v):
                if any(parent != c1 for parent in doc.values("broader", c2)):
                    return True
    return False


def indicator_level_recognised(doc: _Doc, this) -> bool:
    for v in _indicators(doc, this):
        for printed, level in (("level1Label", "indicatorLevel1"), ("level2Label", "indicatorLevel2")):
            if _values(doc, _B[printed], v) and not _values(doc, _B[level], v):
                return True
    return False


def indicator_target_fields(doc: _Doc, this) -> bool:
    """An indicator whose parsed fields do not fit its kind of target (the query's ``?problem``)."""
    for v in _indicators(doc, this):
        if not _values(doc, _B["targetText"], v):
            continue
        has_value, has_cmp, has_deadline = (bool(_values(doc, _B[p], v)) for p in ("targetValue", "comparator", "deadline"))
        for kind in _values(doc, _B["targetKind"], v):
            k = _plain(kind)
            if (k == "quantitative" and (not (has_value and has_cmp) or has_deadline)
                    or k == "deadline" and (not has_deadline or has_value or has_cmp)
                    or k in ("qualitative", "not-applicable", "unparsed") and (has_value or has_cmp or has_deadline)):
                return True
    return False


def indicator_target_parsed(doc: _Doc, this) -> bool:
    unparsed = ox.Literal("unparsed")
    return any(unparsed in _values(doc, _B["targetKind"], v) for v in _indicators(doc, this))


def project_level1_coverage(doc: _Doc, this) -> bool:
    """A project of the document without an indicator under a level 1 of the framework (but 成本指标)."""
    costs = ox.NamedNode(names.CL + "indicator-level/costs")
    tops = [c for c in doc.index.inverse(_TOP).get(_INDICATOR_LEVELS, ()) if c != costs
            and any(isinstance(x, ox.Literal) and x.language and x.language.lower() == "zh" for x in _values(doc, _PREF, c))]
    if not tops:
        return False
    levels = doc.index.forward(_B["indicatorLevel1"])
    for p in doc.i["sourceDocument"].get(this, ()):
        if _B["Project"] not in _values(doc, _RDF_TYPE, p) or not _values(doc, _LABEL, p):
            continue
        covered = {c for i in doc.index.inverse(_B["project"]).get(p, ()) for c in levels.get(i, ())}
        if any(c not in covered for c in tops):
            return True
    return False


#: shape IRI -> (digest of the constraint's query as compiled, with its PREFIX lines; the screen)
SCREENS = {
    names.SHAPES + "AuditCodeName": ("5fdc0a263318688b", audit_code_name),
    names.SHAPES + "AuditTableUnitFactor": ("40966631cdf73436", audit_table_unit_factor),
    **{names.SHAPES + s: ("8cefaf76221913a6", audit_narrative) for s in ("AuditNarrativeVsTable", "AuditNarrativeUnitFactor",
                                                          "AuditNarrativeRounding")},
    **{names.SHAPES + name: screen for name, screen in {
        "AuditEmptyTableNote": ("7ca93f1f226896de", audit_empty_table_note),
        "AuditOrganization": ("bb8a4a06fa3c4834", audit_organization),
        "AuditPrescribedTable": ("dc833e7d59f898a9", audit_prescribed_table),
        "CodeBroaderPrefix": ("77812f6f78ecf90d", code_broader_prefix),
        "CodeFormat": ("084b018499e31b82", code_format),
        "ConceptLabels": ("f7f9d05bc7380d3e", concept_labels),
        "ConceptSchemeBroader": ("fc266bac28ae0cbc", concept_scheme_broader),
        "IndicatorLevel2UnderLevel1": ("dd497ae9508f00da", indicator_level2_under_level1),
        "IndicatorLevelRecognised": ("b27043fc636028eb", indicator_level_recognised),
        "IndicatorLevels": ("8a37ef8f32a370dc", indicator_levels),
        "IndicatorTargetFields": ("ec112877b29cfe4f", indicator_target_fields),
        "IndicatorTargetParsed": ("1ee3e2296b8eb946", indicator_target_parsed),
        "ObservationOrganization": ("f6a1cbfe1ac2303f", observation_organization),
        "PrintedCodeConcept": ("db5f1fd52e268c0d", printed_code_concept),
        "PrintedCodeLevel": ("e26110b13a1846d9", printed_code_level),
        "PrintedCodeUnclassified": ("ecd5004303bc5e1c", printed_code_unclassified),
        "PrintedNameForm": ("92106dc201a1cad3", printed_name_form),
        "ProjectLevel1Coverage": ("dc3ec38a814cfa7b", project_level1_coverage),
        "RowOrder": ("9a018b941a6f204d", row_order),
        "TableKindConcept": ("9d665ac48a46dfb0", table_kind_concept),
    }.items()},
}
