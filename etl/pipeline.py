"""One disclosure through the stages: read -> recognize -> extract.

API: :func:`process` ``(path) -> DisclosureRec``; :func:`process_document`
``(doc) -> DisclosureRec``; :class:`DisclosureRec`; :data:`EXTRACTORS`, extra
block extractors (indicators, narrative) each ``fn(doc, rec) -> None``.

Nothing is lost silently: a table the ETL does not know, and anything an
extractor could not map, lands in ``rec.skipped`` with its location.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .extract import SPECS, extract
from .extract.records import TableRec
from .jurisdictions import Jurisdiction, find_jurisdiction
from .model import Document, EtlError, Location, Table
from .read_text import read_text_file
from .recognize import recognize

_SKIPPED = re.compile(r"^skipped: page (\d+): (.*)$", re.S)
EXTRACTORS: list[Callable[[Document, "DisclosureRec"], None]] = []
# Table kinds that an extra extractor (not the table engine) maps.
HANDLED_ELSEWHERE: set[str] = set()


@dataclass
class DisclosureRec:
    doc: Document
    phase: str  # "budget" / "final-accounts"
    year: str
    department_code: str | None
    department_name: str
    jurisdiction: Jurisdiction | None
    tables: list[TableRec] = field(default_factory=list)
    skipped: list[tuple[Location, str]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # records of the extra extractors
    kinds: list[tuple[Table, str | None]] = field(default_factory=list)

    def skip(self, loc: Location, reason: str) -> None:
        self.skipped.append((loc, reason))


def read(path: str | Path) -> Document:
    """Read a source file with the reader for its format."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        from .read_pdf import read_pdf

        return read_pdf(path)
    return read_text_file(path)


def process(path: str | Path) -> DisclosureRec:
    """:raises EtlError: for bad input, naming file, line or page, and table."""
    return process_document(read(path))


def _phase(doc: Document) -> str:
    if doc.meta.get("phase"):
        return doc.meta["phase"]
    titles = [doc.title or ""] + [t.title for t in doc.tables()]
    return "final-accounts" if any("决算" in t for t in titles) else "budget"


def process_document(doc: Document) -> DisclosureRec:
    name = doc.meta.get("department_name")
    year = doc.meta.get("year")
    if not name or not year:
        missing = " and ".join(k for k, v in (("department", name), ("fiscal year", year)) if not v)
        raise EtlError(f"no {missing} found: not a budget disclosure of a known template", doc.location(1))
    year = year.strip().removesuffix("年")
    if not (len(year) == 4 and year.isdigit()):
        raise EtlError(f"fiscal year is not a year: {year!r}", doc.location(1))
    rec = DisclosureRec(
        doc=doc, phase=_phase(doc), year=year, department_code=doc.meta.get("department_code"),
        department_name=name, jurisdiction=find_jurisdiction(name),
    )
    if rec.jurisdiction is None:
        rec.skip(doc.location(1), f"jurisdiction of {name!r} not in ontology/jurisdictions.csv; department kept without it")
    # Readers note what they could not read (a page without text, a table without structure).
    for note in list(doc.repairs):
        m = _SKIPPED.match(note)
        if m:
            doc.repairs.remove(note)
            rec.skip(doc.location(page=int(m.group(1))), m.group(2))
    seen: dict[str, int] = {}
    for table in doc.tables():
        kind = recognize(table)
        rec.kinds.append((table, kind))
        loc = doc.location(table.line, table.page, table.title)
        if kind == "contents":
            rec.skip(loc, "table of contents (no facts)")
            continue
        if kind in HANDLED_ELSEWHERE:
            continue
        if kind not in SPECS:
            rec.skip(loc, "table of an unknown kind, not mapped")
            continue
        if kind in seen:
            rec.skip(loc, f"second table of kind {kind} (first at line {seen[kind]}), not mapped")
            continue
        seen[kind] = table.line
        rec.tables.append(extract(table, kind, doc=doc))
    for fn in EXTRACTORS:
        fn(doc, rec)
    return rec
