"""One disclosure through its stages, in this order (nothing depends on what was imported):

1. **read** (:func:`read`): the reader of the file's format makes a :class:`Document`;
   pages it could not read are :class:`Skipped` records.
2. **identify** (:func:`identify`): department, scope, jurisdiction, year, phase and level from
   what the document prints, under the :class:`Overrides` a portal knows.
3. **recognize and extract tables** (:func:`extract_tables`): each table's kind, then its
   records; a table that cannot be read is quarantined, the rest goes on.
4. **extract indicators and narrative** (:data:`EXTRACTORS`, each ``fn(doc, rec)``): the
   performance target tables and the explanation text, beside the tables.
5. **require budget tables** (:func:`require_facts`, when building): a document without a
   budget table is an error, unless its narrative says the tables are published separately;
   performance targets alone do not make a budget disclosure.

Mapping to RDF follows in :mod:`budgetkg.etl.to_rdf`.

API: :func:`process` ``(path, *, overrides=None, require_budget=False) -> DisclosureRec``;
:func:`process_document` ``(doc, *, overrides=None, require_budget=False) -> DisclosureRec``;
:class:`DisclosureRec`; :class:`Overrides`.

Nothing is lost silently: a table the ETL does not know, and anything an extractor could not
map, lands in ``rec.skipped`` with its location; a quarantined table also in ``rec.quarantined``.
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass, field
from pathlib import Path

from . import indicators, narrative
from .contents import contents_reason
from .docmeta import department_name, split_scope, title_meta
from .extract import SPECS, extract
from .extract.records import TableRec
from .extract.units import settle_across_tables
from .jurisdictions import Jurisdiction, find_jurisdiction, jurisdictions
from .lexicon import DEFAULT_LEVEL_WORD, DEFAULT_PHASE_WORD, FINAL_ACCOUNTS_WORD, LEVELS, PHASES, TABLES_ELSEWHERE_RE, YEAR_SUFFIX
from .model import Document, EtlError, Heading, Location, Paragraph, Skipped, Table
from .read_text import read_text_file
from .recognize import UNKNOWN_KIND, classify

#: Reason of a quarantined table's skipped item (before ``: <why>``); the validation report finds them by it.
QUARANTINED = "table not read (quarantined)"
#: Extractors of the blocks beside the budget tables, in order; each ``fn(doc, rec) -> None``.
EXTRACTORS = (indicators.extract_indicators, narrative.extract_narrative)
#: Table kinds that those extractors map (not the table engine).
HANDLED_ELSEWHERE = frozenset({indicators.KIND, narrative.UNITS_KIND})
#: Tables recognized as not budget tables, reported with what they are (never as tables of an unknown kind).
NOT_BUDGET_TABLES = {"evaluation_scores": "the scores of a performance evaluation, not a budget table; not mapped"}


@dataclass(frozen=True)
class Overrides:
    """What a portal knows about a source, over what the document prints (``budgetkg build
    --department/--jurisdiction/--year/--phase``, or a ``sources.csv`` row)."""

    department: str | None = None
    jurisdiction: str | None = None  # GB/T 2260 code
    year: str | None = None
    phase: str | None = None  # budget / final-accounts (or 预算 / 决算)
    level: str | None = None  # department / unit (or 部门 / 单位)

    def check(self, where: str) -> Overrides:
        """The same overrides with the phase and level as keys.

        :raises EtlError: an unknown jurisdiction code, a year that is not a year, an unknown phase or level.
        """
        loc = Location(where)
        if self.jurisdiction and self.jurisdiction not in jurisdictions():
            raise EtlError(f"jurisdiction {self.jurisdiction!r} is not a code of ontology/jurisdictions.csv", loc)
        if self.year and not re.fullmatch(r"\d{4}", self.year):
            raise EtlError(f"year {self.year!r} is not a year", loc)
        keys = []
        for what, value, words in (("phase", self.phase, PHASES), ("level", self.level, LEVELS)):
            key = words.get(value, value) if value else None
            if key and key not in words.values():
                raise EtlError(f"{what} {value!r} is not one of {', '.join([*words.values(), *words])}", loc)
            keys.append(key)
        return Overrides(self.department, self.jurisdiction, self.year, *keys)

    def over(self, under: Overrides) -> Overrides:
        """These overrides where they give a value, else ``under``'s."""
        return Overrides(*(a or b for a, b in zip(astuple(self), astuple(under))))


