"""Ruled tables of a page: pdfplumber's table finder and cell texts, the same results in less time.

API: :func:`find_tables` (page -> :class:`RuledTable` list, as ``TableFinder(page).tables`` with the
default settings), :func:`extract` (a table's cell texts, as ``Table.extract()``), :func:`cell_text`.

pdfplumber finds the cells by testing every intersection of ruling lines against every later one and
every pair of them for a shared edge, and ``Table.extract`` tests every character of the page against
every row and cell; on a page of a budget table that is most of the reading time. Here the same tests
run on what can pass them: intersections in the same column or row (with the edges at each
intersection as sets made once), horizontal edges near each vertical one, characters in a row's band
(in the page's order, as pdfplumber keeps it). The edges, the merging of edges, the grouping of cells
into tables and the words of a cell are pdfplumber's own functions, so the tables are the same (the
test ``tests/etl/test_pdf_ruled.py`` compares them on every page of the bundled and corpus PDFs).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cached_property
from operator import itemgetter

from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables
from pdfplumber.utils import cluster_objects, obj_to_bbox
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES, WordExtractor

# Edges are selected by position before pdfplumber's exact tests: this margin only widens the selection
# beyond the tolerance, so that rounding in the selection can never leave out an edge the test accepts.
_SLACK = 1e-6


def open_ends(edges: list[dict]) -> list[dict]:
    """The rules a grid cut by page breaks leaves out above and below its merged cells: horizontal edges to add,
    each with ``open`` = ``"top"`` or ``"bottom"``.

    A cell merged over a page break goes on at the top of the next page without a rule above it: the
    ruling of its columns starts at the height of the first row's top rule, which is drawn only over the
    other columns, and pdfplumber makes no cell of it (its text would be lost). Where vertical rules start
    at the height of a horizontal rule, meet no horizontal rule there, and stand in a run beside one end of
    it (no other vertical rule crossing that height in between, no rule above, none going on down into
    them), that rule is carried on to the farthest of them. A cell merged over three pages or more has no
    rule below it either on the pages in between, nor one that starts on a page and goes on over the next:
    where such rules are open at both ends, or open at the bottom and crossed by no rule, the bottom rule
    is carried over them the same way. (A cell open only at the foot of the page is read by
    :func:`budgetkg.etl.pdf_tables.ruled_grids`.) Everything within pdfplumber's tolerances (those of
    :func:`find_tables`).

    >>> h = {"orientation": "h", "x0": 40.0, "x1": 60.0, "top": 10.0, "bottom": 10.0, "width": 20.0, "height": 0.0}
    >>> v = [{"orientation": "v", "x0": x, "x1": x, "top": 10.0, "bottom": 30.0, "width": 0.0, "height": 20.0}
    ...      for x in (0.0, 20.0, 40.0, 60.0)]
    >>> [(e["x0"], e["x1"], e["top"], e["open"]) for e in open_ends([h, *v])]
    [(0.0, 40.0, 10.0, 'top')]
    >>> low = dict(h, top=30.0, bottom=30.0)
    >>> [(e["x0"], e["x1"], e["top"], e["open"]) for e in open_ends([h, low, *v])]
    [(0.0, 40.0, 10.0, 'top'), (0.0, 40.0, 30.0, 'bottom')]
    >>> open_ends([h, *v[2:]])
    []
    """
    settings = TableSettings.resolve(None)
    xt, yt, shortest = settings.intersection_x_tolerance, settings.intersection_y_tolerance, settings.edge_min_length
    # the short sides of a thin filled rectangle (a rule) are no rules: pdfplumber drops them too
    hs = [e for e in edges if e["orientation"] == "h" and e["width"] >= shortest]
    vs = [e for e in edges if e["orientation"] == "v" and e["height"] >= shortest]
    tops = _open(hs, vs, xt, yt, None)
    # the bottom ends, as top ends of the page turned upside down, of the rules open at the top too or that no
    # rule crosses (a column of one cell, merged from the grid's top rule on over the page break)
    open_top = {id(v) for v in tops[1]}
    flipped = [dict(e, top=-e["bottom"], bottom=-e["top"]) for e in hs + vs]
    by_top = sorted(hs, key=itemgetter("top"))
    heights = [h["top"] for h in by_top]

    def crossed(v: dict) -> bool:  # a horizontal rule crosses v strictly between its ends
        within = by_top[bisect_right(heights, v["top"] + yt):bisect_left(heights, v["bottom"] - yt)]
        return any(h["x0"] - xt <= v["x0"] <= h["x1"] + xt for h in within)

    both = {id(f) for f, v in zip(flipped[len(hs):], vs) if id(v) in open_top or not crossed(v)}
    bottoms = _open(flipped[:len(hs)], flipped[len(hs):], xt, yt, both)
    out = [dict(e, open="top") for e in tops[0]]
    out += [dict(e, top=-e["top"], bottom=-e["top"], doctop=-e["top"], open="bottom") for e in bottoms[0]]
    return out


def _open(hs: list[dict], vs: list[dict], xt: float, yt: float, only: set[int] | None) -> tuple[list[dict], list[dict]]:
    """The top rules to carry over vertical rules open at their top (of ``only``, their ids, when given), and
    the vertical rules open at their top (:func:`open_ends`)."""
    hs = sorted(hs, key=itemgetter("top"))
    tops = [h["top"] for h in hs]

    def at(y: float) -> list[dict]:  # the horizontal edges at height y
        return hs[bisect_left(tops, y - yt - _SLACK):bisect_right(tops, y + yt + _SLACK)]

    ends = sorted((v["bottom"], v["x0"]) for v in vs)
    bottoms = [ey for ey, _ in ends]
    across: dict[float, list[tuple[float, float]]] = {}  # height -> the x-ranges of the rules at it (tolerance in)

    def open_top(v: dict) -> bool:  # no rule across its top, and no rule above going on down into it
        x, y = v["x0"], v["top"]
        spans = across.get(y)
        if spans is None:  # the vertical rules of a grid start at the heights of a few rules: each worked out once
            spans = across[y] = [(h["x0"] - xt, h["x1"] + xt) for h in at(y)]
        if any(a <= x <= b for a, b in spans):
            return False
        near = ends[bisect_left(bottoms, y - yt - _SLACK):bisect_right(bottoms, y + yt + _SLACK)]
        return not any(abs(ex - x) <= xt and abs(ey - y) <= yt for ey, ex in near)

    dangling = [v for v in vs if open_top(v)]
    candidates = dangling if only is None else [v for v in dangling if id(v) in only]
    added: dict[tuple, dict] = {}
    for h in {id(h): h for v in candidates for h in at(v["top"])}.values():
        y = h["top"]
        run = [v["x0"] for v in candidates if abs(v["top"] - y) <= yt]
        taken = {id(v) for v in candidates}
        crossing = [v["x0"] for v in vs if v["top"] < y - yt and v["bottom"] > y + yt]
        # another vertical rule ending or starting at that height between them: a rule closes the grid there
        closed = [v["x0"] for v in vs if id(v) not in taken and (abs(v["top"] - y) <= yt or abs(v["bottom"] - y) <= yt)]
        for side, end in (([x for x in run if x < h["x0"] - xt], h["x0"]), ([x for x in run if x > h["x1"] + xt], h["x1"])):
            if not side:
                continue
            far = min(side) if end == h["x0"] else max(side)
            lo, hi = min(far, end), max(far, end)
            span = min(lo, h["x0"]), max(hi, h["x1"])
            if any(lo - xt <= x <= hi + xt for x in crossing) or any(lo + xt < x < hi - xt for x in closed) or any(
                    g["top"] < y - yt and g["x0"] < span[1] and g["x1"] > span[0] for g in hs):
                continue  # a vertical rule goes on through that height or closes a cell there, or the grid is ruled above it
            added.setdefault((lo, hi, y), {"orientation": "h", "object_type": "line", "x0": lo, "x1": hi, "top": y,
                                           "bottom": y, "doctop": y, "width": hi - lo, "height": 0.0})
    return list(added.values()), dangling


def find_tables(page) -> list[RuledTable]:
    """``pdfplumber.table.TableFinder(page).tables`` (default settings: ruling lines both ways)."""
    return _Finder(page).tables


class RuledTable(Table):
    """pdfplumber's table, its rows worked out once and its ``extract()`` done by :func:`extract`."""

    @cached_property
    def rows(self) -> list:
        return super().rows

    def extract(self, **kwargs) -> list[list[str | None]]:
        if kwargs:
            raise TypeError("only pdfplumber's default text settings are read here")
        self.indents: list[list[float | None]] = []
        return extract(self, self.page.chars, self.indents)


