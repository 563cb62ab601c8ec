"""The projects and indicators of performance target tables (:mod:`budgetkg.etl.indicators`) as triples, and the
lines of project lists (项目支出表) that name those projects.

API: :func:`map_indicators` ``(rec, minter, emit)`` (a mapper of :mod:`budgetkg.etl.to_rdf`).
Extraction reads the tables into :class:`~budgetkg.etl.indicators.ProjectRec` records; this
module only maps those records, as :mod:`budgetkg.etl.to_rdf` does for tables.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox

from .amounts import unit_multiplier
from .codelists import codelists, concept_iri
from .indicators import EXPENDITURE_SCHEME, FUND_SCHEME, KIND, FundLine, IndicatorRec, ProjectRec, TaskRec, basis_documents, basis_slug
from .lexicon import PERFORMANCE_TABLE_LABEL, TOTAL_LINE
from .text import match_key
from .vocab import BKG, DCT, PROV, RDFS, A, decimal, emit_location, integer, lit, typed


_TOTAL_FUND = TOTAL_LINE  # the total line of a project's funds is the _T concept of the fund sources


def map_indicators(rec, m, emit) -> None:
    """Projects, indicators and basis documents of ``rec.performance`` as triples."""
    projects: list[ProjectRec] = rec.performance
    if not projects:
        return
    source = m.source(rec.doc.sha256)
    org = m.department()
    year = typed(rec.year, "gYear")
    ds = m.dataset(KIND)
    emit(ds, A, BKG.PerformanceTargetSet)
    emit(ds, BKG.tableKind, ox.NamedNode(concept_iri("table-kind", KIND)))
    emit(ds, RDFS.label, lit(PERFORMANCE_TABLE_LABEL, "zh"))
    emit(ds, PROV.wasDerivedFrom, source)
    emit(ds, BKG.sourceDocument, source)
    emit(ds, BKG.organization, org)
    emit(ds, BKG.fiscalYear, year)
    emit(ds, BKG.budgetPhase, ox.NamedNode(concept_iri("phase", rec.phase)))
    bases: dict[str, list[tuple[str, str]]] = {}  # printed basis cell -> (slug, title) of its documents
    labelled: set[str] = set()
    for p in projects:
        pn = m.project(p.index)
        emit(ds, BKG.hasProject, pn)
        emit(pn, A, BKG.Project)
        emit(pn, RDFS.label, lit(p.name, "zh"))
        if p.title:  # a table printed without a title has none (a section heading is not one)
            emit(pn, DCT.title, lit(p.title, "zh"))
        if p.goal is not None:
            emit(pn, BKG.goal, lit(p.goal, "zh"))
        if p.amount is not None:
            _project_amount(emit, pn, p)
        for prop, text in ((BKG.supervisingDepartment, p.supervisor), (BKG.implementingUnit, p.implementer),
                           (BKG.implementationPeriod, p.period), (BKG.remark, p.remark), (BKG.achievement, p.achieved),
                           (BKG.projectOverview, p.overview)):
            if text:
                emit(pn, prop, lit(text, "zh"))
        if p.implementer_code:
            emit(pn, BKG.implementingUnitCode, lit(p.implementer_code))
        if p.rate_weight is not None:
            emit(pn, BKG.executionRateWeight, decimal(p.rate_weight.printed()))
        for prop, value in ((BKG.weight, p.weight), (BKG.score, p.score)):
            if value is not None:
                emit(pn, prop, decimal(value.printed()))
        for task in p.tasks:
            _task(m, emit, pn, p, task, source)
        for line in p.funds:
            _fund_line(m, emit, pn, p, line, source)
        emit(pn, DCT.isPartOf, ds)
        emit(pn, BKG.rowIndex, integer(p.index))
        emit(pn, BKG.sourceDocument, source)
        emit_location(emit, pn, p.line, p.page)
        emit(pn, BKG.organization, org)
        emit(pn, BKG.fiscalYear, year)
        for ind in p.indicators:
            if ind.basis not in bases:
                bases[ind.basis] = [(basis_slug(title), title) for title in basis_documents(ind.basis)]
            _indicator(m, emit, pn, p, ind, source, bases[ind.basis], labelled)
    _project_lines(rec, m, emit, projects)


def _project_lines(rec, m, emit, projects: list[ProjectRec]) -> None:
    """A line of a project list (项目支出表) names the project of the target tables printed under the same name:
    ``line bkg:project project``. A name printed twice on either side (日常保障运行 of several units) links nothing,
    the targets printing no unit to tell them apart."""
    by_name: dict[str, list[ProjectRec]] = {}
    for p in projects:
        by_name.setdefault(match_key(p.name), []).append(p)
    for table in rec.tables:
        if not table.project_rows:
            continue
        names = Counter(match_key(item.label) for item in table.items)
        for item in table.items:
            found = by_name.get(match_key(item.label), [])
            if len(found) == 1 and names[match_key(item.label)] == 1:
                emit(m.line_item(table.key, item.index, item.side), BKG.project, m.project(found[0].index))


def _project_amount(emit, pn, p: ProjectRec) -> None:
    """The project's funds as printed, with the unit and precision of the print (as an observation's)."""
    emit(pn, BKG.amount, decimal(p.amount.printed()))
    emit(pn, BKG.decimals, integer(p.amount.decimals))
    if p.amount_unit:
        emit(pn, BKG.unitLabel, lit(p.amount_unit))
        emit(pn, BKG.unitMultiplier, integer(unit_multiplier(p.amount_unit)))


def _task_node(m, p: ProjectRec, index: int):
    return m.node(f"project-task/{p.index}/{index}")


def _task(m, emit, pn, p: ProjectRec, task: TaskRec, source) -> None:
    """A main task of a department-level table: its name and content; its amounts are fund lines (bkg:task)."""
    node = _task_node(m, p, task.index)
    emit(pn, BKG.hasTask, node)
    emit(node, A, BKG.ProjectTask)
    emit(node, BKG.project, pn)
    emit(node, BKG.rowIndex, integer(task.index))
    emit(node, RDFS.label, lit(task.name, "zh"))
    if task.content:
        emit(node, BKG.taskContent, lit(task.content, "zh"))
    emit(node, BKG.sourceDocument, source)
    emit_location(emit, node, task.line, task.page)


def _fund_line(m, emit, pn, p: ProjectRec, line: FundLine, source) -> None:
    """One printed amount of the project's funds: its fund line (a fund source of the code list where the
    label names one; the total line: _T), its measure, and a self-evaluation's weight, rate and score."""
    node = m.node(f"project-funds/{p.index}/{line.index}")
    emit(pn, BKG.hasFundLine, node)
    emit(node, A, BKG.ProjectFundLine)
    emit(node, BKG.project, pn)
    emit(node, BKG.rowIndex, integer(line.index))
    if line.label:
        emit(node, BKG.printedLabel, lit(line.label, "zh"))
    lists = codelists()
    concept = lists.match(FUND_SCHEME, _TOTAL_FUND if line.total or line.task_total else line.fund or line.label, suffix=False)
    if concept:
        emit(node, BKG.fundSource, ox.NamedNode(concept))
    if line.expenditure and (kind := lists.match(EXPENDITURE_SCHEME, line.expenditure, suffix=False)):
        emit(node, BKG.expenditureType, ox.NamedNode(kind))
    if line.task is not None:
        emit(node, BKG.task, _task_node(m, p, line.task))
    emit(node, BKG.amountMeasure, lit(line.measure))
    emit(node, BKG.amount, decimal(line.amount.printed()))
    emit(node, BKG.decimals, integer(line.amount.decimals))
    if line.unit:
        emit(node, BKG.unitLabel, lit(line.unit))
        emit(node, BKG.unitMultiplier, integer(unit_multiplier(line.unit)))
    for prop, value in ((BKG.weight, line.weight), (BKG.executionRate, line.rate), (BKG.score, line.score)):
        if value is not None:
            emit(node, prop, decimal(value.printed()))
    emit(node, BKG.sourceDocument, source)
    emit_location(emit, node, line.line, line.page)


