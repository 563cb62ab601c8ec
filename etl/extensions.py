"""Extra stages beyond the budget tables, registered in one place.

API: importing this module registers every extra extractor (``etl.pipeline.EXTRACTORS``,
``etl.pipeline.HANDLED_ELSEWHERE``) and mapper (``etl.to_rdf.MAPPERS``). The build
imports it once; tests that want the full pipeline import it too.
"""

from . import pipeline, to_rdf  # noqa: F401

_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True


register()