class _Finder(TableFinder):
    def __init__(self, page):  # TableFinder.__init__ with the indexed steps
        self.page, self.settings = page, TableSettings.resolve(None)
        self.edges = self.get_edges()
        self.intersections = intersections(self.edges, self.settings.intersection_x_tolerance,
                                           self.settings.intersection_y_tolerance)
        self.cells = cells(self.intersections)
        self.tables = [RuledTable(page, group) for group in cells_to_tables(self.cells)]


def intersections(edges: list[dict], x_tolerance: float, y_tolerance: float) -> dict:
    """``pdfplumber.table.edges_to_intersections``, with each vertical edge tested only against the
    horizontal edges whose height is within its span (in the same order), and the edges meeting at an
    intersection kept as the sets of their boxes that :func:`cells` compares: vertex -> (boxes of
    vertical edges, boxes of horizontal edges)."""
    found: dict = {}
    v_edges = [e for e in edges if e["orientation"] == "v"]
    h_edges = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    h_boxes = [obj_to_bbox(h) for h in h_edges]
    tops = [h["top"] for h in h_edges]
    for v in sorted(v_edges, key=itemgetter("x0", "top")):
        vx, vtop, vbottom = v["x0"], v["top"], v["bottom"]
        v_box = obj_to_bbox(v)
        lo = bisect_left(tops, vtop - y_tolerance - _SLACK)
        hi = bisect_right(tops, vbottom + y_tolerance + _SLACK)
        for k in range(lo, hi):
            h, htop = h_edges[k], tops[k]
            if (vtop <= htop + y_tolerance and vbottom >= htop - y_tolerance
                    and vx >= h["x0"] - x_tolerance and vx <= h["x1"] + x_tolerance):
                vertex = (vx, htop)
                if vertex not in found:
                    found[vertex] = (set(), set())
                found[vertex][0].add(v_box)
                found[vertex][1].add(h_boxes[k])
    return found


