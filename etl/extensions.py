"""Extra stages beyond the budget tables, registered in one place.

API: importing this module registers every extra extractor (``budgetkg.etl.pipeline.EXTRACTORS``,
``budgetkg.etl.pipeline.HANDLED_ELSEWHERE``) and mapper (``budgetkg.etl.to_rdf.MAPPERS``). The build
imports it once; tests that want the full pipeline import it too.
"""

from . import pipeline, to_rdf  # noqa: F401

_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from . import indicators, narrative, narrative_rdf

    # Performance target tables (etl.indicators) and unit tables (etl.narrative) are
    # read by these extractors, not the table engine; each accounts for every such table.
    pipeline.HANDLED_ELSEWHERE.update({indicators.KIND, narrative.UNITS_KIND})
    pipeline.EXTRACTORS.extend([indicators.extract_indicators, narrative.extract_narrative])
    to_rdf.MAPPERS.extend([indicators.map_indicators, narrative_rdf.map_narrative])


register()
