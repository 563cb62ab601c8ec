"""Pages for people, one module per page kind (as datasette does): what a researcher sees in a browser.

API: :func:`page_for` ``(service, iri, *, graph=False) -> View | None`` (the readable page of an IRI, or
None when the generic linked-data page is all there is); :class:`View` ``(title, body)``.

Page kinds: :mod:`.disclosure` (a document graph: its printed tables regenerated from the graph,
its validation findings, its charts), :mod:`.department`, :mod:`.observation`. The linked-data views
(Turtle, JSON-LD, ...) are untouched: these pages only answer ``text/html``, and the generic list of
properties stays below them.
"""

from __future__ import annotations

from .common import BKG, View, select

__all__ = ["View", "page_for"]


async def page_for(s, iri: str, *, graph: bool = False) -> View | None:
    """The readable page of ``iri`` (a document graph, a department, an observation), or None."""
    from . import department, disclosure, observation

    if graph:
        if any(d.get("graph") == iri for d in s.data.documents):
            return await disclosure.view(s, iri)
        return None
    rows = await select(s, "SELECT ?this ?t WHERE { $this a ?t }", this=iri)
    types = {r["t"] for r in rows}
    if BKG + "Department" in types:
        return await department.view(s, iri)
    if BKG + "BudgetObservation" in types:
        return await observation.view(s, iri)
    return None