@dataclass
class DisclosureRec:
    doc: Document
    phase: str  # "budget" / "final-accounts"
    year: str
    department_code: str | None
    department_name: str
    jurisdiction: Jurisdiction | None
    level: str = LEVELS[DEFAULT_LEVEL_WORD]  # "department" / "unit"
    name_scope: str | None = None  # （本级）, （汇总） ... printed after the name
    cover_name: str | None = None  # the organisation the cover or title names (audit: one organisation)
    tables: list[TableRec] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    quarantined: list[Skipped] = field(default_factory=list)  # tables that could not be read
    notes: list[str] = field(default_factory=list)  # said in the build summary
    tables_elsewhere: str | None = None  # a narrative without tables: where it says they are published apart
    performance: list[indicators.ProjectRec] = field(default_factory=list)  # performance target tables (indicators.py)
    narrative: narrative.NarrativeRec | None = None  # the explanation text (narrative.py)
    kinds: list[tuple[Table, str | None]] = field(default_factory=list)

    def skip(self, loc: Location, reason: str) -> None:
        self.skipped.append(Skipped(loc, reason))


def read(path: str | Path) -> Document:
    """Read a source file with the reader for its format.

    :raises EtlError: a file its reader cannot read.
    """
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        from .read_pdf import read_pdf  # pdfplumber only when a PDF is read

        return read_pdf(path)
    return read_text_file(path)


def process(path: str | Path, *, overrides: Overrides | None = None, require_budget: bool = False) -> DisclosureRec:
    """:raises EtlError: for bad input, naming file, line or page, and table."""
    return process_document(read(path), overrides=overrides, require_budget=require_budget)


def process_document(doc: Document, *, overrides: Overrides | None = None, require_budget: bool = False) -> DisclosureRec:
    """The stages after reading (see the module docstring); ``require_budget`` runs the last
    (a build does; an excerpt of one table kind need not hold a budget table).

    :raises EtlError: nothing names the department or the year; no budget table (``require_budget``).
    """
    rec = identify(doc, overrides or Overrides())
    rec.skipped.extend(doc.skipped)
    extract_tables(doc, rec)
    for fn in EXTRACTORS:
        fn(doc, rec)
    if require_budget:
        require_facts(doc, rec)
    return rec


def _phase(doc: Document) -> str:
    if doc.meta.get("phase"):
        return doc.meta["phase"]
    titles = [doc.title or ""] + [t.title for t in doc.tables()]
    return PHASES[FINAL_ACCOUNTS_WORD] if any(FINAL_ACCOUNTS_WORD in t for t in titles) else PHASES[DEFAULT_PHASE_WORD]


def _named_in_titles(doc: Document) -> dict[str, str]:
    """Department and year of the first table title or heading that names a department (an
    attachment of tables without a cover: ``某市某局2026年部门收支总表``)."""
    if doc.meta.get("department_name") and doc.meta.get("year"):
        return {}
    for block in doc.blocks:
        title = block.title if isinstance(block, Table) else block.text if isinstance(block, Heading) else ""
        meta = title_meta(title) if title else {}
        if "department_name" in meta:
            return meta
    return {}


def _cover_name(doc: Document) -> str | None:
    """The organisation the cover names: the title with the text printed on its page before the
    first table (a labelled 预算主管部门：... under it); a document without a title has no cover."""
    if not doc.title:
        return None
    text = [doc.title]
    if doc.blocks and doc.blocks[0].page is not None:
        page = doc.blocks[0].page
        for block in doc.blocks[1:]:
            if isinstance(block, Table) or block.page != page:
                break
            text.append(block.text)
    return title_meta("\n".join(text)).get("department_name")


