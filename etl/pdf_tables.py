"""Page layout for :mod:`budgetkg.etl.read_pdf`: printed lines and table grids of a PDF page.

API: :func:`scan_page` (visible characters -> :class:`Line` list, ruled :class:`Grid`
list), :func:`build_lines`, :func:`drop_clipped` (text hidden by a clipping path),
:func:`positional_grid` (a table without ruling lines, from the x-positions of its text),
:func:`split_header`, :func:`split_code_head`, :func:`is_title` (a table's title line),
:func:`repair_rows`, :func:`is_empty_table`, :func:`parse_meta` / :func:`is_meta`
(the 编制部门 / 单位 line above a table), and the text helpers :func:`norm`,
:func:`join_lines`, :func:`is_amount`, :func:`is_data_row`.

A :class:`Grid` is one table fragment on one page: ``rows`` of normalised cell
texts (cells covered by a merged cell are ``""``) and, for ruled grids,
``spans[r][c]`` = the number of columns the cell starting at ``c`` covers (0 when
covered). A label printed across merged cells is in the leftmost cell of the range (the
top-left rule of spreadsheets): 合计 over 类/款/项 and 科目名称 is in the 类 column.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from itertools import compress, groupby, repeat
from operator import add, and_, itemgetter, le, lt, not_, or_, sub, truediv

from budgetkg.etl.lexicon import (
    ATTACHMENT_RE, END_PUNCT, NOTE_RE, PART_RE, TABLE_WORD, TITLE_QUALIFIER_RE,
    YEAR_SUFFIX,
    AMOUNT_RE, CODE_HEADS, COLUMN_NUMBER_WORDS, META_BARE_UNIT_RE, META_ORG_RE, META_RE, META_UNIT_RE, META_YEAR_RE,
    ORDINAL_RE, PROSE_PUNCT, SPACER_WIDTH, TABLE_NUMBER_RE, UNITS,
)
from budgetkg.etl.lexicon import EMPTY_NOTE_RE
from budgetkg.etl.lexicon import EMPTY_TABLE_MARKS as TOTAL_LABELS
from budgetkg.etl.pdf_ruled import cell_text
from budgetkg.etl.text import clean_cell, is_clean

_WS = re.compile(r"[\s\u3000\u00a0]+")
MAX_TITLE_CHARS = 60  # a longer line is running text, not a title


def norm(text: str | None) -> str:
    """White space collapsed, spaces between CJK characters dropped (as :func:`budgetkg.etl.text.clean_cell`)."""
    if not text:
        return ""
    return text if is_clean(text) else clean_cell(_WS.sub(" ", text))


def join_lines(parts: list[str]) -> str:
    """Join the printed lines of a wrapped text: no space unless both sides are Latin letters."""
    out = ""
    for part in (p.strip() for p in parts):
        if part:
            if out and out[-1].isascii() and out[-1].isalpha() and part[0].isascii() and part[0].isalpha():
                out += " "
            out += part
    return norm(out)


def is_amount(cell: str) -> bool:
    return bool(cell) and bool(AMOUNT_RE.match(cell.replace(" ", "")))


def is_data_row(cells: list[str]) -> bool:
    """A body row: it prints an amount or code, starts with an ordinal label, or is a lone 合计/无."""
    filled = [c for c in cells if c]
    if not filled:
        return False
    if any(is_amount(c) for c in filled) or ORDINAL_RE.match(filled[0]):
        return True
    return len(filled) == 1 and filled[0] in TOTAL_LABELS


_CUT_DECIMAL = re.compile(r"^\d+\.$")  # an amount cut at its decimal point (1935. | 36)
_YEAR = re.compile(r"^(?:19|20)\d\d$")  # a year cut from its 年 (2026 | 年本单位 ...)


def is_prose_row(cells: list[str]) -> bool:
    """A ruled row that is a line of running text in boxes (shading drawn as rectangles), not a
    table row: it prints no amount, or a cell is, opens or ends with sentence punctuation, or an
    amount is cut at its decimal point over two cells (a year before a cell opening with 年 is
    no amount).

    >>> is_prose_row(["万元", "，", "事业收入", "0.", "00"]), is_prose_row(["单位", "支出预算"])
    (True, True)
    >>> is_prose_row(["2026", "年本", "单位", "委托业务费预算总"])
    True
    >>> is_prose_row(["收入总计", "91,842.80", "支出总计", "91,842.80"])
    False
    """
    filled = [c for c in cells if c]
    years = {i for i, c in enumerate(filled[:-1]) if _YEAR.match(c) and filled[i + 1].startswith(YEAR_SUFFIX)}
    if not any(is_amount(c) for i, c in enumerate(filled) if i not in years):
        return True
    return any(c[0] in PROSE_PUNCT or c[-1] in PROSE_PUNCT or _CUT_DECIMAL.match(c) for c in filled)


def is_colnum_row(cells: list[str]) -> bool:
    """The 栏次 row: 栏次/档次 first, or the column numbers 1, 2, 3 ... alone."""
    filled = [c for c in cells if c]
    if filled and filled[0] in COLUMN_NUMBER_WORDS:
        return True
    return len(filled) >= 3 and all(c.isdigit() for c in filled) and [int(c) for c in filled] == list(
        range(1, len(filled) + 1))


def is_meta(line) -> bool:
    """A page-header line of a table (编制部门：... 单位：元, or 341-某局 万元)."""
    bare = len(line.segments) > 1 and line.segments[-1][2].strip() in UNITS and META_BARE_UNIT_RE.match(line.text)
    return bool(META_RE.search(line.text) or bare) and len(line.text) < 80


def parse_meta(text: str, meta: dict[str, str]) -> None:
    """``department_name`` / ``unit`` / ``year`` from a printed 编制部门 / 单位 / 预算年度 line."""
    m = META_ORG_RE.search(text)
    if m:
        meta["department_name"] = norm(m.group(1))
    m = META_UNIT_RE.search(text) or META_BARE_UNIT_RE.match(text)
    if m:
        meta["unit"] = m.group(1)
    m = META_YEAR_RE.search(text)
    if m:
        meta["year"] = m.group(1)


# ------------------------------------------------------------------------ lines


@dataclass
class Line:
    """One printed line: characters whose boxes overlap vertically by half their height."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    segments: list[tuple[float, float, str]]  # runs of text separated by wide gaps
    offset: float = 0.0  # largest baseline offset of a part read into this line
    offset_parts: list[str] = field(default_factory=list)  # segments set off the baseline
    no: int = 0  # running line number in the document


