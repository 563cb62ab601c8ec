"""A narrative and its tables published apart, built into the one graph of their disclosure.

API: :func:`joinable` ``(holder, other) -> bool``; :func:`join_shards` ``(work, keep, drop, holder,
other, validate) -> list[dict]`` (the warnings of the joined graph).

Portals often publish a department's 情况说明 and its 报表 as two files (``附件2 部门预算报表``).
Both describe one disclosure (same department, year and phase), so they mint into one graph.
The narrative is joined to the tables only when it holds no budget table and says its tables
are published separately; two sources that both print tables stay a failure (they are not
merged). The two share no subject but the department and its jurisdiction, to which the
narrative adds its duties and units. The union is validated again as one graph, so the
published validation report and quality measurements are those of the whole graph (each
document's report numbers its results from 1: two reports would mix).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .buildcache import replace_file
from .to_rdf import shard_quads
from .validation_report import QUARANTINE_RULE


def joinable(holder, other) -> bool:
    """``other`` (a :class:`~budgetkg.etl.build.DocumentResult`) is a narrative whose tables ``holder`` holds."""
    return bool(holder.tables and not other.tables and other.tables_elsewhere)


def join_shards(work: Path, keep: int, drop: int, holder, other, validate: bool) -> list[dict]:
    """Merge the shards ``work/<drop>.nq|.nt`` into ``work/<keep>.nq|.nt`` (``drop``'s emptied):
    the union of the two graphs, with the report of the union when ``validate``.

    :raises ValidationFailed: the union violates the shapes (the shards are left as they were).
    """
    # the shards' lines are oxigraph's N-Triples (canonical: a triple in both is one line), sorted as bytes
    lines = b"".join(sorted({line for n in (keep, drop) for line in (work / f"{n}.nt").read_bytes().splitlines(True)}))
    triples = list(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES))
    graph = ox.NamedNode(holder.graph)
    quads: list[ox.Quad] = []  # the report's (the union's own are its lines in ``graph``)
    warnings: list[dict] = []
    if validate:
        from .quality import quality_triples
        from .validate_hook import validate_document
        from .validation import report_graph_iri, report_triples

        warnings = validate_document(triples, holder.path) + [
            w for d in (holder, other) for w in d.warnings if w.get("rule") == QUARANTINE_RULE]
        report = report_graph_iri(graph)
        published = (report_triples(warnings, graph) if warnings else []) + quality_triples(warnings, triples, graph)
        quads += [ox.Quad(t.subject, t.predicate, t.object, report) for t in published]
    # new files renamed over the shards: a shard taken from the build cache is a hard link to the cached one
    for n, suffix, data in ((keep, ".nt", lines), (keep, ".nq", shard_quads(lines, graph, quads)),
                            (drop, ".nt", b""), (drop, ".nq", b"")):
        replace_file(work / f"{n}{suffix}", lambda tmp, data=data: tmp.write_bytes(data))
    return warnings
