"""PDF disclosure -> :class:`etl.model.Document` (text-layer PDFs, via pdfplumber).

API: :func:`read_pdf(path) <read_pdf>` -> ``Document`` with ``fmt="pdf"``.

The PDF yields the same document model as the text reader, so recognition,
extraction and mapping are shared:

* the cover sets ``Document.title`` and ``Document.meta`` (``department_name``,
  ``year``, ``phase`` = ``budget`` / ``final-accounts``, ``level`` =
  ``department`` / ``unit``); the table of contents is dropped;
* narrative text becomes ``Heading`` / ``Paragraph`` blocks with their page;
* each ruled table becomes a ``Table``: title = the line above it (else the last
  heading), ``meta`` from the 编制部门 / 单位 line (``department_name`` and ``year``
  fall back to the cover), ``header`` rows, ``column_numbers`` (栏次 row),
  ``rows`` and ``notes`` (注 lines below it). Cells keep the printed text (amounts
  with their thousand separators, 类/款/项 codes in their own cells). Tables
  continued on the next page are merged and the repeated header dropped; a
  table printed empty (无) has its header and note but no rows. A table drawn
  without ruling lines is rebuilt from the x-positions of its text.
* ``Row.line`` / ``Table.line`` count the printed lines and table rows of the
  whole document in reading order; with ``page`` they locate the row.
* repairs a careful reader makes (split header/body rows, labels printed across
  merged cells, amounts printed on the line below their label, wrapped names,
  text outside the visible page) are noted in ``Table.repairs`` and
  ``Document.repairs``; a page that cannot be read is noted there as
  ``skipped: page N: ...`` and the rest of the document is read.

Raises :class:`etl.model.EtlError` (page 1) for a password-protected PDF or a PDF
without a text layer (scanned).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pdfplumber.utils.exceptions import PdfminerException

from etl import pdf_tables as pt
from etl.model import Document, EtlError, Heading, Location, Paragraph, Row, Table

_END_PUNCT = tuple("。；;，,：:")
_PART_RE = re.compile(r"^第[一二三四五六七八九十]+(?:部分|章|节)")
_CN_ORD_RE = re.compile(r"^[一二三四五六七八九十]+、")
_CN_SUB_RE = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
_PARA_START_RE = re.compile(r"^(?:第[一二三四五六七八九十]+条|[（(]\d+[)）]|\d+[、．.](?!\d))")
_META_RE = re.compile(r"(?:编制(?:部门|单位)|单位|预算年度)\s*[:：]")
_NOTE_RE = re.compile(r"^注\s*\d*\s*[:：]")
_PAGE_NO_RE = re.compile(r"^(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3})$")
_ORG_SUFFIX = ("局", "委", "委员会", "办", "办公室", "院", "中心", "所", "厅", "部", "会", "处", "馆", "站", "队", "校", "社", "署", "团")


@dataclass
class Line:
    """One printed line: characters whose boxes overlap vertically by half their height."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    segments: list[tuple[float, float, str]]  # runs separated by wide gaps
    offset: float = 0.0  # largest baseline offset of a part read into this line
    offset_parts: list[str] = field(default_factory=list)
    no: int = 0


@dataclass
class _Page:
    no: int
    lines: list[Line]
    grids: list[pt.Grid]
    hidden: int = 0
    images: int = 0
    width: float = 0.0


def build_lines(chars: list[dict]) -> list[Line]:
    """Group characters into lines, tolerating digits set a few points off the baseline."""
    buckets: dict[int, list[dict]] = {}
    for c in chars:
        buckets.setdefault(round(c["top"]), []).append(c)
    groups: list[list] = []  # [top, bottom, [chars], [(offset, chars)]]
    for key in sorted(buckets):
        cs = buckets[key]
        top = min(c["top"] for c in cs)
        bottom = max(c["bottom"] for c in cs)
        target = None
        for g in reversed(groups[-3:]):
            overlap = min(bottom, g[1]) - max(top, g[0])
            if overlap > 0.5 * min(bottom - top, g[1] - g[0]):
                target = g
                break
        if target is None:
            groups.append([top, bottom, list(cs), []])
        else:
            target[2].extend(cs)
            if abs(top - target[0]) > 1.5:
                target[3].append((top - target[0], {id(c) for c in cs}))
    return [_make_line(g) for g in groups]