def build_lines(chars: list[dict]) -> list[Line]:
    """Group characters into lines, tolerating digits set a few points off the baseline.

    pdfplumber's text extraction clusters by ``top`` and so puts such digits (or quote
    marks of another font) on a line of their own; here a run of characters joins the
    line it overlaps by more than half its height.
    """
    # the characters by their rounded tops (in the page's order within each): a stable sort, not a step per character
    keys = list(map(round, map(_TOP, chars)))
    groups: list[list] = []  # [top, bottom, chars, [(offset, ids)]]
    for _, run in groupby(sorted(range(len(chars)), key=keys.__getitem__), key=keys.__getitem__):
        cs = list(map(chars.__getitem__, run))
        top, bottom = min(map(_TOP, cs)), max(map(_BOTTOM, cs))
        for g in reversed(groups[-3:]):
            if min(bottom, g[1]) - max(top, g[0]) > 0.5 * min(bottom - top, g[1] - g[0]):
                g[2].extend(cs)
                if abs(top - g[0]) > 1.5:
                    g[3].append((top - g[0], {id(c) for c in cs}))
                break
        else:
            groups.append([top, bottom, cs, []])
    return [_make_line(*g) for g in groups]


_X0, _X1, _TOP, _BOTTOM, _TEXT, _SIZE = (itemgetter(k) for k in ("x0", "x1", "top", "bottom", "text", "size"))


def _make_line(top: float, bottom: float, chars: list[dict], offsets: list) -> Line:
    """The line of ``chars`` (put in order along it); its type size the most common of their sizes rounded to a
    tenth, the first along the line among equally common ones.

    >>> def line(*sizes):  # (x0, size) of each character
    ...     return _make_line(0.0, 10.0, [{"text": "a", "x0": x, "x1": x + 8.0, "size": s} for x, s in sizes], [])
    >>> line((0.0, 10.04), (10.0, 10.06)).size, line((10.0, 10.04), (0.0, 10.06)).size  # 10.0 and 10.1 tied
    (10.0, 10.1)
    >>> line((0.0, 10.06), (10.0, 10.04), (20.0, 10.02)).size  # two of 10.0 against one of 10.1 first
    10.0
    """
    chars.sort(key=_X0)
    sizes = Counter(map(_SIZE, chars))
    if len(sizes) == 1:  # one size (most lines)
        size = round(next(iter(sizes)), 1)
    else:  # the most common rounded size, the first to appear along the line among equals (Counter.most_common)
        rounded: dict[float, int] = {}
        for value, count in sizes.items():
            key = round(value, 1)
            rounded[key] = rounded.get(key, 0) + count
        size = max(rounded, key=rounded.__getitem__)
    if offsets:
        segments, seg_off = _offset_segments(chars, size, offsets)
    else:
        segments, seg_off = _segments(chars, size), None
    line = Line(norm(" ".join(s[2] for s in segments)), top, bottom, chars[0]["x0"], chars[-1]["x1"], size, segments)
    if offsets:
        line.offset = max(abs(o) for o, _ in offsets)
        line.offset_parts = [s[2] for s, off in zip(segments, seg_off) if off]
    return line


