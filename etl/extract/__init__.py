"""Extraction: a recognised table to typed records.

API: :func:`extract` ``(table, kind, *, doc, department=None) -> TableRec``; :data:`SPECS`.
One module per family of table kinds declares what each kind means.

:raises KeyError: for a kind no module declares (the build reports it as skipped).
"""

from __future__ import annotations

from ..model import Document, Table
from . import classified, itemized, summary
from .engine import COMMON_DIMS, SCHEME_DIM, KindSpec, extract_with
from .records import TableRec

SPECS: dict[str, KindSpec] = {**classified.SPECS, **summary.SPECS, **itemized.SPECS}

__all__ = ["COMMON_DIMS", "SCHEME_DIM", "SPECS", "KindSpec", "TableRec", "extract"]


def extract(table: Table, kind: str, *, doc: Document, department: str | None = None) -> TableRec:
    return extract_with(table, SPECS[kind], doc=doc, department=department)