def cells(found: dict) -> list[tuple]:
    """``pdfplumber.table.intersections_to_cells`` (``found`` from :func:`intersections`): for each
    intersection, the smallest cell it opens (the first intersection below and the first to its right,
    in sorted order, that close a ruled box)."""

    def connects(p1, p2) -> bool:  # a ruling line (the same box) through both points
        return ((p1[0] == p2[0] and not found[p1][0].isdisjoint(found[p2][0]))
                or (p1[1] == p2[1] and not found[p1][1].isdisjoint(found[p2][1])))

    points = sorted(found)
    columns: dict = {}  # x -> its points, top to bottom
    rows: dict = {}  # y -> its points, left to right
    for p in points:
        columns.setdefault(p[0], []).append(p)
        rows.setdefault(p[1], []).append(p)
    down = {p: i for line in columns.values() for i, p in enumerate(line)}
    across = {p: i for line in rows.values() for i, p in enumerate(line)}
    out = []
    for pt in points:
        rights = None
        cell = None
        for below in columns[pt[0]][down[pt] + 1:]:
            if not connects(pt, below):
                continue
            if rights is None:  # the points to the right that share a ruling line with pt (in order)
                rights = [r for r in rows[pt[1]][across[pt] + 1:] if connects(pt, r)]
            for right in rights:
                corner = (right[0], below[1])
                if corner in found and connects(corner, right) and connects(corner, below):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            out.append(cell)
    return out