def _segments(chars: list[dict], size: float) -> list[tuple[float, float, str]]:
    """The runs of text of a line (characters ordered by ``x0``): a gap wider than 1.5 times the type size
    ends one, a gap wider than a quarter of it is a space. The gaps are worked out by maps; only the
    gaps wider than a quarter are stepped through."""
    x0s, x1s, texts = list(map(_X0, chars)), list(map(_X1, chars)), list(map(_TEXT, chars))
    gaps = list(map(sub, x0s[1:], x1s))  # gaps[k - 1]: before character k
    wide, narrow = 1.5 * size, 0.25 * size
    segments, start, run, parts = [], 0, 0, []
    for k in compress(range(1, len(chars)), map(lt, repeat(min(narrow, wide)), gaps)):
        parts.append("".join(texts[run:k]))
        run = k
        if gaps[k - 1] > wide:
            segments.append((x0s[start], x1s[k - 1], norm(" ".join(parts))))
            start, parts = k, []
    parts.append("".join(texts[run:]))
    segments.append((x0s[start], x1s[-1], norm(" ".join(parts))))
    return segments


def _offset_segments(chars: list[dict], size: float, offsets: list) -> tuple[list, list[bool]]:
    """:func:`_segments`, and for each whether most of its characters were read into the line from off its
    baseline (``offsets``: (offset, ids of the characters))."""
    off_ids = set().union(*(ids for _, ids in offsets))
    segments, seg_off = [], []
    buf: list[str] = []
    x0, n_off, prev = chars[0]["x0"], 0, None
    wide, narrow = 1.5 * size, 0.25 * size
    for c in chars:
        if prev is not None:
            gap = c["x0"] - prev["x1"]
            if gap > wide:
                segments.append((x0, prev["x1"], norm("".join(buf))))
                seg_off.append(n_off * 2 > len(buf))
                buf, n_off, x0 = [], 0, c["x0"]
            elif gap > narrow:
                buf.append(" ")
        buf.append(c["text"])
        n_off += id(c) in off_ids
        prev = c
    segments.append((x0, prev["x1"], norm("".join(buf))))
    seg_off.append(n_off * 2 > len(buf))
    return segments, seg_off


# A copy of a line with less than this share of its twin's ink is hidden (clipped text has next to none).
_VISIBLE_SHARE = 0.5


def drop_clipped(pdf, pages: list) -> list[str]:
    """Drop lines hidden by a clipping path (text overflowing its box and printed again on the next page).

    The text layer ignores clipping paths, so such text would be read twice. On pages sharing a
    line with a neighbour (at another height), the lines printed more than once are rendered (with
    ``pdf``, the open :class:`.pdf_raw.PdfPages`) to see which copy has ink; a copy with clearly less
    ink than its twin is dropped. Then the lines that stand where a text object reaches outside its
    clipping path (``page.clipped``, :func:`budgetkg.etl.pdf_raw.clipped_text`) are rendered, and
    those that do not show are dropped: the part of a cell merged over a page break that each page clips
    away (a line the clip cuts through below its middle included: the next page prints it whole). ``pages`` have ``no``, ``lines`` and ``clipped``; returns the notes of what was dropped.
    """
    notes = _drop_twins(pdf, pages)
    for page in pages:
        outside = [ln for ln in page.lines if _outside_clip(ln, page.clipped)]
        if not outside:
            continue
        ink = _ink(pdf[page.no - 1], outside)
        # the middle of such a line is outside the clip (where pdfplumber's rule puts a character: at its
        # middle), so at most half of it can show: a line with less ink than that is not printed there
        keep = [ln for ln in page.lines if ink.get(id(ln), 1.0) >= _VISIBLE_SHARE]
        if len(keep) < len(page.lines):
            notes.append(f"page {page.no}: {len(page.lines) - len(keep)} lines outside their clipping path (text "
                         "overflowing its cell, not drawn) ignored")
            page.unseen = [ln for ln in page.lines if ln not in keep]
            page.lines = keep
    return notes


def _outside_clip(ln, clipped: list) -> bool:
    """Whether line ``ln`` overlaps a text object whose middle lies outside the box its clip leaves visible."""
    for (x0, top, x1, bottom), (cx0, ctop, cx1, cbottom) in clipped:
        if x0 < ln.x1 and ln.x0 < x1 and top < ln.bottom and ln.top < bottom:
            mx, my = (x0 + x1) / 2, (top + bottom) / 2
            if not (cx0 <= mx <= cx1 and ctop <= my <= cbottom):
                return True
    return False


