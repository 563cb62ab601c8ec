"""The facts of the explanation text (etl/narrative.py) as triples.

API: :func:`map_narrative` ``(rec, minter, emit)`` (a mapper for ``budgetkg.etl.to_rdf.MAPPERS``).

IRIs under the disclosure scope S: ``S/section/<line>``, ``S/sentence/<line>-<n>``,
``S/duty/<n>``, ``S/goal/overall`` and ``S/goal/<n>``, ``S/glossary`` (a concept
scheme) and ``S/glossary/<n>``, ``S/narrative`` (the data set of the figures, see
:func:`budgetkg.etl.narrative_figures.map_figures`); internal bodies and budget units are
organisations under the department (:meth:`budgetkg.etl.iris.Minter.unit`).
"""

from __future__ import annotations

import pyoxigraph as ox

from .codelists import scheme_iri
from .lexicon import NARRATIVE_TITLE
from .narrative import NarrativeRec
from .narrative_figures import map_figures
from .vocab import BKG, DCT, ORG, PROV, QB, RDF, RDFS, SKOS, A, emit_organization, integer, lit, typed


def map_narrative(rec, m, emit) -> None:
    """Sections, sentences, department facts, goals, glossary and figures as triples."""
    out: NarrativeRec | None = rec.narrative
    if out is None:
        return
    source = m.source(rec.doc.sha256)
    org = m.department()
    year = typed(rec.year, "gYear")

    def sentence_node(line: int, n: int) -> ox.NamedNode:
        return m.node(f"sentence/{line}-{n}")

    def section_node(line: int) -> ox.NamedNode:
        return m.node(f"section/{line}")

    for s in out.sections:
        if not s.paragraphs and not s.empty:
            continue  # a heading that only groups the headings below it
        node = section_node(s.line)
        emit(node, A, BKG.NarrativeSection)
        emit(node, RDFS.label, lit(s.title, "zh"))
        emit(node, BKG.sourceDocument, source)
        emit(node, BKG.sourceLine, integer(s.line))
        emit(node, BKG.isEmpty, typed("true" if s.empty else "false", "boolean"))
        if s.statement:
            emit(node, BKG.note, lit(s.statement, "zh"))
        for name in s.organizations:
            emit(node, BKG.printedOrganization, lit(name, "zh"))
    for s in out.sentences:
        node = sentence_node(s.line, s.n)
        emit(node, A, BKG.Sentence)
        emit(node, RDF.value, lit(s.text, "zh"))
        emit(node, BKG.sourceDocument, source)
        emit(node, BKG.sourceLine, integer(s.line))
        if s.page is not None:
            emit(node, BKG.sourcePage, integer(s.page))
        if s.section is not None:
            emit(node, DCT.isPartOf, section_node(s.section))  # sections with paragraphs are all emitted
        for name in s.organizations:
            emit(node, BKG.printedOrganization, lit(name, "zh"))
    for d in out.duties:
        node = m.node(f"duty/{d.n}")
        emit(org, BKG.hasDuty, node)
        emit(node, A, BKG.Duty)
        emit(node, RDF.value, lit(d.text, "zh"))
        emit(node, BKG.rowNumber, integer(d.n))
        emit(node, BKG.printedCode, lit(d.number))
        emit(node, BKG.fiscalYear, year)
        emit(node, BKG.sourceLine, integer(d.line))
        emit(node, PROV.wasDerivedFrom, source)
    for b in out.bodies:
        node = m.unit(b.name)
        emit(node, A, ORG.OrganizationalUnit)
        emit(node, RDFS.label, lit(b.name, "zh"))
        emit(node, SKOS.prefLabel, lit(b.name, "zh"))
        emit(node, ORG.unitOf, org)
        emit(org, ORG.hasUnit, node)
        emit(node, BKG.sourceLine, integer(b.line))
        emit(node, PROV.wasDerivedFrom, source)
    if out.body_count is not None:
        emit(org, BKG.internalBodyCount, integer(out.body_count))
    for u in out.units:
        node = m.unit(u.code or u.name)
        emit_organization(emit, node, BKG.BudgetUnit, u.name, u.code)
        emit(node, ORG.subOrganizationOf, org)
        for prop, value in sorted(u.values.items()):
            emit(node, BKG[prop], lit(value, "zh"))
        for header, value in u.others:
            emit(node, BKG.note, lit(f"{header}：{value}", "zh"))
        emit(node, BKG.sourceLine, integer(u.line))
        emit(node, PROV.wasDerivedFrom, source)
    for g in out.goals:
        node = m.node(f"goal/{'overall' if g.n == 0 else g.n}")
        emit(node, A, BKG.DepartmentGoal)
        emit(node, BKG.goalLevel, lit("overall" if g.n == 0 else "component"))
        emit(node, RDFS.label, lit(g.title, "zh"))
        emit(node, BKG.goal, lit(g.goal, "zh"))
        if g.indicators is not None:
            emit(node, BKG.indicatorText, lit(g.indicators, "zh"))
        if g.n:
            emit(node, BKG.rowIndex, integer(g.n))
        emit(node, BKG.organization, org)
        emit(node, BKG.fiscalYear, year)
        emit(node, BKG.sourceLine, integer(g.line))
        emit(node, DCT.isPartOf, section_node(g.line))
        emit(node, PROV.wasDerivedFrom, source)
    if out.glossary:
        scheme = m.node("glossary")
        emit(scheme, A, SKOS.ConceptScheme)
        emit(scheme, RDFS.label, lit(next(s.title for s in out.sections if s.line == out.glossary_section), "zh"))
        emit(scheme, PROV.wasDerivedFrom, source)
        for t in out.glossary:
            node = m.node(f"glossary/{t.n}")
            emit(node, A, SKOS.Concept)
            emit(node, SKOS.inScheme, scheme)
            emit(node, SKOS.prefLabel, lit(t.term, "zh"))
            emit(node, SKOS.definition, lit(t.definition, "zh"))
            # An unnumbered glossary is notated by position, so every concept has one notation.
            emit(node, SKOS.notation, lit(t.number or str(t.n)))
            emit(node, BKG.sourceLine, integer(t.line))
            for iri in t.matches:
                emit(node, SKOS.closeMatch if iri.startswith(scheme_iri("")) else RDFS.seeAlso, ox.NamedNode(iri))
    if out.figures:
        ds = m.node("narrative")
        emit(ds, A, QB.DataSet)
        emit(ds, A, BKG.NarrativeDataSet)
        emit(ds, QB.structure, BKG["dsd-narrative"])
        emit(ds, RDFS.label, lit(rec.doc.title or NARRATIVE_TITLE, "zh"))
        emit(ds, PROV.wasDerivedFrom, source)
        emit(ds, BKG.sourceDocument, source)
        emit(ds, BKG.organization, org)
        emit(ds, BKG.fiscalYear, year)
        pages = {(s.line, s.n): s.page for s in out.sentences}
        map_figures(out.figures, m, emit, rec=rec, dataset=ds, sentence_node=sentence_node,
                    page_of=lambda line, n: pages.get((line, n)))