def extract(table: Table, chars: list[dict], indents: list | None = None) -> list[list[str | None]]:
    """``table.extract()`` read from ``chars`` (the page's characters, or those inside the table, in the
    page's order): the text of each cell of each row, ``None`` for a cell covered by a merged one.

    ``indents``, when given, receives for each row the indent of each cell's text: how far right of the
    cell's left rule its first printed character starts (points; ``None`` for an empty or covered cell).
    A tree of names printed without codes shows its levels that way (类 | 　款 | 　　项)."""
    marks = [((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2, c) for c in chars]  # pdfplumber's midpoints
    order = sorted(range(len(marks)), key=lambda i: marks[i][0])
    heights = [marks[i][0] for i in order]
    out = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        # a character is in a box when its midpoint is (left and top edges included)
        inside = sorted(i for i in order[bisect_left(heights, top):bisect_left(heights, bottom)]
                        if x0 <= marks[i][1] < x1)
        row_marks = [marks[i] for i in inside]
        texts, lefts = [], []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                lefts.append(None)
                continue
            cx0, ctop, cx1, cbottom = cell
            inside_cell = [c for v, h, c in row_marks if cx0 <= h < cx1 and ctop <= v < cbottom]
            texts.append(cell_text(inside_cell))
            if indents is not None:
                lefts.append(_indent(inside_cell, cx0))
        out.append(texts)
        if indents is not None:
            indents.append(lefts)
    return out


def _indent(chars: list[dict], left: float) -> float | None:
    """How far right of ``left`` the first line of a cell's text starts (a wrapped line starts at the rule)."""
    ink = [c for c in chars if not c["text"].isspace()]
    if not ink:
        return None
    top = min(c["top"] for c in ink)
    return min(c["x0"] for c in ink if c["top"] - top < DEFAULT_Y_TOLERANCE) - left


def cell_text(chars: list[dict]) -> str:
    """``pdfplumber.utils.extract_text(chars)`` with the default settings: words (pdfplumber's
    ``WordExtractor``) joined by a space, lines (words clustered by their top) by a line break.

    The common cell, upright characters on one line, is read here as pdfplumber reads it: characters
    ordered by ``x0`` (then ``x1``), a word ending at a blank or where the next character starts left of
    the last one's start or more than the tolerance right of its end; any other cell (lines, rotated
    text, a character without text, which pdfplumber makes a word of its own) by pdfplumber."""
    if not chars:
        return ""
    tops = [c["top"] for c in chars]
    # well within the tolerance: pdfplumber's clustering then puts every character (and word) on one line
    if max(tops) - min(tops) > _ONE_LINE or not all(c["upright"] and c["text"] for c in chars):
        words = WordExtractor().extract_words(chars)
        lines = cluster_objects(words, itemgetter("top"), DEFAULT_Y_TOLERANCE)
        return "\n".join(" ".join(word["text"] for word in line) for line in lines)
    words, word, prev = [], [], None
    for c in sorted(chars, key=_X_ORDER):
        text = c["text"]
        if text.isspace():
            if word:
                words.append("".join(word))
            word, prev = [], None
            continue
        if prev is not None and (c["x0"] < prev["x0"] or c["x0"] > prev["x1"] + DEFAULT_X_TOLERANCE):
            words.append("".join(word))
            word = []
        word.append(LIGATURES.get(text, text))
        prev = c
    if word:
        words.append("".join(word))
    return " ".join(words)


_X_ORDER = itemgetter("x0", "x1")  # pdfplumber's order of the characters of a line (left to right)
_ONE_LINE = DEFAULT_Y_TOLERANCE - 0.1