# A line with ink in less than this share of its pixel rows prints nothing (a rule crossing it is a row or two).
_NO_INK = 0.2


def _drop_twins(pdf, pages: list) -> list[str]:
    """The lines printed again on a neighbouring page whose copy here has clearly less ink (:func:`drop_clipped`)."""
    suspects: set[int] = set()
    for a, b in zip(pages, pages[1:]):
        tops = {}
        for ln in a.lines:
            if len(ln.text) >= 8:
                tops.setdefault(ln.text, []).append(ln.top)
        # a twin at another height (a repeated page header stands at the same height)
        if any(abs(ln.top - t) > 5 for ln in b.lines for t in tops.get(ln.text, ())):
            suspects.update((a.no, b.no))
    if not suspects:
        return []
    seen = Counter(ln.text for p in pages if p.no in suspects for ln in p.lines)
    ink: dict[int, float] = {}
    for page in (p for p in pages if p.no in suspects):
        # only a line with a twin can go (a line without one is its own best copy): only those are rendered
        twins = [ln for ln in page.lines if seen[ln.text] > 1]
        if twins:
            ink.update(_ink(pdf[page.no - 1], twins))
    best: dict[str, float] = {}
    for page in (p for p in pages if p.no in suspects):
        for ln in page.lines:
            if id(ln) in ink:
                best[ln.text] = max(best.get(ln.text, 0.0), ink[id(ln)])
    notes = []
    for page in (p for p in pages if p.no in suspects):
        # a line goes only when a twin of it is visibly printed and has clearly more ink: a hidden copy
        # has next to none, while a page header repeated in a smaller font has a little less (fonts
        # that pdfium cannot render leave every copy without ink: then all are kept)
        keep = [ln for ln in page.lines if id(ln) not in ink or best[ln.text] < _NO_INK
                or ink[id(ln)] >= _VISIBLE_SHARE * best[ln.text]]
        if len(keep) < len(page.lines):
            notes.append(f"page {page.no}: {len(page.lines) - len(keep)} lines hidden by clipping (text "
                         "overflowing its box, shown in full on the neighbouring page) ignored")
            page.lines = keep
    return notes


# The page is rendered at this many pixels per point to measure the ink of a line.
_SCALE = 2
# Rows of lines closer than this (pixels) are rendered together.
_BAND_GAP = 24
# A pixel darker than grey level 160 (of 0-255) prints something.
_DARK_PIXEL = re.compile(b"[%s-%s]" % (re.escape(bytes([0])), re.escape(bytes([160 - 1]))))


def _ink(page, lines: list) -> dict[int, float]:
    """The share of the pixel rows of each line (by ``id``) that print something dark, in the page
    rendered at :data:`_SCALE`: only bands of rows around the lines are rendered, each over the page's
    whole width and from a whole pixel; a row outside the page counts as dark. (A band is not always the
    whole page's pixels: pdfium draws a shape cut by the band's top edge with other anti-aliasing, so rows
    near it may differ; a crop at the left edge too moved a line's ink across the limit, so there is none.)"""
    width, height = (math.ceil(v * _SCALE) for v in page.get_size())
    rows = {id(ln): range(int(ln.top * _SCALE), max(int(ln.top * _SCALE) + 1, int(ln.bottom * _SCALE)))
            for ln in lines}
    bands: list[list[int]] = []
    for r in sorted(rows.values(), key=lambda r: r.start):
        start, stop = max(r.start, 0), min(r.stop, height)
        if start >= stop:
            continue
        if bands and start <= bands[-1][1] + _BAND_GAP:
            bands[-1][1] = max(bands[-1][1], stop)
        else:
            bands.append([start, stop])
    images = [(start, page.render(scale=_SCALE, crop=(0, (height - stop) / _SCALE, 0, start / _SCALE))
               .to_pil().convert("L")) for start, stop in bands]

    out = {}
    for ln in lines:
        x0, x1 = int(ln.x0 * _SCALE), int(ln.x1 * _SCALE) + 1
        ys = rows[id(ln)]
        start, stop = max(ys.start, 0), min(ys.stop, height)
        dark = len(ys) - max(stop - start, 0)  # rows outside the page (the whole page's image is padded with black)
        if start < stop:
            # the line's box cut from its band at once (padded with black beyond the image, as a row's crop is): a
            # row is dark where its darkest pixel is
            top, img = next((b, img) for b, img in reversed(images) if b <= start)
            pixels = img.crop((x0, start - top, x1, stop - top)).tobytes()
            dark += sum(_DARK_PIXEL.search(pixels, k, k + x1 - x0) is not None for k in range(0, len(pixels), x1 - x0))
        out[id(ln)] = dark / len(ys)
    return out


