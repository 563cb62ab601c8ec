"""Validation of one document's graph during the build.

API: :func:`validate_document` ``(triples, path) -> list[dict]`` (the warnings).

:raises budgetkg.errors.ValidationFailed: when the graph violates a shape of severity sh:Violation.
Missing shapes raise :class:`budgetkg.resources.ResourceMissing`.
"""

from __future__ import annotations

def validate_document(triples, path: str) -> list[dict]:
    from .validation import validate_triples

    return validate_triples(triples, path)