def identify(doc: Document, overrides: Overrides) -> DisclosureRec:
    """Who published which budget: the overrides first, then what the document prints.

    :raises EtlError: nothing names the department or the year, or the year is not a year; a bad override.
    """
    overrides = overrides.check(doc.name)
    titled = _named_in_titles(doc)
    printed, scope = split_scope(doc.meta.get("department_name") or titled.get("department_name") or "")
    # a name given by a portal is normalized as a printed one: spaces dropped, a bracketed scope set apart
    given, given_scope = department_name(overrides.department) if overrides.department else (None, None)
    name = given or printed
    year = overrides.year or doc.meta.get("year") or titled.get("year")
    if not name or not year:
        missing = " and ".join(k for k, v in (("department", name), ("fiscal year", year)) if not v)
        raise EtlError(f"no {missing} found: not a budget disclosure of a known template, and no "
                       "--department/--year or sources.csv row names it", doc.location(1))
    year = year.strip().removesuffix(YEAR_SUFFIX)
    if not (len(year) == 4 and year.isdigit()):
        raise EtlError(f"fiscal year is not a year: {year!r}", doc.location(1))
    # a given name that names no place leaves the place to the printed name
    jurisdiction = (jurisdictions()[overrides.jurisdiction] if overrides.jurisdiction
                    else find_jurisdiction(name) or (find_jurisdiction(printed) if printed else None))
    rec = DisclosureRec(
        doc=doc, phase=overrides.phase or _phase(doc), year=year, department_code=doc.meta.get("department_code"),
        department_name=name, jurisdiction=jurisdiction,
        level=overrides.level or doc.meta.get("level", LEVELS[DEFAULT_LEVEL_WORD]),
        # the printed scope stays unless a portal names another department or scope
        name_scope=given_scope or doc.meta.get("name_scope") or (scope if given in (None, printed) else None),
        cover_name=_cover_name(doc),
    )
    if rec.jurisdiction is None:
        rec.skip(doc.location(1), f"jurisdiction of {name!r} not in ontology/jurisdictions.csv; department kept without it")
    return rec


def extract_tables(doc: Document, rec: DisclosureRec) -> None:
    """Recognize every table and extract the budget tables; a table whose extraction fails is
    quarantined (its location and reason in ``rec.quarantined`` and ``rec.skipped``)."""
    seen: dict[str, int] = {}
    contents: list[tuple[Location, Table]] = []  # reported with what they list and what of it was not read
    for table in doc.tables():
        found = classify(table)
        kind = found.kind
        rec.kinds.append((table, kind))
        loc = doc.location(table.line, table.page, table.title)
        if kind == "contents":
            contents.append((loc, table))
            continue
        if kind in HANDLED_ELSEWHERE:
            continue
        if kind not in SPECS:
            rec.skip(loc, NOT_BUDGET_TABLES.get(kind) or found.reason or UNKNOWN_KIND)
            continue
        if kind in seen:
            rec.skip(loc, f"second table of kind {kind} (first at line {seen[kind]}), not mapped")
            continue
        try:
            rec.tables.append(extract(table, kind, doc=doc, department=rec.department_name))
        except EtlError as exc:
            where = Location(loc.file, exc.location.line or loc.line, exc.location.page or loc.page, loc.table)
            rec.quarantined.append(Skipped(where, exc.reason))
            rec.skip(where, f"{QUARANTINED}: {exc.reason}")
            continue
        seen[kind] = table.line
    titles = [t.title for t in doc.tables()]
    for loc, table in contents:
        rec.skip(loc, contents_reason(table, titles))
    settle_across_tables(rec.tables)


def _tables_elsewhere(doc: Document) -> str | None:
    """The line of the narrative saying that the tables are published separately, if any."""
    for block in doc.blocks:
        if isinstance(block, (Heading, Paragraph)) and TABLES_ELSEWHERE_RE.search(block.text):
            return f"page {block.page}: {block.text}" if block.page else f"line {block.line}: {block.text}"
    return None


def require_facts(doc: Document, rec: DisclosureRec) -> None:
    """A disclosure must yield budget tables, unless its narrative says its tables are
    published separately (then noted).

    :raises EtlError: no budget table, naming the quarantined and the unknown tables.
    """
    if rec.tables:
        return
    elsewhere = _tables_elsewhere(doc)
    if elsewhere and not rec.quarantined:
        rec.tables_elsewhere = elsewhere
        rec.notes.append(f"no budget table: a narrative whose tables are published separately ({elsewhere})")
        return
    why = "no budget table found"
    unknown = [s.location for s in rec.skipped if s.reason.startswith(UNKNOWN_KIND)]
    if unknown:
        why += f" ({len(unknown)} tables of an unknown kind, the first {unknown[0]})"
    if rec.quarantined:
        why += "; every budget table was quarantined: " + "; ".join(f"{q.location}: {q.reason}" for q in rec.quarantined)
    raise EtlError(why, doc.location(1))