# ------------------------------------------------------------------------ grids


@dataclass
class Grid:
    bbox: tuple[float, float, float, float]
    rows: list[list[str]]
    spans: list[list[int]] | None = None
    ruled: bool = True
    notes: list[str] = field(default_factory=list)  # repairs made while building the grid
    row_nos: list[int] = field(default_factory=list)
    tops: list[float] = field(default_factory=list)
    # column -> first row of a cell merged down to the foot of the page and left open there (it goes on
    # over the page break: the first cell of that column on the next page is the rest of it)
    open_foot: dict[int, int] = field(default_factory=dict)
    # per row, the indent of each cell's text from its left rule (points; None: empty cell): ruled grids only
    indents: list[list[float | None]] | None = None

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def _kept_spans(spans: list[int], keep: list[int]) -> list[int]:
    """The spans of one grid row over the columns ``keep``: a merged cell covers the kept columns of its
    range (a spacer column inside it is dropped too).

    >>> _kept_spans([3, 0, 0, 1], [0, 2, 3])  # column 1, a spacer under the merged cell, dropped
    [2, 0, 1]
    """
    return [sum(1 for j in keep if i <= j < i + spans[i]) if spans[i] else 0 for i in keep if i < len(spans)]


def ruled_grids(page) -> tuple[list[Grid], int]:
    """Tables drawn with ruling lines (pdfplumber ``find_tables``), and the number of boxes left to
    the text: one-column boxes are framed text, and a single ruled row that reads as prose
    (:func:`is_prose_row`) is a line of the narrative set in boxes."""
    grids, prose = [], 0
    for table in page.find_tables():
        raw = table.extract()
        indents = getattr(table, "indents", None) or [[None] * len(r) for r in raw]
        if not raw or max(len(r) for r in raw) < 2:
            continue
        if len(raw) == 1 and is_prose_row([norm(c) for c in raw[0]]):
            prose += 1
            continue
        table_rows = table.rows
        width = max(len(r.cells) for r in table_rows)
        edges = []
        for i in range(width):
            x0s = [r.cells[i][0] for r in table_rows if i < len(r.cells) and r.cells[i] is not None]
            edges.append(min(x0s) if x0s else float("inf"))
        lefts = sorted(edges)  # a cell spans the columns whose left edge lies in it: counted by bisection
        spans = [[0 if cell is None else max(1, bisect_left(lefts, cell[2] - 0.5) - bisect_left(lefts, cell[0] - 0.5))
                  for cell in trow.cells] for trow in table_rows]
        # a cell of one line is that line, stripped and normalised (:func:`join_lines` of one part)
        rows = [[("" if not c else norm(c.strip()) if "\n" not in c else join_lines(c.split("\n"))) for c in r]
                for r in raw]
        notes, open_foot = _open_cells(page, table, rows, edges)
        open_foot.update(_carried_on(table_rows, getattr(page, "opened", ())))
        bounds = edges[1:] + [table.bbox[2]]
        keep = [i for i in range(width) if bounds[i] - edges[i] >= SPACER_WIDTH or any(
            i < len(r) and r[i] for r in rows)]
        if len(keep) < width:  # narrow empty columns of the drawing (a margin ruled as a column)
            rows = [[r[i] for i in keep if i < len(r)] for r in rows]
            indents = [[r[i] for i in keep if i < len(r)] for r in indents]
            spans = [_kept_spans(s, keep) for s in spans]
            open_foot = {keep.index(c): r for c, r in open_foot.items() if c in keep}
        grids.append(Grid(tuple(table.bbox), rows, spans, notes=notes, open_foot=open_foot, indents=indents))
    return grids, prose