def _make_line(group) -> Line:
    top, bottom, chars, offsets = group
    chars.sort(key=lambda c: c["x0"])
    size = Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]
    offset_ids = set().union(*(ids for _, ids in offsets)) if offsets else set()
    segments: list[tuple[float, float, str]] = []
    seg_offset: list[bool] = []
    buf, x0, prev, n_off = [], 0.0, None, 0
    for c in chars:
        if prev is not None:
            gap = c["x0"] - prev["x1"]
            if gap > 1.5 * size:
                segments.append((x0, prev["x1"], pt.norm("".join(buf))))
                seg_offset.append(n_off * 2 > len(buf))
                buf, n_off = [], 0
            elif gap > 0.25 * size:
                buf.append(" ")
        if not buf:
            x0 = c["x0"]
        buf.append(c["text"])
        n_off += id(c) in offset_ids
        prev = c
    segments.append((x0, prev["x1"], pt.norm("".join(buf))))
    seg_offset.append(n_off * 2 > len(buf))
    text = pt.norm(" ".join(s[2] for s in segments))
    line = Line(text, top, bottom, chars[0]["x0"], chars[-1]["x1"], size, segments)
    if offsets:
        line.offset = max(abs(o) for o, _ in offsets)
        line.offset_parts = [s[2] for s, off in zip(segments, seg_offset) if off]
    return line


def _scan_page(page, no: int) -> _Page:
    x0, top, x1, bottom = page.bbox
    visible, hidden = [], 0
    for c in page.chars:
        if c["text"].isspace() or not c.get("upright", True):
            continue
        if c["x0"] < x0 - 1 or c["x1"] > x1 + 1 or c["top"] < top - 1 or c["bottom"] > bottom + 1:
            hidden += 1
            continue
        visible.append(c)
    grids = pt.ruled_grids(page) if visible else []
    if grids:
        boxes = [g.bbox for g in grids]
        visible = [
            c for c in visible
            if not any(b[0] <= (c["x0"] + c["x1"]) / 2 <= b[2] and b[1] <= (c["top"] + c["bottom"]) / 2 <= b[3] for b in boxes)
        ]
    return _Page(no, build_lines(visible), grids, hidden, len(page.images), float(page.width))


def _open(path: Path, data: bytes):
    name = path.name
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        inner = exc.args[0] if exc.args else exc
        kind = type(inner).__name__
        if "Password" in kind or "Encrypt" in kind or "password" in str(inner).lower():
            raise EtlError("encrypted PDF: it needs a password to be read", Location(name, page=1)) from exc
        raise EtlError(f"not a readable PDF ({kind}: {inner})", Location(name, page=1)) from exc


def read_pdf(path: str | Path) -> Document:
    """Read a text-layer PDF disclosure into the shared document model."""
    path = Path(path)
    data = path.read_bytes()
    doc = Document(str(path), hashlib.sha256(data).hexdigest(), "pdf")
    pdf = _open(path, data)
    with pdf:
        pages: list[_Page] = []
        for no, page in enumerate(pdf.pages, 1):
            try:
                pages.append(_scan_page(page, no))
            except Exception as exc:  # a damaged page: note it and read on
                doc.repairs.append(f"skipped: page {no}: cannot be read ({type(exc).__name__}: {exc})")
                pages.append(_Page(no, [], []))
    if not pages or not any(p.lines or p.grids for p in pages):
        raise EtlError("no text layer (a scanned or image-only PDF?); OCR it first", Location(doc.name, page=1))
    _drop_clipped(data, pages, doc)
    _Assembler(doc, pages).run()
    return doc


