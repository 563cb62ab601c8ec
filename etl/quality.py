"""Data quality of a document with the W3C Data Quality Vocabulary (DQV).

API: :func:`measures` ``(results, triples) -> list[Measure]``; :func:`quality_triples`
``(results, triples, graph_iri) -> list[pyoxigraph.Triple]``; :data:`METRICS`.

From a document's validation results (dicts of :mod:`budgetkg.etl.validation`) and its triples:
the findings of every document-level check (each shape on ``bkg:Disclosure`` with a SPARQL
constraint: the arithmetic and the audit, 0 when checked and clean), the findings per severity,
the completeness of the prescribed tables (``bkg:prescribedFor`` of the table-kind code list)
and the share of printed amounts that reconcile (no Warning or Violation names the amount as
its ``sh:value``). The metrics are defined in ``ontology/budget.ttl``. Shares are exact decimals
rounded half-even to :data:`SHARE_PLACES` places.

Measurement IRIs are ``<graph>/quality/<metric>`` and ``<graph>/quality/findings/<shape>``
(stable: no blank nodes, so dumps stay byte-identical); ``dqv:computedOn`` is the document's
graph, the ``dcat:Dataset`` of the catalog.

>>> [m.metric for m in measures([], [])][-2:]
['metric-prescribed-tables', 'metric-reconciled-amounts']
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

import pyoxigraph as ox

from budgetkg.names import BKG, DQV, RDF_TYPE, XSD
from budgetkg.names import SHAPES as SHAPES_NS

from .terms import columns

SHARE_PLACES = Decimal("0.0001")
SEVERITY_METRICS = {"Violation": "metric-violations", "Warning": "metric-warnings", "Info": "metric-infos"}
METRICS = ("metric-findings", *SEVERITY_METRICS.values(), "metric-prescribed-tables", "metric-reconciled-amounts")
MISSING_TABLE_CHECK = "AuditPrescribedTable"
# What the measurements read of a document's triples (terms, compared as terms).
_TYPE, _AMOUNT, _PHASE = ox.NamedNode(RDF_TYPE), ox.NamedNode(BKG + "amount"), ox.NamedNode(BKG + "budgetPhase")
_OBSERVATION, _DISCLOSURE = ox.NamedNode(BKG + "BudgetObservation"), ox.NamedNode(BKG + "Disclosure")


@dataclass(frozen=True)
class Measure:
    metric: str  # local name in bkg:
    value: Decimal | int
    check: str | None = None  # shape local name (metric-findings only)


@lru_cache(maxsize=1)
def document_checks() -> tuple[str, ...]:
    """Local names of the document-level checks: shapes on bkg:Disclosure with a SPARQL constraint."""
    from rdflib import URIRef
    from rdflib.namespace import SH

    from .validation import shapes_graph

    g = shapes_graph()
    disclosure = URIRef(BKG + "Disclosure")
    return tuple(sorted(
        str(s)[len(SHAPES_NS):] for s in g.subjects(SH.targetClass, disclosure)
        if str(s).startswith(SHAPES_NS) and (s, SH.sparql, None) in g
    ))


def _prescribed(phase: str | None) -> int:
    """How many tables the template prescribes for ``phase`` (a concept IRI)."""
    from .validation import _vocabulary

    if phase is None:
        return 0
    prop = ox.NamedNode(BKG + "prescribedFor")
    return sum(
        1 for triples in _vocabulary().by_subject.values() for t in triples
        if t.predicate == prop and t.object.value == phase
    )


def _share(part: int, whole: int) -> Decimal:
    if whole == 0:
        return Decimal(1).quantize(SHARE_PLACES)
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_EVEN)


def measures(results: list[dict], triples) -> list[Measure]:
    """The measurements of one document (see the module docstring)."""
    typed, disclosures, amounted, phases = set(), set(), [], []
    for s, p, o in zip(*columns(triples)):  # (one pass, over the terms the mapper made: none read again)
        if p == _TYPE:
            if o == _OBSERVATION:
                typed.add(s)
            elif o == _DISCLOSURE:
                disclosures.add(s)
        elif p == _AMOUNT:
            amounted.append(s)
        elif p == _PHASE:
            phases.append((s, o))
    amounts = {s.value for s in amounted if s in typed}
    phase = next((o.value for s, o in phases if s in disclosures), None)
    out = [Measure("metric-findings", sum(1 for r in results if r["rule"] == check), check)
           for check in sorted(set(document_checks()) | {r["rule"] for r in results})]
    out += [Measure(metric, sum(1 for r in results if r["severity"] == severity))
            for severity, metric in SEVERITY_METRICS.items()]
    prescribed = _prescribed(phase)
    missing = sum(1 for r in results if r["rule"] == MISSING_TABLE_CHECK)
    out.append(Measure("metric-prescribed-tables", _share(max(prescribed - missing, 0), prescribed)))
    flagged = {r["value"] for r in results if r["severity"] != "Info" and r.get("value") in amounts}
    out.append(Measure("metric-reconciled-amounts", _share(len(amounts) - len(flagged), len(amounts))))
    return out


def quality_triples(results: list[dict], triples, graph_iri) -> list[ox.Triple]:
    """``dqv:QualityMeasurement`` s of one document, computed on ``graph_iri``."""
    graph = ox.NamedNode(graph_iri.value if isinstance(graph_iri, ox.NamedNode) else str(graph_iri))
    N = ox.NamedNode
    out: list[ox.Triple] = []
    for m in measures(results, triples if isinstance(triples, list) else list(triples)):
        node = N(f"{graph.value}/quality/findings/{m.check}" if m.check else f"{graph.value}/quality/{m.metric}")
        kind = "integer" if isinstance(m.value, int) else "decimal"
        out += [
            ox.Triple(graph, N(DQV + "hasQualityMeasurement"), node),
            ox.Triple(node, N(RDF_TYPE), N(DQV + "QualityMeasurement")),
            ox.Triple(node, N(DQV + "computedOn"), graph),
            ox.Triple(node, N(DQV + "isMeasurementOf"), N(BKG + m.metric)),
            ox.Triple(node, N(DQV + "value"), ox.Literal(str(m.value), datatype=N(XSD + kind))),
        ]
        if m.check:
            out.append(ox.Triple(node, N(BKG + "qualityCheck"), N(SHAPES_NS + m.check)))
    return out
