"""Records of one disclosure to RDF triples.

API: :func:`to_rdf` ``(rec, *, base) -> (graph, triples)`` (``triples`` a :class:`~budgetkg.etl.terms.Triples`
keeping the terms each triple was made of, for validation); :func:`to_graph`
``(rec, *, base) -> rdflib.Graph`` for callers that want rdflib;
:data:`MAPPERS`, the mappers of the records beside the tables (indicators, narrative),
called after the tables in this order, each ``mapper(rec, minter, emit)``;
:func:`map_document_nt` and :func:`shard_quads` for the build's per-document shards.

Triples are built with pyoxigraph terms (see :mod:`budgetkg.etl.vocab`): building a
document this way costs a fraction of ``rdflib.Graph.add``.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

from .codelists import codelists, concept_iri, scheme_iri
from .indicators_rdf import map_indicators
from .extract import COMMON_DIMS
from .extract.periods import CHANGE, resolve
from .extract.records import OrgRef, TableRec
from .iris import Minter, slug_for
from .jurisdictions import lineage
from .narrative_rdf import map_narrative
from .pipeline import DisclosureRec, process
from .terms import Triples, columns, few_collections
from .vocab import BKG, CNY, DCT, FOAF, ORG, PROV, QB, RDF, RDFS, SKOS, A, decimal, emit_location, emit_organization, integer, lit, typed

Emit = Callable[[ox.NamedNode, ox.NamedNode, object], None]
MAPPERS: tuple[Callable[[DisclosureRec, Minter, Emit], None], ...] = (map_indicators, map_narrative)
# zh label of a code whose parent rows are not printed and that the shipped lists lack.
UNNAMED_CODE_ZH = "（名称未印出，代码表未收录）"
_SCHEME_EN = {"functional": "Functional classification", "economic": "Economic classification"}


def minter_for(rec: DisclosureRec, base: str) -> Minter:
    # An unknown jurisdiction is scoped by the department's name, so two unknown places never merge.
    jurisdiction = rec.jurisdiction.code if rec.jurisdiction else slug_for(rec.department_name)
    return Minter(base, jurisdiction, rec.year, rec.department_code or rec.department_name, rec.phase)


def map_document(path, *, base: str, overrides=None, require_budget: bool = False) -> tuple[DisclosureRec, ox.NamedNode, list[ox.Triple]]:
    """One source through the pipeline and the mapping: its record, its graph IRI and its
    triples (unique, sorted). The build publishes these triples and ``budgetkg validate``
    checks them: one function, so both see the same graph.

    :raises EtlError: as :func:`budgetkg.etl.pipeline.process` does.
    """
    rec, graph, triples, _ = map_document_nt(path, base=base, overrides=overrides, require_budget=require_budget)
    return rec, graph, triples


def map_document_nt(path, *, base: str, overrides=None,
                    require_budget: bool = False) -> tuple[DisclosureRec, ox.NamedNode, list[ox.Triple], bytes]:
    """:func:`map_document`, and its triples as N-Triples in the same order (the build's shard)."""
    rec = process(path, overrides=overrides, require_budget=require_budget)
    with few_collections():
        graph, triples = to_rdf(rec, base=base)
        return rec, graph, *sorted_unique(triples)


def sorted_unique(triples: list[ox.Triple]) -> tuple[list[ox.Triple], bytes]:
    """The distinct ``triples`` in the order of their N-Triples lines (a :class:`.terms.Triples`, with their terms),
    and those lines.

    Each triple is serialised once, by oxigraph's N-Triples writer (a line is ``str(triple) + " .\\n"``,
    the form is canonical, so equal triples give equal lines), and the lines are sorted as bytes
    (UTF-8 keeps the code points' order): several times cheaper than ``sorted(set(triples), key=str)``.

    >>> t = [ox.Triple(ox.NamedNode("http://e/b"), RDFS.label, lit("x")), ox.Triple(ox.NamedNode("http://e/a"), RDFS.label, lit("y"))]
    >>> unique, lines = sorted_unique(t + t[:1])
    >>> unique == sorted(set(t), key=str), lines == "".join(f"{x} .\\n" for x in unique).encode()
    (True, True)
    """
    by_line = dict(zip(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines(keepends=True), range(len(triples))))
    lines = sorted(by_line)
    order = [by_line[line] for line in lines]
    return Triples.of_columns([triples[i] for i in order], *([column[i] for i in order] for column in columns(triples))), \
        b"".join(lines)


def shard_quads(lines: bytes, graph: ox.NamedNode, extra: list[ox.Quad] = ()) -> bytes:
    """A document's quads shard: its N-Triples ``lines`` (oxigraph's, as :func:`sorted_unique`
    writes them) in ``graph``, with the ``extra`` quads (its validation report's), as sorted lines.

    A raw line feed ends a line only (N-Triples escapes it in literals), so each " .\\n" is a line's
    end: a line becomes its quad by naming the graph there.

    >>> g = ox.NamedNode("http://e/g")
    >>> t = [ox.Triple(ox.NamedNode("http://e/b"), RDFS.label, lit("x\\ny"))]
    >>> extra = [ox.Quad(ox.NamedNode("http://e/a"), RDFS.label, lit("z"), g)]
    >>> shard_quads(sorted_unique(t)[1], g, extra) == "".join(sorted(f"{q} .\\n" for q in extra + [ox.Quad(*t[0], g)])).encode()
    True
    """
    nquads = lines.replace(b" .\n", f" {graph} .\n".encode()).splitlines(keepends=True)
    if extra:
        nquads += ox.serialize(extra, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    nquads.sort()  # the document's lines are sorted already: mostly a merge with the extra ones
    return b"".join(nquads)


def to_rdf(rec: DisclosureRec, *, base: str) -> tuple[ox.NamedNode, Triples]:
    """Map a disclosure to the triples of its named graph (a :class:`.terms.Triples`, with the terms of each)."""
    with few_collections():
        return _to_rdf(rec, base=base)


def _to_rdf(rec: DisclosureRec, *, base: str) -> tuple[ox.NamedNode, Triples]:
    m = minter_for(rec, base)
    # what each triple is made of, kept for validation (see terms.Triples); the triples are made from these
    # columns at the end, in one loop in C (not one call from Python per triple)
    subjects, predicates, objects = made = ([], [], [])
    add_s, add_p, add_o = subjects.append, predicates.append, objects.append

    def emit(s, p, o) -> None:
        add_s(s)
        add_p(p)
        add_o(o)

    source = m.source(rec.doc.sha256)
    org = m.department()
    year = typed(rec.year, "gYear")
    phase = ox.NamedNode(concept_iri("phase", rec.phase))
    _source(rec, source, org, year, phase, emit)
    _organization(rec, m, org, emit)
    units = _units(rec, m, org, source, emit)
    for table in rec.tables:
        _table(table, m, source, org, year, phase, emit, units)
    _new_concepts([nc for t in rec.tables for nc in t.new_concepts], source, emit)
    quarantined = {q.location for q in rec.quarantined}
    for n, (loc, reason) in enumerate(rec.skipped, start=1):
        node = m.skipped(rec.doc.sha256, n)
        emit(node, A, BKG.SkippedItem)
        emit(node, BKG.sourceDocument, source)
        emit(node, BKG.location, lit(str(loc)))
        emit(node, BKG.reason, lit(reason))
        emit_location(emit, node, loc.line, loc.page)
        if loc in quarantined and loc.table:
            # The title of a quarantined table, so that a reader of the graph alone (``budgetkg
            # validate dumps/budgetkg.nq``) names the table without parsing the location back.
            emit(node, DCT.title, lit(loc.table, "zh"))
    for mapper in MAPPERS:
        mapper(rec, m, emit)
    return m.graph, Triples.of_columns(list(map(ox.Triple, *made)), *made)


def to_graph(rec: DisclosureRec, *, base: str):
    """The same triples as an :class:`rdflib.Graph` (slower; for tests and validation)."""
    import rdflib

    _, triples = to_rdf(rec, base=base)
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data, format="nt")


def _source(rec, source, org, year, phase, emit) -> None:
    doc = rec.doc
    emit(source, A, BKG.Disclosure)
    emit(source, A, PROV.Entity)
    emit(source, A, FOAF.Document)
    emit(source, BKG.fileName, lit(doc.name))
    emit(source, BKG.sha256, lit(doc.sha256))
    emit(source, DCT["format"], lit("application/pdf" if doc.fmt == "pdf" else "text/plain"))
    if doc.title:
        emit(source, DCT.title, lit(doc.title, "zh"))
    emit(source, DCT.publisher, org)
    emit(source, BKG.organization, org)
    emit(source, BKG.fiscalYear, year)
    emit(source, BKG.budgetPhase, phase)
    if rec.cover_name:
        emit(source, BKG.printedOrganization, lit(rec.cover_name, "zh"))


def _organization(rec: DisclosureRec, m: Minter, org, emit) -> None:
    emit_organization(emit, org, BKG.Department, rec.department_name, rec.department_code)
    if rec.jurisdiction is None:
        return
    emit(org, BKG.jurisdiction, m.jurisdiction_node())
    for j in lineage(rec.jurisdiction.code):
        node = m.jurisdiction_node(j.code)
        emit(node, A, BKG.Jurisdiction)
        emit(node, RDFS.label, lit(j.name_zh, "zh"))
        if j.name_en:
            emit(node, RDFS.label, lit(j.name_en, "en"))
        emit(node, BKG.divisionCode, lit(j.code))
        if j.parent:
            emit(node, SKOS.broader, m.jurisdiction_node(j.parent))


def _units(rec: DisclosureRec, m: Minter, org, source, emit) -> dict[OrgRef, ox.NamedNode]:
    """The budget units that tables listing units name, each once: minted by its printed code, else by the code
    the document prints for its name elsewhere (a table or the narrative's list of units), else by its name,
    so that a unit named in several tables is one node. Its first printed name is its name (unless the
    narrative's list of units names it), another one an alternative label.
    """
    listed = rec.narrative.units if rec.narrative else []
    refs = list(dict.fromkeys(it.organization for t in rec.tables for it in t.items if it.organization is not None))
    code_of = {u.name: u.code for u in listed if u.code}
    for ref in refs:
        if ref.code:
            code_of.setdefault(ref.name, ref.code)
    named = {m.unit(u.code or u.name): u.name for u in listed}  # the narrative names and types these
    nodes: dict[OrgRef, ox.NamedNode] = {}
    names: dict[ox.NamedNode, list[str]] = {}
    codes: dict[ox.NamedNode, str] = {}
    for ref in refs:
        code = ref.code or code_of.get(ref.name)
        node = nodes[ref] = m.unit(code or ref.name)
        if ref.name not in names.setdefault(node, []):
            names[node].append(ref.name)
        if code:
            codes.setdefault(node, code)
    for node, printed in names.items():
        if node not in named:
            emit_organization(emit, node, BKG.BudgetUnit, printed[0], codes.get(node))
            emit(node, ORG.subOrganizationOf, org)
            emit(node, PROV.wasDerivedFrom, source)
        for other in printed[1:] if node not in named else printed:
            if other != named.get(node):
                emit(node, SKOS.altLabel, lit(other, "zh"))
    return nodes


def _table(t: TableRec, m: Minter, source, org, year, phase, emit, units=None) -> None:
    units = units or {}
    ds = m.dataset(t.key)
    emit(ds, A, BKG.BudgetDataSet)
    emit(ds, A, QB.DataSet)
    emit(ds, QB.structure, BKG[f"dsd-{t.key}"])
    emit(ds, BKG.tableKind, ox.NamedNode(concept_iri("table-kind", t.key)))
    emit(ds, DCT.title, lit(t.title, "zh"))
    emit(ds, RDFS.label, lit(t.title, "zh"))
    emit(ds, PROV.wasDerivedFrom, source)
    emit(ds, BKG.sourceDocument, source)
    emit_location(emit, ds, t.line, t.page)
    emit(ds, BKG.organization, org)
    emit(ds, BKG.fiscalYear, year)
    emit(ds, BKG.budgetPhase, phase)
    emit(ds, BKG.isEmpty, typed("true" if t.empty else "false", "boolean"))
    if t.unit:
        emit(ds, BKG.unitLabel, lit(t.unit))
    if t.multiplier is not None:
        emit(ds, BKG.unitMultiplier, integer(t.multiplier))
    if t.as_of:
        emit(ds, BKG.asOfDate, typed(t.as_of, "date"))
    if t.organization:
        emit(ds, BKG.printedOrganization, lit(t.organization, "zh"))
    for note in t.notes:
        emit(ds, BKG.note, lit(note, "zh"))
    for dim, iri in sorted(t.constants.items()):
        emit(ds, BKG[dim], ox.NamedNode(iri))
    for col in t.columns:
        c = m.column(t.key, col.index)
        emit(ds, BKG.hasColumn, c)
        emit(c, A, BKG.Column)
        emit(c, BKG.columnIndex, integer(col.index))
        emit(c, RDFS.label, lit(col.label, "zh"))
        emit(c, BKG.columnRole, lit(col.role))
        if len(col.path) > 1:
            emit(c, BKG.headerPath, lit(" / ".join(col.path), "zh"))
        if col.number:
            emit(c, BKG.columnNumber, lit(col.number))
        if col.side:
            emit(c, BKG.side, lit(col.side))
        for dim, iri in sorted(col.dims.items()):
            emit(c, BKG[dim], ox.NamedNode(iri))
        _period(emit, c, col.period, year)
    for item in t.items:
        i = m.line_item(t.key, item.index, item.side)
        emit(ds, BKG.hasLineItem, i)
        emit(i, A, BKG.LineItem)
        emit(i, BKG.rowIndex, integer(item.index))
        emit_location(emit, i, item.line, item.page)
        if item.number is not None:
            emit(i, BKG.rowNumber, integer(item.number))
        if item.label:
            emit(i, BKG.printedLabel, lit(item.label, "zh"))
            emit(i, RDFS.label, lit(item.label, "zh"))
        elif item.text_label:  # printed in another column (a text cell there): named, not a printed label
            emit(i, RDFS.label, lit(item.text_label, "zh"))
        if item.code:
            emit(i, BKG.printedCode, lit(item.code))
        if item.side:
            emit(i, BKG.side, lit(item.side))
        if item.classification:
            emit(i, BKG.classification, ox.NamedNode(item.classification))
        if item.parent is not None:
            emit(i, BKG.parentLine, m.line_item(t.key, item.parent, item.side))
        _period(emit, i, item.period, year)
        if t.by_unit:
            emit(i, BKG.organization, units.get(item.organization, org))
    for obs in t.observations:
        o = m.observation(t.key, obs.item.index, obs.column.index)
        emit(o, A, BKG.BudgetObservation)
        emit(o, A, QB.Observation)
        emit(o, QB.dataSet, ds)
        emit(o, BKG.sourceTable, ds)
        emit(o, BKG.lineItem, m.line_item(t.key, obs.item.index, obs.item.side))
        emit(o, BKG.column, m.column(t.key, obs.column.index))
        emit(o, BKG.organization, units.get(obs.item.organization, org))
        if not _period(emit, o, obs.period, year):
            emit(o, BKG.fiscalYear, year)
        if "budgetPhase" not in obs.dims:
            emit(o, BKG.budgetPhase, phase)
        for dim, iri in sorted(obs.dims.items()):
            if dim not in COMMON_DIMS or dim in ("operationCharacter", "budgetPhase"):
                emit(o, BKG[dim], ox.NamedNode(iri))
        emit(o, BKG[obs.measure], decimal(obs.amount.printed()))
        if t.multi_measure:
            emit(o, QB.measureType, BKG[obs.measure])
        emit(o, BKG.decimals, integer(obs.amount.decimals))
        emit_location(emit, o, obs.item.line, obs.item.page)
        if obs.measure == "amount":
            emit(o, BKG.currency, CNY)
            if t.multiplier is not None:
                emit(o, BKG.unitMultiplier, integer(t.multiplier))
        else:
            emit(o, BKG.unitMultiplier, integer(0))  # a count (vehicles, items) is printed in units
    for text in t.texts:
        c = m.cell(t.key, text.item.index, text.column.index)
        emit(c, A, BKG.TextCell)
        emit(c, BKG.lineItem, m.line_item(t.key, text.item.index, text.item.side))
        emit(c, BKG.column, m.column(t.key, text.column.index))
        emit(c, RDF.value, lit(text.text, "zh"))


def _period(emit, node, period: str | None, year: ox.Literal) -> bool:
    """The year a column, row or observation printed for another year than the document's is of (上年预算数,
    a 2025年 row: bkg:fiscalYear), or, for a change (增减), the year it compares with (bkg:figureKind "change",
    bkg:comparedToYear, the fiscal year staying the document's): neither is a figure of the document's year.
    False (nothing emitted) for the document's own year."""
    of_year, compared = resolve(period, year.value)
    if compared:
        emit(node, BKG.figureKind, lit(CHANGE))
        emit(node, BKG.comparedToYear, typed(compared, "gYear"))
        emit(node, BKG.fiscalYear, year)
        return True
    if of_year != year.value:
        emit(node, BKG.fiscalYear, typed(of_year, "gYear"))
        return True
    return False


def _new_concepts(found, source, emit) -> None:
    """Codes met in the document but not in the shipped lists land as concepts of their scheme,
    with their parents by prefix (a 项 printed without its 类/款 rows still has a 款 and a 类).

    The first printed name is the preferred label, another name printed for the same code an
    alternative label (tables of one document may name a code differently); a parent whose
    name is printed nowhere gets a label saying so.
    """
    lists = codelists()
    names: dict[tuple[str, str], list[str]] = {}
    for nc in found:
        code = nc.notation
        while True:
            labels = names.setdefault((nc.scheme, code), [])
            if code == nc.notation and nc.label and nc.label not in labels:
                labels.append(nc.label)
            code = code[:-2]
            if len(code) < 3 or lists.known(concept_iri(nc.scheme, code)):
                break
    for (scheme, notation), labels in names.items():
        node = ox.NamedNode(concept_iri(scheme, notation))
        emit(node, A, SKOS.Concept)
        emit(node, SKOS.inScheme, ox.NamedNode(scheme_iri(scheme)))
        emit(node, SKOS.notation, lit(notation))
        emit(node, SKOS.prefLabel, lit(labels[0] if labels else f"{notation}{UNNAMED_CODE_ZH}", "zh"))
        for other in labels[1:]:
            emit(node, SKOS.altLabel, lit(other, "zh"))
        emit(node, SKOS.prefLabel, lit(f"{_SCHEME_EN.get(scheme, scheme)} {notation} (not in the shipped code list)", "en"))
        if len(notation) > 3:
            emit(node, SKOS.broader, ox.NamedNode(concept_iri(scheme, notation[: len(notation) - 2])))
        emit(node, PROV.wasDerivedFrom, source)