def _drop_clipped(data: bytes, pages: list[_Page], doc: Document) -> None:
    """Drop lines hidden by a clipping path (text overflowing a cell, printed again on the next page).

    pdfminer ignores clipping paths, so such text would be read twice. Only pages that share
    a line with a neighbour are rendered (pdfium, which pdfplumber ships) to see which copy
    has ink; a copy without ink, or with less ink than its twin, is dropped.
    """
    suspects: set[int] = set()
    for a, b in zip(pages, pages[1:]):
        shared = {ln.text for ln in a.lines if len(ln.text) >= 8} & {ln.text for ln in b.lines}
        if shared:
            suspects.update((a.no, b.no))
    if not suspects:
        return
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    ink: dict[int, float] = {}
    try:
        for page in pages:
            if page.no not in suspects:
                continue
            img = pdf[page.no - 1].render(scale=2).to_pil().convert("L")
            for ln in page.lines:
                rows = range(int(ln.top * 2), max(int(ln.top * 2) + 1, int(ln.bottom * 2)))
                hit = sum(1 for y in rows if img.crop((int(ln.x0 * 2), y, int(ln.x1 * 2) + 1, y + 1)).getextrema()[0] < 160)
                ink[id(ln)] = hit / len(rows)
    finally:
        pdf.close()
    best: dict[str, float] = {}
    for page in pages:
        for ln in page.lines:
            if id(ln) in ink:
                best[ln.text] = max(best.get(ln.text, 0.0), ink[id(ln)])
    for page in pages:
        if page.no not in suspects:
            continue
        keep = [ln for ln in page.lines if ink[id(ln)] >= 0.2 and ink[id(ln)] >= best[ln.text] - 0.05]
        if len(keep) < len(page.lines):
            doc.repairs.append(
                f"page {page.no}: {len(page.lines) - len(keep)} lines hidden by clipping "
                "(text overflowing its box, shown on the neighbouring page) ignored"
            )
            page.lines = keep


# --------------------------------------------------------------------- assembly


def _is_meta(ln: Line) -> bool:
    return bool(_META_RE.search(ln.text)) and len(ln.text) < 80


def _parse_meta(text: str, meta: dict[str, str]) -> None:
    m = re.search(r"编制(?:部门|单位)\s*[:：]\s*(.+?)(?=\s*(?:金额)?单位\s*[:：]|\s*预算年度|$)", text)
    if m:
        meta["department_name"] = pt.norm(m.group(1))
    m = re.search(r"(?<!编制)单位\s*[:：]\s*(\S+)", text)
    if m:
        meta["unit"] = m.group(1)
    m = re.search(r"预算年度\s*[:：]\s*(\d{4})", text)
    if m:
        meta["year"] = m.group(1)


def cover_meta(text: str) -> dict[str, str]:
    """department_name, year, phase, level from the cover text."""
    meta: dict[str, str] = {}
    flat = text.replace("\n", "")
    m = re.search(r"(20\d\d)\s*年?", flat)
    if m:
        meta["year"] = m.group(1)
    if "决算" in flat:
        meta["phase"] = "final-accounts"
    elif "预算" in flat:
        meta["phase"] = "budget"
    meta["level"] = "unit" if re.search(r"单位(?:预算|决算)", flat) and not re.search(r"部门(?:预算|决算)", flat) else "department"
    m = re.search(r"(?:预算|决算)?(?:主管)?(?:部门|单位)(?:名称)?\s*[:：]\s*(\S+)", text)
    if m:
        meta["department_name"] = pt.norm(m.group(1))
    else:
        for line in text.split("\n"):
            cand = re.split(r"\d{4}\s*年", pt.norm(line))[0]
            if cand.endswith(_ORG_SUFFIX) and "预算" not in cand and "决算" not in cand:
                meta["department_name"] = cand
                break
    return meta


