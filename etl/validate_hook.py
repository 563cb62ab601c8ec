"""Validation of one document's graph during the build.

API: :func:`validate_document` ``(triples, path) -> list[dict]`` (the warnings).

:raises budgetkg.errors.ValidationFailed: when the graph violates a shape of severity sh:Violation.
Missing shapes raise :class:`budgetkg.resources.ResourceMissing`.
"""

from __future__ import annotations

import gc
import multiprocessing

_settled = False


def validate_document(triples, path: str) -> list[dict]:
    from .validation import validate_triples

    try:
        return validate_triples(triples, path)
    finally:
        _settle()


def _settle() -> None:
    """Once per process, after its first document: what every later validation reuses (the shapes,
    their compiled checks, the vocabulary: about 300,000 objects) is moved out of the cycle
    collector's sight (:func:`gc.freeze`), so that its full collections, while a build's worker
    reads and validates the next documents, no longer scan it (measured on corpus PDFs: about 54 ->
    33 ms of collections a document). Objects frozen stay freed by reference counting. Only in a
    worker process (a pool's or a cluster's): freezing the heap of the process that called the build
    (a CLI with one job, a test session, a notebook) would keep its reference cycles of that moment
    from ever being collected."""
    global _settled
    if not _settled and multiprocessing.parent_process() is not None:
        _settled = True
        gc.collect()  # garbage of the first document is not kept for ever
        gc.freeze()