def _open_cells(page, table, rows: list[list[str]], edges: list[float]) -> tuple[list[str], dict[int, int]]:
    """Fill the cells of a merged cell left open at the foot of the page (it goes on over the page break,
    so no rule closes it and pdfplumber makes no cell of it: its text would be lost). The text printed in
    the column below the last closed cell goes to the first row of that open range (the top-left rule of
    merged cells). Returns the notes of what was filled and the first row of each open range by column."""
    notes: list[str] = []
    open_foot: dict[int, int] = {}
    trows = table.rows
    bounds = edges[1:] + [table.bbox[2]]
    for c, x0 in enumerate(edges):
        r = len(trows)
        while r > 0 and (c >= len(trows[r - 1].cells) or trows[r - 1].cells[c] is None):
            r -= 1
        if r == 0 or r == len(trows) or x0 == float("inf"):
            continue
        closed = trows[r - 1].cells[c][3]
        while r < len(trows) and trows[r].bbox[1] < closed - 0.5:
            r += 1  # rows the last closed cell covers
        if r == len(trows) or any(cell is not None and cell[0] < x0 - 0.5 < cell[2] - 1
                                  for row in trows[r:] for cell in row.cells):
            continue  # no open range, or a cell from the left covers the column
        open_foot[c] = r
        top = trows[r].bbox[1]
        chars = [ch for ch in page.chars if not ch["text"].isspace() and x0 <= (ch["x0"] + ch["x1"]) / 2 <= bounds[c]
                 and top <= (ch["top"] + ch["bottom"]) / 2 <= table.bbox[3]]
        if not chars or r >= len(rows) or c >= len(rows[r]) or rows[r][c]:
            continue
        rows[r][c] = join_lines(cell_text(chars).split("\n"))  # pdfplumber's extract_text, as a cell's
        notes.append(f"page {page.no + 1}: '{rows[r][c]}' printed in a "
                     "merged cell left open at the foot of the page (no cell of the grid); put in the first row it spans")
    return notes, open_foot


def _carried_on(trows, opened: list[dict]) -> dict[int, int]:
    """Column -> first row of the cell whose bottom rule :func:`budgetkg.etl.pdf_ruled.open_ends` added (a cell
    merged over this page and the next: it goes on over the page break)."""
    out: dict[int, int] = {}
    bottoms = [e for e in opened if e.get("open") == "bottom"]
    if not bottoms:
        return out
    width = max(len(r.cells) for r in trows)
    for c in range(width):
        r = next((k for k in range(len(trows) - 1, -1, -1) if c < len(trows[k].cells) and trows[k].cells[c] is not None), None)
        if r is None:
            continue
        x0, _, x1, bottom = trows[r].cells[c]
        if any(abs(e["top"] - bottom) <= 3 and e["x0"] - 3 <= x0 and x1 <= e["x1"] + 3 for e in bottoms):
            out[c] = r
    return out


def is_title(text: str) -> bool:
    """A table's title line: it ends with 表 (before a bracketed qualifier) or is a table number; a
    chapter heading, an attachment's heading, a note or a sentence is none, nor a heading that does not
    name a table (二、表格部分: it opens a section of tables).

    >>> [is_title(t) for t in ("收支总表（续）", "公开01表", "表1", "1.项目支出绩效目标表", "一般公共预算支出表(按功能分类)")]
    [True, True, True, True, True]
    >>> [is_title(t) for t in ("第二部分 2026年部门预算表", "二、表格部分", "附件2：某局2026年度部门预算报表",
    ...                        "2026年，本单位重点项目绩效目标情况如下：", "（2026年度）", "七、重点项目预算绩效目标情况")]
    [False, False, False, False, False, False]
    """
    t = TITLE_QUALIFIER_RE.sub("", text)
    if len(t) > MAX_TITLE_CHARS or t.endswith(END_PUNCT) or PART_RE.match(t) or NOTE_RE.match(t) or ATTACHMENT_RE.match(t):
        return False
    return t.endswith(TABLE_WORD) or is_table_number(t)


def is_table_number(text: str) -> bool:
    """``公开01表``, ``预算01表``, ``表1``, ``表一``: a table number printed alone."""
    m = TABLE_NUMBER_RE.match(text.replace(" ", ""))
    return bool(m) and m.end() == len(text.replace(" ", ""))


def strip_table_number(text: str) -> str:
    """The title without a table number printed before it (``预算01表收支总表`` -> ``收支总表``)."""
    return TABLE_NUMBER_RE.sub("", text, count=1).strip() or text


def split_title_rows(rows: list[list[str]]) -> tuple[list[str], list[str], int]:
    """Title and page-header lines printed inside a ruled table, as its first rows (one cell each).

    Returns the title texts, the page-header texts (金额单位：万元) and the index of the first
    row after them.
    """
    titles: list[str] = []
    metas: list[str] = []
    k = 0
    while k < len(rows):
        filled = [c for c in rows[k] if c]
        if not filled and k + 1 < len(rows):  # a blank ruled row above the title
            k += 1
            continue
        if len(filled) != 1:
            break
        text = filled[0]
        if META_RE.search(text) and len(text) < 80:
            metas.append(text)
        elif text.endswith(TABLE_WORD) or is_table_number(text):
            titles.append(text)
        else:
            break
        k += 1
    return titles, metas, k


