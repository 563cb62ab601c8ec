"""Completeness of a disclosure published as two sources (shapes/audit-completeness.ttl, issue 14).

Portals publish a department's 情况说明 and its 报表 apart (北京市财政局 2026: the narrative says its tables
are 附件2; etl/joined.py builds both into the one graph of the disclosure). The narrative's own disclosure
holds no table: the prescribed tables are those of its 报表, the same organization, year and phase. Here the
real Hebei sample (000_60bd7a1a2874cc3a.txt, all nine prescribed tables) is split so: its sentences,
sections and narrative figures become those of a second source in the same graph.
"""

from __future__ import annotations

import pyoxigraph as ox

from tests.shapes.test_shapes_support import B, N, fixed_sample, replace, results, subjects_of_type, validate

NARRATIVE = N("https://budgetkg.org/id/source/narrative-published-apart")
NARRATIVE_PARTS = ("/sentence/", "/section/", "/narrative")


def _split(organization: ox.NamedNode | None = None) -> list[ox.Triple]:
    t = list(fixed_sample())
    [doc] = subjects_of_type(t, "Disclosure")
    out = []
    for x in t:
        if x.predicate == B("sourceDocument") and any(p in x.subject.value for p in NARRATIVE_PARTS):
            x = ox.Triple(x.subject, x.predicate, NARRATIVE)
        out.append(x)
        if x.subject == doc:
            o = ox.Literal("narrative.pdf") if x.predicate == B("fileName") else x.object
            out.append(ox.Triple(NARRATIVE, x.predicate, o))
    return replace(out, NARRATIVE, B("organization"), organization) if organization is not None else out


def test_the_narrative_of_tables_published_apart_misses_no_table():
    t = _split()
    assert len(subjects_of_type(t, "Disclosure")) == 2
    assert results(validate(t, ["AuditPrescribedTable"])) == []


def test_a_narrative_of_another_organization_misses_every_table():
    found = results(validate(_split(N("https://budgetkg.org/id/org/130500/999")), ["AuditPrescribedTable"]),
                    "AuditPrescribedTable", "Warning")
    assert len(found) == 9 and all(r["message"].startswith("narrative.pdf: the prescribed table ") for r in found)
