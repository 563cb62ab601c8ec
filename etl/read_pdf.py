"""PDF disclosure -> :class:`budgetkg.etl.model.Document` (text-layer PDFs, read with pypdfium2).

API: ``read_pdf(path: str | Path) -> Document`` (``fmt="pdf"``); :func:`read_pages` (the same from
page objects); :func:`cover_meta`. The characters and ruling paths come from
:mod:`budgetkg.etl.pdf_raw`.

The PDF yields the text reader's document model, so recognition, extraction and mapping
are shared. The cover sets ``Document.title`` and ``Document.meta`` (``department_name``,
``year``, ``phase`` = ``budget`` / ``final-accounts``, ``level`` = ``department`` /
``unit``); the table of contents is dropped; narrative text becomes ``Heading`` /
``Paragraph`` blocks. Each table becomes a ``Table``: ``title`` = the title line above it (ending
in 表, or a table number; a bracketed subtitle line such as （2026年度） between them is skipped),
else the title printed in its first ruled rows, else the title of the table it continues from the
page before, else none (a section heading or a sentence above a table is not its title), ``meta`` from its 编制部门 / 单位 line (``department_name`` and
``year`` fall back to the cover), ``header`` rows, ``column_numbers`` (栏次 row), ``rows``
and ``notes`` (注 lines below it). Cells keep the printed text (amounts with thousand
separators, 类/款/项 codes in their own cells). Ruled tables are read cell by cell from
their ruling lines, others from the x-positions of their text. A table continued on the
next page is merged and its repeated header dropped; a table printed empty (无) keeps its
header and note and has no rows. ``line`` numbers count the printed lines and table rows
of the document in reading order; with ``page`` they locate the text.

The repairs of a careful reader (a header row sharing a ruled row with the first body
row, amounts set off or below their label's line,
wrapped names, clipped text, empty tables) are noted with their page in ``Table.repairs``
and ``Document.repairs``; a page that cannot be read is a :class:`~budgetkg.etl.model.Skipped`
record in ``Document.skipped`` (with its page) and the rest is read. Raises
:class:`budgetkg.etl.model.EtlError` (at page 1) for a
password-protected PDF, a file that is not a PDF, or a PDF without a text layer.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from budgetkg.etl import pdf_raw
from budgetkg.etl import pdf_tables as pt
from budgetkg.etl.docmeta import title_meta
from budgetkg.etl.inputs import quiet_pdf_library, refuse_foreign
from budgetkg.etl.lexicon import CN_ORD_RE as _CN_ORD_RE
from budgetkg.etl.lexicon import CN_SUB_RE as _CN_SUB_RE
from budgetkg.etl.lexicon import END_PUNCT as _END_PUNCT
from budgetkg.etl.lexicon import NOTE_RE as _NOTE_RE
from budgetkg.etl.lexicon import EMPTY_NOTE_LABEL_RE, EMPTY_NOTE_RE
from budgetkg.etl.lexicon import PAGE_NO_RE as _PAGE_NO_RE
from budgetkg.etl.lexicon import PARA_START_RE as _PARA_START_RE
from budgetkg.etl.lexicon import PART_RE as _PART_RE
from budgetkg.etl.lexicon import (CONTINUED_MARK_RE, DEFAULT_LEVEL_WORD, DEFAULT_PHASE_WORD, FINAL_ACCOUNTS_WORD, LEVELS,
                                   PHASE_WORD_RE, PHASES, SUBTITLE_RE, TABLE_WORD, TOC_TITLES, YEAR_RE)
from budgetkg.etl.model import Document, EtlError, Heading, Location, Paragraph, Row, Skipped, Table
from budgetkg.etl.pdf_tables import Line



@dataclass
class _Page:
    no: int
    lines: list[Line]
    grids: list[pt.Grid]
    hidden: int = 0
    images: int = 0
    width: float = 0.0
    prose_boxes: int = 0  # single ruled rows of running text, read as text
    clipped: list = field(default_factory=list)  # text drawn partly outside its clip (pdf_raw.clipped_text)
    unseen: list[Line] = field(default_factory=list)  # lines outside their clip, not drawn (pt.drop_clipped)


RUNNING_LINE_PAGES = 3  # pages a running header or footer is printed on, at least
HEADER_LINES = 2  # page-header lines (organisation, unit) printed between a title and its table, at most
_PDF_SIGNATURE = b"%PDF"  # within the first 1024 bytes, as PDF readers accept it


def read_pdf(path: str | Path) -> Document:
    """Read a text-layer PDF disclosure into the shared document model.

    The PDF library's own warnings (fonts without metrics, odd objects) are silenced while it
    reads: they say nothing a user can act on, and the reader reports what it could not read.

    :raises EtlError: for a damaged, encrypted or image-only PDF (at page 1).
    """
    with quiet_pdf_library():
        return _read_pdf(path)


def _read_pdf(path: str | Path) -> Document:
    path = Path(path)
    data = path.read_bytes()
    doc = Document(str(path), hashlib.sha256(data).hexdigest(), "pdf")
    if _PDF_SIGNATURE not in data[:1024]:
        refuse_foreign(path, data)  # a Word file named .pdf is named for what it is
    with pdf_raw.PdfPages(data, doc.name) as pages:
        try:
            count = len(pages)
        except Exception as exc:  # a broken page tree
            raise EtlError(f"not a readable PDF: it is damaged ({type(exc).__name__}: {exc}); download or export "
                           "it again", Location(doc.name, page=1)) from exc
        return read_pages(doc, pages, [partial(pages.page, i) for i in range(count)])


def read_pages(doc: Document, pdf, loaders: list) -> Document:
    """Fill ``doc`` from its pages: ``loaders[i]()`` gives page ``i + 1`` as a page object with ``chars``,
    ``rects``, ``lines``, ``curves``, ``images``, ``bbox``, ``width`` and ``find_tables()`` (a
    :class:`budgetkg.etl.pdf_raw.RawPage`, or a pdfplumber page for the comparison test); ``pdf`` gives the
    pdfium pages that :func:`budgetkg.etl.pdf_tables.drop_clipped` renders (``pdf[i]``: a ``pypdfium2.PdfDocument``,
    or the :class:`budgetkg.etl.pdf_raw.PdfPages` the loaders read, which keeps the pages it read open).

    :raises EtlError: (at page 1) for a damaged or image-only PDF.
    """
    where = Location(doc.name, page=1)
    pages: list[_Page] = []
    damaged: list[str] = []
    for no, load in enumerate(loaders, 1):
        try:
            page = load()
            if getattr(page, "clipped", None) is None:  # a page not read by pdfium: its clipping paths asked of pdfium
                page.clipped = pdf_raw.clipped_text(pdf, no - 1)
            lines, grids, hidden, prose = pt.scan_page(page)
            pages.append(_Page(no, lines, grids, hidden, len(page.images), float(page.width), prose, page.clipped))
        except Exception as exc:  # a damaged page: note it and read on
            damaged.append(f"page {no}: {type(exc).__name__}: {exc}")
            doc.skipped.append(Skipped(doc.location(page=no), f"cannot be read ({type(exc).__name__}: {exc})"))
    if not any(p.lines or p.grids for p in pages):
        if damaged:  # not a scan: the pages are there but broken
            raise EtlError(
                f"damaged PDF: {len(damaged)} of {len(damaged) + len(pages)} pages cannot be read (first: "
                f"{damaged[0]}); download or export it again", where,
            )
        raise EtlError("no text layer (a scanned or image-only PDF?); it needs OCR first", where)
    doc.repairs.extend(pt.drop_clipped(pdf, pages))
    _Assembler(doc, pages).run()
    scanned = sum(1 for p in pages if p.images)
    if not doc.blocks and scanned:  # only page numbers or stray marks over page images
        raise EtlError(
            f"no text layer: {scanned} of {len(pages)} pages are images with no text (a scanned PDF?); "
            "it needs OCR first (e.g. ocrmypdf)", where,
        )
    return doc


def cover_meta(text: str) -> dict[str, str]:
    """``department_name``, ``year``, ``phase`` and ``level`` from the text of a cover page
    (:func:`budgetkg.etl.docmeta.title_meta`; phase and level default to a department budget)."""
    meta = title_meta(text)
    meta.setdefault("phase", PHASES[DEFAULT_PHASE_WORD])
    meta.setdefault("level", LEVELS[DEFAULT_LEVEL_WORD])
    return meta


class _Assembler:
    """Turns the lines and grids of the pages into blocks, in reading order."""

    def __init__(self, doc: Document, pages: list[_Page]):
        self.doc, self.pages = doc, pages
        sizes = Counter()
        for p in pages:
            # the type of the text a clip hides counts: the neighbouring page prints it whole, in that type
            for ln in p.lines + p.unseen:
                sizes[ln.size] += len(ln.text)
        self.body = sizes.most_common(1)[0][0] if sizes else 12.0
        self.counter = 0
        self.table: Table | None = None  # the table a fragment on the next page may continue
        self.table_width, self.table_ruled, self.table_header = 0, True, []
        self.open_rows: dict[int, Row] = {}  # column -> the row of the table's merged cell left open at the page foot
        self.last = None  # last block emitted
        self.last_line: Line | None = None
        self.para_full = self.in_note = False
        self.pitch = 1.3 * self.body
        self._edges: dict[int, tuple[float, float]] = {}
        self.contents_open = False  # the cover page goes on with the table of contents
        # A line printed with the same text at the same height on several pages (某局2026年度部门预算公开
        # over every page) is a running header or footer, not text between a table and its continuation.
        seen = Counter(key for p in pages for key in {(pt.norm(ln.text), round(ln.top)) for ln in p.lines})
        self.running = {key for key, n in seen.items() if n >= RUNNING_LINE_PAGES}

    def run(self) -> None:
        toc = cover_seen = False
        for page in self.pages:
            if page.hidden:
                self.doc.repairs.append(f"page {page.no}: {page.hidden} characters printed outside the page ignored")
            if page.prose_boxes:
                self.doc.repairs.append(f"page {page.no}: {page.prose_boxes} ruled boxes around running text (one row, "
                                        "no amount or sentence punctuation in it) read as text, not as tables")
            if not page.lines and not page.grids:
                if page.images:
                    self.doc.skipped.append(Skipped(self.doc.location(page=page.no), "no text layer (image only)"))
                continue
            self._number(page)
            if not cover_seen:
                cover_seen = True
                if self._cover(page):
                    toc = self.contents_open
                    continue
            first = page.lines[0].text.replace(" ", "") if page.lines else ""
            toc = first in TOC_TITLES or (toc and self._toc_like(page))
            if toc:
                continue
            try:
                self._page(page)
            except Exception as exc:  # an unreadable page: note it and read on
                self.doc.skipped.append(Skipped(self.doc.location(page=page.no), f"{type(exc).__name__}: {exc}"))
        for table in self.doc.tables():
            notes = pt.empty_table_notes([r.cells for r in table.rows]) if table.rows else None
            if notes is not None:
                markers = "/".join(sorted({c for r in table.rows for c in r.cells if c}))
                table.rows = []
                # a 空表说明 printed in a cell is the table's note, as one printed below it
                table.notes[:0] = [n for n in dict.fromkeys(notes) if n not in table.notes]
                table.repairs.append(f"page {table.page}: table printed empty ({markers} only); no rows emitted"
                                     + (f", its note ({'/'.join(notes)}) printed in a cell kept as a note" if notes else ""))
            self.doc.repairs.extend(table.repairs)
            for key in ("department_name", "year"):  # no cover: the first table that prints it
                if key in table.meta:
                    self.doc.meta.setdefault(key, table.meta[key])
        if "phase" not in self.doc.meta and self.doc.tables():
            self.doc.meta["phase"] = (PHASES[FINAL_ACCOUNTS_WORD] if any(FINAL_ACCOUNTS_WORD in t.title for t in self.doc.tables())
                                      else PHASES[DEFAULT_PHASE_WORD])
        page_of = re.compile(r"page (\d+)")
        self.doc.repairs.sort(key=lambda r: int(m.group(1)) if (m := page_of.search(r)) else 0)
        self.doc.skipped.sort(key=lambda s: s.location.page or 0)

    def _number(self, page: _Page) -> None:
        items = [(ln.top, 0, ln) for ln in page.lines] + [(g.bbox[1], 1, g) for g in page.grids]
        for _, kind, item in sorted(items, key=lambda t: t[:2]):
            if kind == 0:
                self.counter += 1
                item.no = self.counter
            else:
                item.row_nos = list(range(self.counter + 1, self.counter + 1 + len(item.rows)))
                self.counter += len(item.rows)

    def _cover(self, page: _Page) -> bool:
        text = "\n".join(ln.text for ln in page.lines)
        if page.grids or not 0 < len(page.lines) <= 8 or not PHASE_WORD_RE.search(text) or any(
                pt.META_RE.search(ln.text) or ln.text.endswith(TABLE_WORD) or ln.text.replace(" ", "") in TOC_TITLES
                for ln in page.lines):
            return self._cover_above(page)
        self._cover_lines(page, page.lines)
        return True

    def _cover_above(self, page: _Page) -> bool:
        """A cover sharing the first page: the lines above the 目录 line (the rest of the page is
        the contents; True) or the title lines above the narrative or the first table (the page
        is read as usual; False)."""
        bare = [ln.text.replace(" ", "") for ln in page.lines]
        contents = next((i for i, t in enumerate(bare) if t in TOC_TITLES), 0)
        if contents:
            self._cover_lines(page, page.lines[:contents])
            self.contents_open = True
            return True
        top = page.grids[0].bbox[1] if page.grids else float("inf")
        head = []
        for ln in page.lines:
            if ln.top >= top or ln.size < self.body + 1.5:
                break
            head.append(ln)
        head = head or page.lines[:1]
        meta = title_meta("\n".join(ln.text for ln in head))
        if "department_name" in meta and "year" in meta:
            self.doc.meta.update(meta)
            self.doc.title = pt.join_lines([ln.text for ln in head])
        return False

    def _cover_lines(self, page: _Page, lines: list[Line]) -> None:
        """The cover's facts into ``Document.meta``, its title (the largest lines) as the heading."""
        self.doc.meta.update(cover_meta("\n".join(ln.text for ln in lines)))
        big = max(ln.size for ln in lines)
        title = [ln for ln in lines if ln.size >= 0.9 * big]
        self.doc.title = pt.norm("".join(ln.text for ln in title))
        self._emit(Heading(1, self.doc.title, title[0].no, page.no))
        for ln in lines:
            if ln not in title:
                self._emit(Paragraph(ln.text, ln.no, page.no))

    @staticmethod
    def _toc_like(page: _Page) -> bool:
        """A page continuing the table of contents: entries only (dot leaders or numbered headings)."""
        return not page.grids and len(page.lines) >= 3 and all(
            "…" in ln.text or "..." in ln.text or (not ln.text.endswith(_END_PUNCT) and (
                _CN_ORD_RE.match(ln.text) or _PART_RE.match(ln.text) or _CN_SUB_RE.match(ln.text)
                or re.match(r"^\d+[.．、]", ln.text))) for ln in page.lines)

    def _margins(self, page: _Page) -> tuple[float, float]:
        """Left / right edge of body text over the pages of this width; sets ``self.pitch``."""
        body = [ln for ln in page.lines if abs(ln.size - self.body) <= 1] or page.lines
        steps = sorted(b.top - a.top for a, b in zip(body, body[1:]) if b.top > a.top)
        self.pitch = steps[len(steps) // 4] if steps else 1.3 * self.body
        key = round(page.width)
        if key not in self._edges:
            same = [ln for p in self.pages if round(p.width) == key for ln in p.lines
                    if abs(ln.size - self.body) <= 1] or body or [Line("", 0, 0, 0, 0, 0, [])]
            rights = sorted(ln.x1 for ln in same)
            self._edges[key] = (Counter(round(ln.x0) for ln in same).most_common(1)[0][0],
                                rights[int(0.9 * (len(rights) - 1))])
        return self._edges[key]

    # --------------------------------------------------------------------- tables
    def _page(self, page: _Page) -> None:
        left, right = self._margins(page)
        items = sorted([(ln.top, 0, ln) for ln in page.lines] + [(g.bbox[1], 1, g) for g in page.grids],
                       key=lambda t: t[:2])
        pending: list[Line] = []
        page_start = True
        for _, kind, item in items:
            if kind == 0:
                pending.append(item)
                continue
            meta: dict[str, str] = {}
            i = len(pending) - 1
            while i >= 0 and pt.is_meta(pending[i]):
                pt.parse_meta(pending[i].text, meta)
                i -= 1
            if i >= 1 and SUBTITLE_RE.match(pending[i].text) and self._title_like(pending[i - 1]):
                # a bracketed line under the title ((2026年度)): part of the title block, not the title; the year
                # it names is the table's where the title names none
                if m := YEAR_RE.search(pending[i].text):
                    meta.setdefault("subtitle_year", m.group(1))
                i -= 1
            header_lines = self._below_title(pending, i)
            i -= len(header_lines)
            title = pending[i] if i >= 0 and self._title_like(pending[i]) else None
            if title is not None and pt.is_table_number(title.text) and i >= 1 and self._title_like(pending[i - 1]):
                i -= 1  # the number printed below its title (收入支出决算总表 / 公开01表): the title is above
                title = pending[i]
            title_text = title.text if title is not None else ""
            if title is not None and i >= 1 and self._wrapped_title(pending[i - 1], title):
                i -= 1  # a long title wrapped over two lines (…“三公”经费、会议费、培训费 / 支出预算表)
                title, title_text = pending[i], pt.join_lines([pending[i].text, title.text])
            cut = i if title else i + 1
            if title is not None and cut >= 1 and pt.is_table_number(pending[cut - 1].text):
                cut -= 1  # the number printed above its title (表01 / 2026年...总表): part of the title block
                meta.setdefault("number", pt.norm(pending[cut].text))
            before = pending[:cut] + header_lines  # read as text, as before the title block was found
            # only a running header above it (某局2026年度部门预算公开): the table of the page before goes on
            running_only = all((pt.norm(ln.text), round(ln.top)) in self.running for ln in before)
            if (running_only and page_start and self.table is not None and self.last is self.table
                    and item.width == self.table_width and (title is None or self._same_title(title_text))
                    and self._continues_inside(item)):
                for key, value in meta.items():  # page header facts repeated on the next page fill gaps
                    self.table.meta.setdefault(key, value)
                self._continue(page, item)
            else:
                if title is None:
                    title_text = self._continued_title(page, before, page_start)
                self._text(page, before, left, right, page_start)
                self._new_table(page, item, title_text, title.no if title else item.row_nos[0], meta,
                                printed_title=title is not None)
            pending, page_start = [], False
        self._text(page, pending, left, right, page_start)

    def _continues_inside(self, grid: pt.Grid) -> bool:
        """No other title printed in the first rows of the ruled table (a new table of the same width)."""
        inside, _, _ = pt.split_title_rows(grid.rows) if grid.ruled else ([], [], 0)
        named = [t for t in inside if not pt.is_table_number(t)]
        return not named or self._same_title(pt.strip_table_number(named[-1]))

    def _same_title(self, text: str) -> bool:
        """The title repeated over a continued table (also as 续表 / （续）)."""
        bare = CONTINUED_MARK_RE.sub("", pt.norm(text))
        return bare in ("", self.table.title)

    def _wrapped_title(self, first: Line, second: Line) -> bool:
        """``first`` is the first line of the title ``second`` ends: the same type right above it, large or
        opening with a table number (公开09表：…), not itself a title (ending in 表) nor a heading, nor a sentence."""
        t = first.text
        return ((first.size >= self.body + 1.5 or pt.strip_table_number(t) != t) and abs(first.size - second.size) < 0.5
                and 0 < second.top - first.top < 2 * second.size and not t.endswith((TABLE_WORD,) + _END_PUNCT)
                and not (_PART_RE.match(t) or _CN_ORD_RE.match(t) or _CN_SUB_RE.match(t) or pt.is_table_number(t)))

    def _continued_title(self, page: _Page, before: list[Line], page_start: bool) -> str:
        """The title of a table printed without one: the title of the table it continues, else none.

        It continues the table that ends the page before when it is the first table of its page and
        nothing but cell text cut by the page break (no heading, title or sentence), running lines and
        page numbers stands between them. A section heading or a sentence above a table is not its
        title: it says what the section is about, not what the table is."""
        table = self.table
        if not page_start or table is None or max([r.page for r in table.rows] or [table.page]) != page.no - 1:
            return ""
        after = []
        for block in reversed(self.doc.blocks):
            if block is table:
                break
            after.append(block)
        if any(not isinstance(b, Paragraph) or b.text.endswith(_END_PUNCT) for b in after) or any(
                self._heading_level(ln) is not None or self._title_like(ln) or ln.text.endswith(_END_PUNCT)
                for ln in before):
            return ""
        return table.title

    def _below_title(self, pending: list[Line], i: int) -> list[Line]:
        """The page-header lines ``pending[..i]`` printed between a title and its table in a smaller type
        than the title (``单位名称:某局``; not a heading nor a sentence; an organisation line ending in its unit,
        ``341-某局万元``, is a page-header line already: :func:`pdf_tables.is_meta`), at most
        :data:`HEADER_LINES`; none when the line right above the table is the title or no title is there."""
        if i < 0 or self._title_like(pending[i]):
            return []
        for j in range(i - 1, max(i - 1 - HEADER_LINES, -1), -1):
            if self._title_like(pending[j]):
                below = pending[j + 1: i + 1]
                small = all(ln.size < pending[j].size - 0.5 and not ln.text.endswith(_END_PUNCT)
                            and self._heading_level(ln) is None for ln in below)
                return below if small else []
        return []

    @staticmethod
    def _title_like(ln: Line) -> bool:
        return pt.is_title(ln.text)

    @staticmethod
    def _numbered(text: str) -> bool:
        """A line opened by an ordinal (1.项目支出绩效目标表, 二、…): it heads a group of tables; a title printed
        inside the ruled table below it names the table itself."""
        return bool(_PARA_START_RE.match(text) or _CN_ORD_RE.match(text) or _CN_SUB_RE.match(text))

    def _new_table(self, page: _Page, grid: pt.Grid, title: str, line_no: int, meta: dict[str, str],
                   printed_title: bool = True) -> None:
        rows = [list(r) for r in grid.rows]
        spans = [list(s) for s in grid.spans] if grid.spans else None
        inside, lines, k = pt.split_title_rows(rows) if grid.ruled else ([], [], 0)
        if k:  # the title and page-header line printed as the first rows of the ruled table
            rows = rows[k:]
            spans = spans[k:] if spans else None
            grid.row_nos, grid.tops = grid.row_nos[k:], grid.tops[k:]
            for text in lines:
                pt.parse_meta(text, meta)
            named = [t for t in inside if not pt.is_table_number(t)]
            if named and (not printed_title or pt.is_table_number(title) or self._numbered(title)):
                title = pt.strip_table_number(named[-1])
        table = Table(title=pt.norm(title), line=line_no, page=page.no, meta=dict(meta))
        m = YEAR_RE.search(title)
        if m:
            table.meta.setdefault("year", m.group(1))
        if "subtitle_year" in table.meta:
            table.meta.setdefault("year", table.meta.pop("subtitle_year"))
        for key in ("department_name", "year"):
            if key in self.doc.meta:
                table.meta.setdefault(key, self.doc.meta[key])
        header, table.column_numbers, start = pt.split_header(rows)
        if spans and len(spans) == len(rows):  # the merged cells of the header rows kept (the blank ones dropped)
            table.header_spans = [spans[j] for j, r in enumerate(rows[:start]) if any(r)][:len(header)]
        split = pt.split_code_head(rows[start]) if grid.ruled and start < len(rows) else None
        if split:
            header.append(split[0])
            if table.header_spans is not None:
                table.header_spans.append([1] * len(split[0]))
            rows[start] = split[1]
            label = next((c for c in split[1] if c), "")
            table.repairs.append(f"page {page.no}: header cells {'/'.join(h for h in split[0] if h)} and the row "
                                 f"'{label}' shared one ruled row; split into a header row and a body row")
        table.header = header
        self.table, self.table_width, self.table_ruled = table, grid.width, grid.ruled
        self.table_header = [h for h in header if any(h)] + ([table.column_numbers] if table.column_numbers else [])
        self._emit(table)
        self._add_rows(page, table, grid, rows[start:], grid.row_nos[start:], grid.tops[start:])

    def _continue(self, page: _Page, grid: pt.Grid) -> None:
        _, _, k = pt.split_title_rows(grid.rows) if grid.ruled else ([], [], 0)  # the title repeated inside
        while k < len(grid.rows) and (not any(grid.rows[k]) or grid.rows[k] in self.table_header):
            k += 1  # the header repeated at the top of the page, and blank rows
        carried: dict[int, Row] = {}
        if grid.ruled and k < len(grid.rows) and self.open_rows:
            carried = self._merged_over_the_break(page, grid.rows[k])
        if grid.ruled and k < len(grid.rows) and self.table.rows:
            last = self.table.rows[-1]
            col = pt.row_fragment(grid.rows[k], last.cells)
            if col is not None:  # a row broken by the page break: its text ends at the top of this page
                self.table.repairs.append(f"page {page.no}: '{grid.rows[k][col]}' at the top of the page ends the "
                                          f"row '{last.cells[col]}' broken by the page break; joined to it")
                last.cells[col] = pt.join_lines([last.cells[col], grid.rows[k][col]])
                k += 1
        self._add_rows(page, self.table, grid, grid.rows[k:], grid.row_nos[k:], grid.tops[k:], carried)

    def _merged_over_the_break(self, page: _Page, first: list[str]) -> dict[int, Row]:
        """The first cells of a column whose merged cell the previous page left open at its foot are the rest of
        that cell (the top-left rule of merged cells): their text joins the row the cell starts in. Returns
        that row by column (the cell may go on over the next page break too)."""
        labels = {id(row): " | ".join(c for c in row.cells if c) for row in self.open_rows.values()}
        for col, row in sorted(self.open_rows.items()):
            if col >= len(first) or not first[col] or col >= len(row.cells):
                continue
            label = labels[id(row)]
            row.cells[col] = pt.join_lines([row.cells[col], first[col]])
            self.table.repairs.append(f"page {page.no}: '{first[col]}' at the top of the page ends the cell merged over "
                                      f"the page break from the row '{label}' of page {row.page}; joined to it")
            first[col] = ""
        carried, self.open_rows = self.open_rows, {}
        return carried

    def _add_rows(self, page: _Page, table: Table, grid: pt.Grid, rows, nos, tops,
                  carried: dict[int, Row] | None = None) -> None:
        # A label printed in a cell merged across columns (合计 over 类/款/项 and 科目名称) stays in the
        # leftmost column of the merged range, where the grid put it: the top-left rule of spreadsheets.
        table.repairs.extend(grid.notes)
        start = len(grid.rows) - len(rows)  # the index in the grid of the first of these rows (ruled: a suffix)
        if not grid.ruled:
            repaired, src, notes = pt.repair_rows([list(r) for r in rows], list(tops), page.no)
            table.repairs.extend(notes)
            rows, nos = repaired, [nos[i] for i in src]
        added: dict[int, Row] = {}
        for i, (cells, no) in enumerate(zip(rows, nos)):
            if any(cells):
                indents = tuple(grid.indents[start + i]) if grid.ruled and grid.indents else None
                table.rows.append(Row(list(cells), no, page.no, indents=indents))
                added[start + i] = table.rows[-1]
        self.open_rows = {}
        for col, first in (grid.open_foot.items() if grid.ruled else ()):
            # a cell open at both ends (merged over this whole page) goes on from the row it started in
            row = (carried or {}).get(col) if first <= start else None
            row = row or next((added[i] for i in sorted(added) if i >= first), None)
            if row is not None:
                self.open_rows[col] = row
        self.in_note = True  # 注 lines below the table are its notes

    def _unruled_table(self, page: _Page, lines: list[Line], idx: int) -> int:
        """A table without ruling lines at ``lines[idx]``; returns the number of lines it took (0: none)."""
        ln = lines[idx]
        cont = (idx == 0 and self.table is not None and self.last is self.table and not self.table_ruled
                and self._tabular(ln))
        if not cont and not (self._title_like(ln) and ln.text.endswith(TABLE_WORD)):
            return 0
        j = idx if cont else idx + 1
        meta: dict[str, str] = {}
        while j < len(lines) and pt.is_meta(lines[j]):
            pt.parse_meta(lines[j].text, meta)
            j += 1
        k = j
        while k < len(lines) and not _NOTE_RE.match(lines[k].text) and (
                self._tabular(lines[k]) or self._heading_level(lines[k]) is None
        ) and not (k > j and self._title_like(lines[k]) and lines[k].text.endswith(TABLE_WORD)):
            k += 1
        grid = pt.positional_grid(lines[j:k], page.no) if k > j else None
        if grid is None:
            if cont or not meta:
                return 0  # a title-like line of the narrative
            self.doc.skipped.append(Skipped(self.doc.location(page=page.no), f"table '{ln.text}' has neither ruling "
                                            f"lines nor columns; {k - j} lines not read"))
            return k - idx
        if cont:
            self._continue(page, grid)
        else:
            self._new_table(page, grid, ln.text, ln.no, meta)
        return k - idx

    @staticmethod
    def _tabular(ln: Line) -> bool:
        return len(ln.segments) >= 2 and pt.is_data_row([s[2] for s in ln.segments])

    # ----------------------------------------------------------------------- text
    def _heading_level(self, ln: Line) -> int | None:
        t = ln.text
        if not t or len(t) > 60 or t.endswith(_END_PUNCT):
            return None
        if _PART_RE.match(t) and len(t) <= 40:
            return 1
        big = ln.size >= self.body + 1.5
        if big or (len(t) <= 32 and "：" not in t and ":" not in t):
            if _CN_ORD_RE.match(t):
                return 2
            if _CN_SUB_RE.match(t):
                return 3
        if big:
            return 1 if ln.size >= 1.3 * self.body else 2
        return None

    def _text(self, page: _Page, lines: list[Line], left: float, right: float, page_start: bool) -> None:
        idx = 0
        while idx < len(lines):
            ln = lines[idx]
            if _PAGE_NO_RE.match(ln.text) and idx in (0, len(lines) - 1):
                idx += 1
                continue
            taken = self._unruled_table(page, lines, idx)
            if taken:
                idx += taken
                continue
            self._line(page, ln, left, right, page_start and idx == 0)
            idx += 1

    def _line(self, page: _Page, ln: Line, left: float, right: float, at_page_start: bool) -> None:
        text, prev = ln.text, self.last_line
        gap = ln.top - prev.top if prev is not None and getattr(self.last, "page", None) == page.no else None
        full = ln.x1 >= right - 4 * ln.size  # the line runs to the right margin: its paragraph may go on
        if self.in_note and isinstance(self.last, Table):
            notes = self.last.notes
            # 说明：... below a table is its note only when it is a 空表说明 (elsewhere it opens the narrative's text)
            opens = _NOTE_RE.match(text) or (EMPTY_NOTE_LABEL_RE.match(text) and EMPTY_NOTE_RE.search(text))
            if opens or (notes and self.para_full and gap is not None and gap < 1.5 * self.pitch
                         and ln.x0 <= left + 0.8 * ln.size):
                if opens:
                    notes.append(text)
                else:
                    notes[-1] = pt.join_lines([notes[-1], text])
                self.last_line, self.para_full = ln, full
                return
        self.in_note = False
        level = self._heading_level(ln)
        if level is not None:
            last = self.last
            if (isinstance(last, Heading) and prev is not None and last.page == page.no and ln.no == prev.no + 1
                    and abs(prev.size - ln.size) < 0.5 and ln.size >= self.body + 1.5
                    and ln.top - prev.bottom < ln.size
                    and not (_CN_ORD_RE.match(text) or _CN_SUB_RE.match(text) or _PART_RE.match(text))):
                last.text = pt.join_lines([last.text, text])  # a heading wrapped on two lines
            else:
                self._emit(Heading(level, text, ln.no, page.no))
            self.last_line, self.para_full = ln, False
            return
        indent = ln.x0 > left + 0.8 * ln.size
        starts = _PARA_START_RE.match(text) or _CN_ORD_RE.match(text) or _CN_SUB_RE.match(text)
        cont = isinstance(self.last, Paragraph) and self.para_full and not indent and not starts
        if cont and not at_page_start and (gap is None or gap > 1.5 * self.pitch):
            cont = False
        if cont:
            self.last.text = pt.join_lines([self.last.text, text])
        else:
            self._emit(Paragraph(text, ln.no, page.no))
        self.last_line, self.para_full = ln, full

    def _emit(self, block) -> None:
        self.doc.blocks.append(block)
        self.last = block