def scan_page(page) -> tuple[list[Line], list[Grid], int, int]:
    """Lines outside the tables, ruled tables, the number of characters outside the page, and the
    number of ruled boxes read as text (:func:`ruled_grids`)."""
    x0, top, x1, bottom = page.bbox
    left, right, high, low = x0 - 1, x1 + 1, top - 1, bottom + 1
    visible, hidden = [], 0
    for c in page.chars:
        if c["text"].isspace() or not c.get("upright", True):
            continue
        if c["x0"] < left or c["x1"] > right or c["top"] < high or c["bottom"] > low:
            hidden += 1
        else:
            visible.append(c)
    grids, prose = ruled_grids(page) if visible and (page.rects or page.lines or page.curves) else ([], 0)
    if grids:  # the text inside a ruled table is read from its cells
        boxes = [g.bbox for g in grids]
        outside = []
        for c in visible:
            mx, my = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
            for b0, b1, b2, b3 in boxes:
                if b0 <= mx <= b2 and b1 <= my <= b3:
                    break
            else:
                outside.append(c)
        visible = outside
    return build_lines(visible), grids, hidden, prose


def positional_grid(lines: list[Line], page_no: int) -> Grid | None:
    """Rebuild a table without ruling lines from its lines; ``None`` without a column structure.

    Columns are the unions of the overlapping x-ranges of the segments of the body lines;
    a header segment goes to the first column it overlaps.
    """
    body = [ln for ln in lines if len(ln.segments) >= 2 and is_data_row([s[2] for s in ln.segments])]
    cols: list[list[float]] = []
    for x0, x1 in sorted((s[0], s[1]) for ln in body for s in ln.segments):
        if cols and x0 <= cols[-1][1] + 1:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    if len(cols) < 2:
        return None
    rows, notes = [], []
    for ln in lines:
        cells = [""] * len(cols)
        for x0, x1, text in ln.segments:
            idx = next((i for i, (c0, c1) in enumerate(cols) if x0 <= c1 and x1 >= c0), None)
            if idx is None:  # in the gap between two columns: the column on its left
                idx = max([i for i, (c0, _) in enumerate(cols) if c0 <= x0] or [0])
            cells[idx] = join_lines([cells[idx], text])
        rows.append(cells)
        if ln.offset_parts:
            notes.append(f"page {page_no}: {', '.join(repr(t) for t in ln.offset_parts)} printed {ln.offset:.1f}pt "
                         f"off the baseline of '{ln.segments[0][2]}' (pdfplumber puts them on a line of their "
                         "own); read as part of that row")
    grid = Grid((cols[0][0], lines[0].top, cols[-1][1], lines[-1].bottom), rows, None, False, notes)
    grid.row_nos, grid.tops = [ln.no for ln in lines], [ln.top for ln in lines]
    return grid


# ----------------------------------------------------------------- header, rows


def _short_colnum_row(rows: list[list[str]], i: int) -> bool:
    """The 栏次 row of a table of one or two amount columns (``** | ** | 1``: the marks of the text columns are
    dropped as markup): the numbers 1 (, 2) alone in the amount columns, the first column blank, below a header
    and above a body row, which prints a label (合计).

    >>> _short_colnum_row([["科目编码", "科目名称", "项目支出"], ["", "", "1"], ["", "合计", ""]], 1)
    True
    >>> _short_colnum_row([["科目编码", "科目名称", "项目支出"], ["", "", "1"]], 1)
    False
    """
    cells = rows[i]
    filled = [c for c in cells if c]
    if not (0 < i < len(rows) - 1) or not filled or cells[0] or not any(rows[i - 1]):
        return False
    below = [c for c in rows[i + 1] if c]
    return ([int(c) for c in filled if c.isdigit()] == list(range(1, len(filled) + 1))
            and any(not is_amount(c) for c in below))


def split_header(rows: list[list[str]]) -> tuple[list[list[str]], list[str] | None, int]:
    """Header rows (above the 栏次 row or the first body row), the 栏次 row, index of the first body row."""
    for i, cells in enumerate(rows):
        if is_colnum_row(cells) or _short_colnum_row(rows, i):
            return [h for h in rows[:i] if any(h)], cells, i + 1
        if is_data_row(cells):
            return [h for h in rows[:i] if any(h)], None, i
    return [h for h in rows if any(h)], None, len(rows)


def split_code_head(cells: list[str]) -> tuple[list[str], list[str]] | None:
    """A ruled row holding both the 类/款/项 header cells and the first body row (合计)."""
    n = 0
    while n < min(3, len(cells)) and cells[n] == CODE_HEADS[n]:
        n += 1
    if n < 2 or not any(cells[n:]):
        return None
    return cells[:n] + [""] * (len(cells) - n), [""] * n + cells[n:]