def _indicator(m, emit, pn, p: ProjectRec, ind: IndicatorRec, source, bases, labelled: set[str]) -> None:
    node = m.node(f"indicator/{p.index}/{ind.index}")
    emit(pn, BKG.hasIndicator, node)
    emit(node, A, BKG.PerformanceIndicator)
    emit(node, BKG.project, pn)
    emit(node, BKG.rowIndex, integer(ind.index))
    emit(node, BKG.sourceDocument, source)
    emit_location(emit, node, ind.line, ind.page)
    if ind.level1:
        emit(node, BKG.level1Label, lit(ind.level1, "zh"))
    if ind.level2:
        emit(node, BKG.level2Label, lit(ind.level2, "zh"))
    if ind.level1_concept:
        emit(node, BKG.indicatorLevel1, ox.NamedNode(ind.level1_concept))
    if ind.level2_concept:
        emit(node, BKG.indicatorLevel2, ox.NamedNode(ind.level2_concept))
    emit(node, BKG.indicatorName, lit(ind.name, "zh"))
    if ind.name:
        emit(node, RDFS.label, lit(ind.name, "zh"))
    emit(node, BKG.indicatorDescription, lit(ind.description, "zh"))
    t = ind.target
    emit(node, BKG.targetText, lit(t.text))
    emit(node, BKG.targetKind, lit(t.kind))
    if t.comparator:
        emit(node, BKG.comparator, lit(t.comparator))
    if t.printed_value is not None:
        emit(node, BKG.targetValue, decimal(t.printed_value))
    if t.unit:
        emit(node, BKG.targetUnit, lit(t.unit))
    if t.deadline:
        emit(node, BKG.deadline, typed(t.deadline.isoformat(), "date"))
    emit(node, BKG.basisText, lit(ind.basis, "zh"))
    for slug, title in bases:
        b = m.resource(f"basis/{slug}")
        emit(node, BKG.basis, b)
        if slug not in labelled:
            labelled.add(slug)
            emit(b, A, BKG.BasisDocument)
            emit(b, RDFS.label, lit(title, "zh"))
            emit(b, DCT.title, lit(title, "zh"))
    if ind.weight is not None:
        emit(node, BKG.weight, decimal(ind.weight.printed()))
        if ind.weight_unit:
            emit(node, BKG.weightUnit, lit(ind.weight_unit))
    if ind.score is not None:
        emit(node, BKG.score, decimal(ind.score.printed()))
    if (a := ind.actual) is not None:
        emit(node, BKG.actualText, lit(a.text))
        emit(node, BKG.actualKind, lit(a.kind))
        if a.printed_value is not None:
            emit(node, BKG.actualValue, decimal(a.printed_value))
        if a.unit:
            emit(node, BKG.actualUnit, lit(a.unit))
    for prop, text in ((BKG.deviationReason, ind.deviation), (BKG.scoringRule, ind.scoring), (BKG.remark, ind.remark),
                       (BKG.activity, ind.activity)):
        if text:
            emit(node, prop, lit(text, "zh"))
    if ind.core is not None:
        emit(node, BKG.coreIndicator, typed("true" if ind.core else "false", "boolean"))
    for note in ind.notes:
        emit(node, BKG.note, lit(note))