class _Assembler:
    def __init__(self, doc: Document, pages: list[_Page]):
        self.doc = doc
        self.pages = pages
        sizes: Counter = Counter()
        for p in pages:
            for ln in p.lines:
                sizes[ln.size] += len(ln.text)
        self.body = sizes.most_common(1)[0][0] if sizes else 12.0
        self.counter = 0
        self.table: Table | None = None  # the table a next-page fragment may continue
        self.table_width = 0
        self.table_ruled = True
        self.table_header_seen: list[list[str]] = []
        self.tables_meta: dict[int, tuple] = {}
        self.last: object = None  # last emitted block
        self.last_line: Line | None = None
        self.para_full = False
        self.in_note = False
        self.last_heading: str = ""
        self.pitch = 15.0
        self._edges: dict[int, tuple[float, float]] = {}

    # ------------------------------------------------------------------ driver
    def run(self) -> None:
        toc = False
        cover_done = False
        for page in self.pages:
            if page.hidden:
                self.doc.repairs.append(
                    f"page {page.no}: {page.hidden} characters printed outside the visible page ignored"
                )
            if not page.lines and not page.grids:
                if page.images:
                    self.doc.repairs.append(f"skipped: page {page.no}: no text layer (image only)")
                continue
            self._number(page)
            first = page.lines[0].text.replace(" ", "") if page.lines else ""
            if not cover_done and self._cover(page):
                cover_done = True
                continue
            cover_done = True
            if first in ("目录", "目次") or (toc and self._toc_like(page)):
                toc = True
                continue
            toc = False
            try:
                self._page(page)
            except Exception as exc:  # an unreadable page: note and read on
                self.doc.repairs.append(f"skipped: page {page.no}: {type(exc).__name__}: {exc}")
        for table in self.doc.tables():
            self._finish(table)

    def _number(self, page: _Page) -> None:
        items = [(ln.top, 0, ln) for ln in page.lines] + [(g.bbox[1], 1, g) for g in page.grids]
        for _, kind, item in sorted(items, key=lambda t: (t[0], t[1])):
            if kind == 0:
                self.counter += 1
                item.no = self.counter
            else:
                item.row_nos = list(range(self.counter + 1, self.counter + 1 + len(item.rows)))
                self.counter += len(item.rows)

    def _cover(self, page: _Page) -> bool:
        text = "\n".join(ln.text for ln in page.lines)
        if page.grids or len(page.lines) > 8 or not re.search(r"预算|决算", text):
            return False
        self.doc.meta.update(cover_meta(text))
        big = max(ln.size for ln in page.lines)
        title = [ln for ln in page.lines if ln.size >= 0.9 * big]
        self.doc.title = pt.norm("".join(ln.text for ln in title))
        self._emit(Heading(1, self.doc.title, title[0].no, page.no))
        for ln in page.lines:
            if ln not in title:
                self._emit(Paragraph(ln.text, ln.no, page.no))
        return True

    def _toc_like(self, page: _Page) -> bool:
        if page.grids or len(page.lines) < 3:
            return False
        return all(
            "…" in ln.text or "..." in ln.text or ((_CN_ORD_RE.match(ln.text) or _PART_RE.match(ln.text)
             or _CN_SUB_RE.match(ln.text) or re.match(r"^\d+[.．、]", ln.text)) and not ln.text.endswith(_END_PUNCT))
            for ln in page.lines
        )

    # -------------------------------------------------------------------- page
    def _page(self, page: _Page) -> None:
        left, right = self._margins(page)
        items = sorted([(ln.top, 0, ln) for ln in page.lines] + [(g.bbox[1], 1, g) for g in page.grids],
                       key=lambda t: (t[0], t[1]))
        pending: list[Line] = []
        page_start = True
        for _, kind, item in items:
            if kind == 0:
                pending.append(item)
                continue
            self._grid(page, item, pending, page_start, left, right)
            pending = []
            page_start = False
        if pending:
            self._text(page, pending, left, right, page_start)

    def _margins(self, page: _Page) -> tuple[float, float]:
        """Left and right edge of the body text; sets ``self.pitch`` (line spacing of the page).

        The edges are taken over all pages of the same width (most common left edge, 90th
        percentile of the right edges), so that a page whose lines are all indented or all
        short is still read right.
        """
        body = [ln for ln in page.lines if abs(ln.size - self.body) <= 1] or page.lines
        steps = sorted(b.top - a.top for a, b in zip(body, body[1:]) if b.top > a.top)
        self.pitch = steps[len(steps) // 4] if steps else 1.3 * self.body
        key = round(page.width)
        if key not in self._edges:
            same = [ln for p in self.pages if round(p.width) == key for ln in p.lines if abs(ln.size - self.body) <= 1]
            if not same:
                same = body
            if not same:
                self._edges[key] = (0.0, 0.0)
            else:
                left = Counter(round(ln.x0) for ln in same).most_common(1)[0][0]
                rights = sorted(ln.x1 for ln in same)
                self._edges[key] = (left, rights[int(0.9 * (len(rights) - 1))])
        return self._edges[key]

    def _title_like(self, ln: Line) -> bool:
        t = ln.text
        if len(t) > 60 or t.endswith(_END_PUNCT) or _PART_RE.match(t) or _NOTE_RE.match(t):
            return False
        return t.endswith("表") or ln.size >= self.body + 1.5

    def _grid(self, page: _Page, grid: pt.Grid, pending: list[Line], page_start: bool, left, right) -> None:
        meta: dict[str, str] = {}
        i = len(pending) - 1
        while i >= 0 and _is_meta(pending[i]):
            _parse_meta(pending[i].text, meta)
            i -= 1
        title_line = None
        if i >= 0 and self._title_like(pending[i]):
            title_line = pending[i]
            i -= 1
        before = pending[: i + 1]
        if before:
            self._text(page, before, left, right, page_start)
        continuing = (
            title_line is None and not before and page_start and self.table is not None
            and self.last is self.table and grid.width == self.table_width
        )
        if continuing:
            self._continue(page, grid)
        else:
            title = title_line.text if title_line else self.last_heading
            line_no = title_line.no if title_line else grid.row_nos[0]
            self._new_table(page, grid, title, line_no, meta)
        self.in_note = True

    def _new_table(self, page: _Page, grid: pt.Grid, title: str, line_no: int, meta: dict[str, str]) -> None:
        table = Table(title=pt.norm(title), line=line_no, page=page.no)
        m = re.search(r"(20\d\d)\s*年", title)
        table.meta = dict(meta)
        if m:
            table.meta.setdefault("year", m.group(1))
        for key in ("department_name", "year"):
            if key in self.doc.meta:
                table.meta.setdefault(key, self.doc.meta[key])
        rows = [list(r) for r in grid.rows]
        nos = list(grid.row_nos)
        spans = [list(s) for s in grid.spans] if grid.spans else None
        header, colnums, start = pt.split_header(rows)
        if grid.ruled and start < len(rows):
            split = pt.split_code_head(rows[start])
            if split:
                head, body = split
                header.append(head)
                rows[start] = body
                if spans:
                    spans[start] = [1] * len(body)
                label = next((c for c in body if c), "")
                table.repairs.append(
                    f"page {page.no}: header cells {'/'.join(h for h in head if h)} and the row '{label}' "
                    "shared one ruled row; split into a header row and a body row"
                )
        table.header = header
        table.column_numbers = colnums
        self.table_header_seen = [list(h) for h in header]
        self.doc.blocks.append(table)
        self.table, self.table_width, self.table_ruled = table, grid.width, grid.ruled
        self.last = table
        self._add_rows(page, table, grid, rows[start:], nos[start:], spans[start:] if spans else None)

    def _continue(self, page: _Page, grid: pt.Grid) -> None:
        table = self.table
        rows, nos = grid.rows, grid.row_nos
        spans = grid.spans
        k = 0
        seen = [r for r in self.table_header_seen if any(r)]
        if table.column_numbers:
            seen.append(table.column_numbers)
        while k < len(rows) and (not any(rows[k]) or rows[k] in seen):
            k += 1  # the repeated header (and blank rows) at the top of the next page
        self._add_rows(page, table, grid, rows[k:], nos[k:], spans[k:] if spans else None)

    def _add_rows(self, page: _Page, table: Table, grid: pt.Grid, rows, nos, spans) -> None:
        width = max(len(table.leaf_headers()), grid.width)
        if grid.ruled:
            moved = pt.place_spanning_labels(rows, spans, table.header, width)
            if moved:
                shown = ", ".join(f"'{m}'" for m in moved)
                table.repairs.append(
                    f"page {page.no}: {shown} printed across the code and name columns; placed in the name column"
                )
        else:
            table.repairs.extend(grid.notes)
            tops = getattr(grid, "tops", [0.0] * len(rows))[-len(rows):] if rows else []
            rows, notes = pt.repair_rows([list(r) for r in rows], tops, page.no)
            table.repairs.extend(notes)
            nos = nos[: len(rows)]
        for cells, no in zip(rows, nos):
            if any(cells):
                table.rows.append(Row(list(cells), no, page.no))

    def _finish(self, table: Table) -> None:
        if table.rows and pt.is_empty_table([r.cells for r in table.rows]):
            markers = sorted({c for r in table.rows for c in r.cells if c})
            table.rows = []
            table.repairs = [r for r in table.repairs if "printed across" not in r]
            table.repairs.append(
                f"page {table.page}: table printed empty ({'/'.join(markers)} only); no rows emitted"
            )
        self.doc.repairs.extend(table.repairs)

    # -------------------------------------------------------------------- text
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
        for idx, ln in enumerate(lines):
            if _PAGE_NO_RE.match(ln.text) and (idx == len(lines) - 1 or idx == 0):
                continue
            if self._unruled_table(page, lines, idx):
                return
            self._line(page, ln, left, right, page_start and idx == 0)

    def _unruled_table(self, page: _Page, lines: list[Line], idx: int) -> bool:
        """A table without ruling lines: title (+ meta) followed by lines of columns."""
        ln = lines[idx]
        continuing = (
            idx == 0 and self.table is not None and self.last is self.table and not self.table_ruled
            and self._tabular(ln)
        )
        if not continuing and not (self._title_like(ln) and ln.text.endswith("表")):
            return False
        j = idx if continuing else idx + 1
        meta: dict[str, str] = {}
        while j < len(lines) and _is_meta(lines[j]):
            _parse_meta(lines[j].text, meta)
            j += 1
        k = j
        while k < len(lines) and not _NOTE_RE.match(lines[k].text) and (
            self._heading_level(lines[k]) is None or self._tabular(lines[k])
        ) and not (k > j and self._title_like(lines[k]) and lines[k].text.endswith("表")):
            k += 1
        body = lines[j:k]
        if not continuing and not any(self._tabular(b) for b in body):
            return False
        grid = pt.positional_grid(body, page.no) if body else None
        if grid is None:
            self.doc.repairs.append(
                f"skipped: page {page.no}: table '{ln.text}' has neither ruling lines nor a column structure"
            )
            return True
        grid.row_nos = [b.no for b in body]
        grid.tops = [b.top for b in body]
        if continuing:
            self._continue(page, grid)
        else:
            self._new_table(page, grid, ln.text, ln.no, meta)
        self.in_note = True
        rest = lines[k:]
        if rest:
            self._text(page, rest, *self._margins(page), False)
        return True

    @staticmethod
    def _tabular(ln: Line) -> bool:
        return len(ln.segments) >= 2 and pt.is_data_row([s[2] for s in ln.segments])

    def _line(self, page: _Page, ln: Line, left: float, right: float, at_page_start: bool) -> None:
        text = ln.text
        prev = self.last_line
        same_page_gap = (ln.top - prev.top) if prev is not None and self.last is not None and getattr(
            self.last, "page", None) == page.no else None
        if self.in_note and isinstance(self.last, Table):
            table = self.last
            if _NOTE_RE.match(text):
                table.notes.append(text)
                self.last_line = ln
                self.para_full = self._full(ln, right)
                return
            if table.notes and self.para_full and same_page_gap is not None and same_page_gap < 1.5 * self.pitch \
                    and ln.x0 <= left + 0.8 * ln.size:
                table.notes[-1] = pt.join_lines([table.notes[-1], text])
                self.last_line = ln
                self.para_full = self._full(ln, right)
                return
        self.in_note = False
        level = self._heading_level(ln)
        if level is not None:
            last = self.last
            if (isinstance(last, Heading) and last.page == page.no and prev is not None and abs(prev.size - ln.size) < 0.5
                    and ln.no == prev.no + 1 and ln.top - prev.bottom < 1.0 * ln.size and ln.size >= self.body + 1.5
                    and not (_CN_ORD_RE.match(text) or _CN_SUB_RE.match(text) or _PART_RE.match(text))):
                last.text = pt.join_lines([last.text, text])
                self.last_heading = last.text
            else:
                self._emit(Heading(level, text, ln.no, page.no))
                self.last_heading = text
            self.last_line = ln
            self.para_full = False
            return
        indent = ln.x0 > left + 0.8 * ln.size
        starts = bool(_PARA_START_RE.match(text) or _CN_ORD_RE.match(text) or _CN_SUB_RE.match(text))
        cont = isinstance(self.last, Paragraph) and self.para_full and not indent and not starts
        if cont and not at_page_start and (same_page_gap is None or same_page_gap > 1.5 * self.pitch):
            cont = False
        if cont:
            self.last.text = pt.join_lines([self.last.text, text])
        else:
            self._emit(Paragraph(text, ln.no, page.no))
        self.last_line = ln
        self.para_full = self._full(ln, right)

    @staticmethod
    def _full(ln: Line, right: float) -> bool:
        """The line runs (nearly) to the right margin: its paragraph may go on."""
        return ln.x1 >= right - 4 * ln.size

    def _emit(self, block) -> None:
        self.doc.blocks.append(block)
        self.last = block