def row_fragment(cells: list[str], above: list[str]) -> int | None:
    """The column of the only text of ``cells`` when it ends the text of that column in ``above``: a row
    whose cells a page break cut in two prints the rest of a wrapped name alone at the top of the next page.

    Not a fragment: a row with an amount or more than one cell, a text that opens a label (ordinal, code,
    total word), or one under a row that prints an amount (a row of its own).

    >>> row_fragment(["", "出", ""], ["", "十七、国土海洋气象等支", ""]), row_fragment(["", "二、外交支出", ""], ["", "一、一般", ""])
    (1, None)
    """
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if len(filled) != 1 or any(is_amount(c) for c in above if c):
        return None
    col, text = filled[0]
    if col >= len(above) or not above[col] or is_amount(text) or ORDINAL_RE.match(text) or text in TOTAL_LABELS:
        return None
    return None if text[0].isdigit() else col


def is_empty_table(rows: list[list[str]]) -> bool:
    """Only 无 / 合计 markers and no amounts: the table is printed empty."""
    return all(c in TOTAL_LABELS for cells in rows for c in cells if c)


def empty_table_notes(rows: list[list[str]]) -> list[str] | None:
    """The 空表说明 printed in the cells of a table printed empty (in whatever column), or None when the
    table prints something else (an amount, a code, a name): only 无 / 合计 markers and such notes.

    >>> empty_table_notes([["", "合计", ""], ["此表为空", "", ""]]), empty_table_notes([["", "合计", ""]])
    (['此表为空'], [])
    >>> empty_table_notes([["2010101", "行政运行", "无"]]) is None
    True
    """
    notes = [c for cells in rows for c in cells if c and c not in TOTAL_LABELS]
    if not all(EMPTY_NOTE_RE.search(c) and not is_amount(c) for c in notes):
        return None
    return notes


def repair_rows(rows: list[list[str]], tops: list[float], page_no: int) -> tuple[list[list[str]], list[int], list[str]]:
    """Repairs of body rows read from text positions (no ruling lines): rows, their source indices, notes.

    * amounts printed on the line below their labels: a line holding only amounts, each
      under an empty cell of the row above, is joined to that row;
    * wrapped names: a line holding only part of a name (no code, amount or ordinal) is
      joined to the name of the nearer row, above or below it.
    """
    width = max((len(r) for r in rows), default=0)
    amount_cols = set()
    for i in range(width):
        vals = [r[i] for r in rows if i < len(r) and r[i]]
        if vals and sum(map(is_amount, vals)) * 2 > len(vals):
            amount_cols.add(i)
    out: list[list[str]] = []
    out_tops: list[float] = []
    src: list[int] = []
    held: tuple[int, str, float, int] | None = None  # a name part waiting for the row below it
    notes: list[str] = []
    for k, (cells, top) in enumerate(zip(rows, tops)):
        filled = {i: c for i, c in enumerate(cells) if c}
        if not filled:
            continue
        cells = list(cells)
        if held is not None:
            col, text, held_top, held_k = held
            held = None
            if cells[col] and not ORDINAL_RE.match(cells[col]) and cells[col] not in TOTAL_LABELS:
                notes.append(f"page {page_no}: name '{text}' wrapped above its row; joined to '{cells[col]}'")
                cells[col] = join_lines([text, cells[col]])
                out.append(cells)
                out_tops.append(top)
                src.append(k)
                continue
            out.append([text if i == col else "" for i in range(width)])
            out_tops.append(held_top)
            src.append(held_k)
        prev = out[-1] if out else None
        if prev is not None and all(i in amount_cols and is_amount(c) and not prev[i] for i, c in filled.items()):
            label = " | ".join(c for i, c in enumerate(prev) if c and i not in amount_cols)
            shown = ", ".join(repr(c) for c in filled.values())
            notes.append(f"page {page_no}: amounts {shown} printed on the line below '{label}'; joined to that row")
            for i, c in filled.items():
                prev[i] = c
            continue
        if prev is not None and len(filled) == 1:
            ((col, text),) = filled.items()
            if not (col in amount_cols or text.isdigit() or ORDINAL_RE.match(text) or text in TOTAL_LABELS):
                down = tops[k + 1] - top if k + 1 < len(rows) else float("inf")
                if prev[col] and top - out_tops[-1] <= down:
                    notes.append(f"page {page_no}: wrapped name '{prev[col]}' + '{text}' joined")
                    prev[col] = join_lines([prev[col], text])
                else:
                    held = (col, text, top, k)
                continue
        out.append(cells)
        out_tops.append(top)
        src.append(k)
    if held is not None:
        out.append([held[1] if i == held[0] else "" for i in range(width)])
        src.append(held[3])
    return out, src, notes
