"""Ruled tables of a page: pdfplumber's table finder and cell texts, the same results in less time.

API: :func:`find_tables` (page -> :class:`RuledTable` list, as ``TableFinder(page).tables`` with the
default settings), :func:`extract` (a table's cell texts, as ``Table.extract()``), :func:`cell_text`,
:func:`page_edges` (``Page.edges``), :func:`open_ends`.

pdfplumber finds the cells by testing every intersection of ruling lines against every later one and
every pair of them for a shared edge, and ``Table.extract`` tests every character of the page against
every row and cell; on a page of a budget table that is most of the reading time. Here the same tests
run on what can pass them: intersections in the same column or row (with the edges at each
intersection as sets made once), horizontal edges near each vertical one, characters in a row's band
(in the page's order, as pdfplumber keeps it). The page's edges (:func:`page_edges`), the snapping and
joining of edges, the grouping of cells into tables and the words and lines of a cell's text are
pdfplumber's steps redone without a new dict per edge, word or test: the same arithmetic in the same order,
so the tables are the same (the test ``tests/etl/test_pdf_ruled.py`` compares them with pdfplumber's on
every page of the bundled and corpus PDFs, the edges with pdfplumber's helpers, and the cell texts on cases
of its own).

:func:`open_ends` is not pdfplumber's: the rules it adds for grids cut by page breaks are the reader's own, so
``RawPage.edges`` (``page_edges`` and then those rules) differs from pdfplumber's ``Page.edges`` on the pages
where it adds some; the tables are pdfplumber's for the edges given.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cached_property
from itertools import groupby, repeat
from math import isnan
from operator import add, itemgetter, truediv

from pdfplumber.table import Table, TableFinder, TableSettings
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES

# Edges are selected by position before pdfplumber's exact tests: this margin only widens the selection
# beyond the tolerance, so that rounding in the selection can never leave out an edge the test accepts.
_SLACK = 1e-6


def page_edges(lines: list[dict], rects: list[dict], curves: list[dict]) -> list[dict]:
    """The edges of a page's lines, rectangles and curves, in pdfplumber's order (``Page.edges``): the dicts
    ``pdfplumber.utils`` ``line_to_edge``, ``rect_to_edges`` and ``curve_to_edges`` make, keys in the same order and
    values of the same type, written out (a curve's ``min()`` and ``max()`` as comparisons that take the first of
    equal values, as they do, its shift to ``doctop`` worked out once).

    >>> rect = {"object_type": "rect", "x0": 1.0, "x1": 3.0, "top": 2.0, "bottom": 6.0, "doctop": 2.0, "y0": 4.0,
    ...         "y1": 8.0, "width": 2.0, "height": 4.0}
    >>> [(e["orientation"], e["x0"], e["x1"], e["top"], e["bottom"], e["height"]) for e in page_edges([], [rect], [])]
    [('h', 1.0, 3.0, 2.0, 2.0, 0), ('h', 1.0, 3.0, 6.0, 6.0, 0), ('v', 1.0, 1.0, 2.0, 6.0, 4.0), ('v', 3.0, 3.0, 2.0, 6.0, 4.0)]
    """
    out = []
    for ln in lines:  # line_to_edge
        e = dict(ln)
        e["orientation"] = "h" if ln["top"] == ln["bottom"] else "v"
        out.append(e)
    for r in rects:  # rect_to_edges: its top, bottom, left and right sides
        top, bottom, left, right = dict(r), dict(r), dict(r), dict(r)
        top["object_type"], top["height"], top["y0"], top["bottom"], top["orientation"] = "rect_edge", 0, r["y1"], r["top"], "h"
        bottom["object_type"], bottom["height"], bottom["y1"] = "rect_edge", 0, r["y0"]
        bottom["top"], bottom["doctop"], bottom["orientation"] = r["top"] + r["height"], r["doctop"] + r["height"], "h"
        left["object_type"], left["width"], left["x1"], left["orientation"] = "rect_edge", 0, r["x0"], "v"
        right["object_type"], right["width"], right["x0"], right["orientation"] = "rect_edge", 0, r["x1"], "v"
        out += (top, bottom, left, right)
    for c in curves:  # curve_to_edges: a side per two points in a row (a point's first two coordinates)
        pts = c["pts"]
        if len(pts) < 2:
            continue  # no side, and curve_to_edges reads nothing else of the curve
        shift = c["doctop"] - c["top"]
        ax, ay = pts[0][0], pts[0][1]
        for p in pts[1:]:
            bx, by = p[0], p[1]
            top = by if by < ay else ay
            out.append({"object_type": "curve_edge", "x0": bx if bx < ax else ax, "x1": bx if bx > ax else ax,
                        "top": top, "doctop": top + shift, "bottom": by if by > ay else ay, "width": abs(ax - bx),
                        "height": abs(ay - by), "orientation": "v" if ax == bx else ("h" if ay == by else None)})
            ax, ay = bx, by
    return out


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
    out = [dict(e, open="top") for e in tops[0]]
    if _closed_below(hs, vs, xt, yt):
        return out  # every rule ends on a rule across it: none is open at its bottom (most pages)
    # the bottom ends, as top ends of the page turned upside down, of the rules open at the top too or that no
    # rule crosses (a column of one cell, merged from the grid's top rule on over the page break)
    open_top = {id(v) for v in tops[1]}
    flipped = [{"x0": e["x0"], "x1": e["x1"], "top": -e["bottom"], "bottom": -e["top"]} for e in hs + vs]
    by_top = sorted(hs, key=_TOP)
    heights = [h["top"] for h in by_top]

    def crossed(v: dict) -> bool:  # a horizontal rule crosses v strictly between its ends
        within = by_top[bisect_right(heights, v["top"] + yt):bisect_left(heights, v["bottom"] - yt)]
        return any(h["x0"] - xt <= v["x0"] <= h["x1"] + xt for h in within)

    both = {id(f) for f, v in zip(flipped[len(hs):], vs) if id(v) in open_top or not crossed(v)}
    bottoms = _open(flipped[:len(hs)], flipped[len(hs):], xt, yt, both)
    out += [dict(e, top=-e["top"], bottom=-e["top"], doctop=-e["top"], open="bottom") for e in bottoms[0]]
    return out


def _closed_below(hs: list[dict], vs: list[dict], xt: float, yt: float) -> bool:
    """Whether a horizontal rule of ``hs`` runs across the bottom end of every vertical rule of ``vs`` within the
    tolerances: then :func:`_open` on the page turned upside down finds no rule open at its top. (Tested without
    :data:`_SLACK`, so never wider than that pass: a rule this finds, it finds too. That holds for finite heights:
    a NaN ``bottom`` leaves the sorted lists of both unordered, where each search may find what the other does not,
    so then the answer is no and the pass is made.)"""
    hs = sorted(hs, key=_BOTTOM)
    lows = [h["bottom"] for h in hs]
    if any(map(isnan, lows)):
        return False
    across: dict[float, list[tuple[float, float]]] = {}  # height -> the x-ranges of the rules at it, as in _open
    for v in vs:
        x, y = v["x0"], v["bottom"]
        spans = across.get(y)
        if spans is None:
            spans = across[y] = [(h["x0"] - xt, h["x1"] + xt) for h in hs[bisect_left(lows, y - yt):bisect_right(lows, y + yt)]]
        for a, b in spans:
            if a <= x <= b:
                break
        else:
            return False
    return True


def _open(hs: list[dict], vs: list[dict], xt: float, yt: float, only: set[int] | None) -> tuple[list[dict], list[dict]]:
    """The top rules to carry over vertical rules open at their top (of ``only``, their ids, when given), and
    the vertical rules open at their top (of ``only``, when given) (:func:`open_ends`)."""
    hs = sorted(hs, key=_TOP)
    tops = [h["top"] for h in hs]

    def at(y: float) -> list[dict]:  # the horizontal edges at height y
        return hs[bisect_left(tops, y - yt - _SLACK):bisect_right(tops, y + yt + _SLACK)]

    across: dict[float, list[tuple[float, float]]] = {}  # height -> the x-ranges of the rules at it (tolerance in)
    ends: list[tuple[float, float]] = []  # (bottom, x) of the vertical rules, when a rule has no rule across its top
    bottoms: list[float] = []
    candidates = []  # open at the top: no rule across it, and no rule above going on down into it
    for v in vs:  # a loop, not a test per call: this runs for every vertical rule of every page
        if only is not None and id(v) not in only:
            continue
        x, y = v["x0"], v["top"]
        spans = across.get(y)
        if spans is None:  # the vertical rules of a grid start at the heights of a few rules: each worked out once
            spans = across[y] = [(h["x0"] - xt, h["x1"] + xt) for h in at(y)]
        for a, b in spans:
            if a <= x <= b:
                break
        else:
            if not ends:  # sorted once, for the first rule that needs them (none on most pages)
                ends = sorted((w["bottom"], w["x0"]) for w in vs)
                bottoms = [ey for ey, _ in ends]
            for ey, ex in ends[bisect_left(bottoms, y - yt - _SLACK):bisect_right(bottoms, y + yt + _SLACK)]:
                if abs(ex - x) <= xt and abs(ey - y) <= yt:
                    break
            else:
                candidates.append(v)
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
    return list(added.values()), candidates


def find_tables(page) -> list[RuledTable]:
    """``pdfplumber.table.TableFinder(page).tables`` (default settings: ruling lines both ways)."""
    return _Finder(page).tables


class RuledTable(Table):
    """pdfplumber's table, its rows worked out once and its ``extract()`` done by :func:`extract` (over
    ``chars``, a :class:`CharIndex` of the page's characters shared by the tables of the page)."""

    def __init__(self, page, cells: list[tuple], chars: CharIndex):
        super().__init__(page, cells)
        self.chars = chars

    @cached_property
    def rows(self) -> list:
        return super().rows

    def extract(self, **kwargs) -> list[list[str | None]]:
        if kwargs:
            raise TypeError("only pdfplumber's default text settings are read here")
        self.indents: list[list[float | None]] = []
        return extract(self, self.chars, self.indents)


class _Finder(TableFinder):
    def __init__(self, page):  # TableFinder.__init__ with the indexed steps
        self.page, self.settings = page, TableSettings.resolve(None)
        # the edges as boxes (x0, top, x1, bottom): vertical, horizontal
        self.edges = merged_edges(page.edges, self.settings)
        self.intersections = intersections(*self.edges, self.settings.intersection_x_tolerance,
                                           self.settings.intersection_y_tolerance)
        self.cells = cells(self.intersections)
        chars = CharIndex(page.chars)
        self.tables = [RuledTable(page, group, chars) for group in cells_to_tables(self.cells)]


def cells_to_tables(cells: list[tuple]) -> list[list[tuple]]:
    """``pdfplumber.table.cells_to_tables``: the cells grouped into tables, each cell in the table of a cell it
    shares a corner with, in pdfplumber's order (passes over the cells left, in their order, each taking in
    what touches the table so far, until one takes nothing). The same passes, without the list removals
    and the sets made for every test."""
    remaining, tables = list(cells), []
    corners: set = set()
    current: list[tuple] = []
    while remaining:
        before, left = len(current), []
        for cell in remaining:
            x0, top, x1, bottom = cell
            ends = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or ends[0] in corners or ends[1] in corners or ends[2] in corners or ends[3] in corners:
                corners.update(ends)
                current.append(cell)
            else:
                left.append(cell)
        remaining = left
        if len(current) == before:
            tables.append(current)
            corners, current = set(), []
    if current:
        tables.append(current)
    return [t for t in sorted(tables, key=lambda t: min((c[1], c[0]) for c in t)) if len(t) > 1]


def merged_edges(edges: list[dict], settings: TableSettings) -> tuple[list[tuple], list[tuple]]:
    """The boxes (x0, top, x1, bottom) of the vertical and of the horizontal edges ``TableFinder.get_edges`` gives
    for ``edges`` (a page's, pdfplumber's dicts) with the ruling-line strategies: edges shorter than the
    prefilter length dropped, snapped (``snap_edges``), joined (``merge_edges``), then those shorter than
    ``edge_min_length`` dropped. The same arithmetic in the same order as pdfplumber's (the positions are
    compared exactly further on), on lists instead of a new dict per edge at each step."""
    pre, shortest = settings.edge_min_length_prefilter, settings.edge_min_length
    vs = [[e["x0"], e["top"], e["x1"], e["bottom"], e["height"]] for e in edges
          if e["orientation"] == "v" and e["height"] >= pre]
    hs = [[e["x0"], e["top"], e["x1"], e["bottom"], e["width"]] for e in edges
          if e["orientation"] == "h" and e["width"] >= pre]
    if settings.snap_x_tolerance > 0 or settings.snap_y_tolerance > 0:
        vs = _snapped(vs, 0, 2, settings.snap_x_tolerance)
        hs = _snapped(hs, 1, 3, settings.snap_y_tolerance)
    # merge_edges: the edges of each line (the same top, or x0) joined where they meet within the tolerance
    v_out = [tuple(e[:4]) for e in _joined(vs, 0, 1, 3, settings.join_y_tolerance, _grow_down) if e[4] >= shortest]
    h_out = [tuple(e[:4]) for e in _joined(hs, 1, 0, 2, settings.join_x_tolerance, _grow_right) if e[4] >= shortest]
    return v_out, h_out


def _snapped(edges: list[list], at: int, other: int, tolerance: float) -> list[list]:
    """``pdfplumber.utils.snap_objects``: the edges whose position ``edges[i][at]`` is in one cluster (chained
    within ``tolerance``) moved to its mean, each moved by ``mean - position`` (``other`` moves with it)."""
    for cluster in _clusters(edges, itemgetter(at), tolerance):
        mean = sum(e[at] for e in cluster) / len(cluster)
        for e in cluster:
            shift = mean - e[at]
            e[at] += shift
            e[other] += shift
    return edges


def _joined(edges: list[list], line: int, start: int, end: int, tolerance: float, grow) -> list[list]:
    """``pdfplumber.table.join_edge_group`` on the edges of each line (equal ``e[line]``): in the order of their
    starts ``e[start]``, an edge starting within ``tolerance`` of the end ``e[end]`` of the one before is
    merged into it (``grow``)."""
    by_line: dict[float, list[list]] = {}
    for e in edges:
        by_line.setdefault(e[line], []).append(e)
    out = []
    key = itemgetter(start)
    for group in by_line.values():
        group.sort(key=key)
        last = list(group[0])
        out.append(last)
        for e in group[1:]:
            if e[start] <= last[end] + tolerance:
                if e[end] > last[end]:
                    grow(last, e[end])
            else:
                last = list(e)
                out.append(last)
    return out


def _grow_right(e: list, x1: float) -> None:  # pdfplumber.utils.resize_object(e, "x1", x1)
    e[2], e[4] = x1, x1 - e[0]


def _grow_down(e: list, bottom: float) -> None:  # pdfplumber.utils.resize_object(e, "bottom", bottom)
    e[4] = e[4] + (bottom - e[3])
    e[3] = bottom


def intersections(v_edges: list[tuple], h_edges: list[tuple], x_tolerance: float, y_tolerance: float) -> dict:
    """``pdfplumber.table.edges_to_intersections`` (the boxes of vertical and horizontal edges, from
    :func:`merged_edges`), with each vertical edge tested only against the horizontal edges whose height
    is within its span (in the same order), and the edges meeting at an intersection kept as the sets of
    their boxes that :func:`cells` compares: vertex -> (boxes of vertical edges, boxes of horizontal edges)."""
    found: dict = {}
    h_edges = sorted(h_edges, key=itemgetter(1, 0))
    tops = [h[1] for h in h_edges]
    for v in sorted(v_edges, key=itemgetter(0, 1)):
        vx, vtop, _, vbottom = v
        lo = bisect_left(tops, vtop - y_tolerance - _SLACK)
        hi = bisect_right(tops, vbottom + y_tolerance + _SLACK)
        for k in range(lo, hi):
            h = h_edges[k]
            htop = h[1]
            if (vtop <= htop + y_tolerance and vbottom >= htop - y_tolerance
                    and vx >= h[0] - x_tolerance and vx <= h[2] + x_tolerance):
                vertex = (vx, htop)
                if vertex not in found:
                    found[vertex] = (set(), set())
                found[vertex][0].add(v)
                found[vertex][1].add(h)
    return found


def cells(found: dict) -> list[tuple]:
    """``pdfplumber.table.intersections_to_cells`` (``found`` from :func:`intersections`): for each
    intersection, the smallest cell it opens (the first intersection below and the first to its right,
    in sorted order, that close a ruled box).

    pdfplumber's test that two points are connected (the same x and a vertical edge through both, or the
    same y and a horizontal one) is made here knowing which holds: points of one column share their x
    only, points of one row their y only, and so do a cell's corners with the corners above and left. The points
    to the right are tested for a shared ruling line one by one as the search reaches them, as pdfplumber's loop
    calls ``edge_connects`` on them (again for each point below; here each is tested once and remembered). This
    module's previous code tested them all up front, though the first usually closes the cell."""
    columns: dict = {}  # x -> its points, top to bottom
    rows: dict = {}  # y -> its points, left to right
    for p in sorted(found):
        columns.setdefault(p[0], []).append(p)
        rows.setdefault(p[1], []).append(p)
    across = {p: i for line in rows.values() for i, p in enumerate(line)}
    out = []
    for column in columns.values():  # the points in sorted order: column by column, each top to bottom
        for n, pt in enumerate(column, 1):
            vertical, horizontal = found[pt]
            row = rows[pt[1]]
            # the points to the right that share a ruling line with pt (in order), found as far as a cell needs them
            rights: list = []
            k = across[pt] + 1  # the next point of the row to test for that
            cell = None
            for j in range(n, len(column)):
                below = column[j]
                below_edges = found[below]
                if vertical.isdisjoint(below_edges[0]):
                    continue
                i = 0
                while True:
                    if i == len(rights):
                        while k < len(row) and horizontal.isdisjoint(found[row[k]][1]):
                            k += 1
                        if k == len(row):
                            break
                        rights.append(row[k])
                        k += 1
                    right = rights[i]
                    i += 1
                    corner = found.get((right[0], below[1]))
                    if (corner is not None and not corner[0].isdisjoint(found[right][0])
                            and not corner[1].isdisjoint(below_edges[1])):
                        cell = (pt[0], pt[1], right[0], below[1])
                        break
                if cell:
                    out.append(cell)
                    break
    return out


class CharIndex:
    """Characters by the heights of their midpoints, where pdfplumber places them: made when first read, once for
    all the tables of a page."""

    def __init__(self, chars: list[dict]):
        self._chars = chars

    @cached_property
    def made(self) -> tuple[list, list]:
        """(midpoint, centre, index in the page's order) per character, ordered by midpoint; the midpoints in that
        order. (Worked out by ``map`` over the characters: the same arithmetic as pdfplumber's, without a Python
        step per character.)"""
        chars = self._chars
        middles = map(truediv, map(add, map(_TOP, chars), map(_BOTTOM, chars)), repeat(2))
        centres = map(truediv, map(add, map(_X0, chars), map(_X1, chars)), repeat(2))
        marks = sorted(zip(middles, centres, range(len(chars))), key=_FIRST)
        return marks, list(map(_FIRST, marks))


def extract(table: Table, chars: list[dict] | CharIndex, indents: list | None = None) -> list[list[str | None]]:
    """``table.extract()`` read from ``chars`` (the page's characters, or those inside the table, in the
    page's order, or their :class:`CharIndex`): the text of each cell of each row, ``None`` for a cell
    covered by a merged one.

    ``indents``, when given, receives for each row the indent of each cell's text: how far right of the
    cell's left rule its first printed character starts (points; ``None`` for an empty or covered cell).
    A tree of names printed without codes shows its levels that way (类 | 　款 | 　　项)."""
    index = chars if isinstance(chars, CharIndex) else CharIndex(chars)
    marks, heights = index.made  # pdfplumber's midpoints
    page_chars = index._chars
    out = []
    for row in table.rows:
        _, top, _, bottom = row.bbox
        # a character is in a box when its midpoint is (left and top edges included): those of the row's band
        in_cells = _in_cells(row.cells, marks[bisect_left(heights, top):bisect_left(heights, bottom)])
        texts, lefts = [], []
        for cell, inside in zip(row.cells, in_cells):
            if cell is None or not inside:  # covered, or empty: no text ("") and no indent
                texts.append(None if cell is None else "")
                lefts.append(None)
                continue
            inside.sort()  # the page's order
            text, left = _text([page_chars[i] for i in inside], cell[0] if indents is not None else None)
            texts.append(text)
            lefts.append(left)
        out.append(texts)
        if indents is not None:
            indents.append(lefts)
    return out


def _in_cells(cells: list, band: list[tuple]) -> list[list[int] | None]:
    """The characters (indices in the page's order) of each cell of a row (``None`` for a covered one): those of
    ``band`` (marks of :class:`CharIndex` in the row's heights) whose midpoint is in it. The cells of a row stand
    left to right; where none overlaps the next, each character is looked up in one of them, else tested
    against each."""
    present = [cell for cell in cells if cell is not None]
    if any(a[2] > b[0] for a, b in zip(present, present[1:])):
        return [None if cell is None else [i for v, h, i in band if cell[0] <= h < cell[2] and cell[1] <= v < cell[3]]
                for cell in cells]
    starts = [cell[0] for cell in present]
    bins: list[list[int]] = [[] for _ in present]
    for v, h, i in band:
        j = bisect_right(starts, h) - 1
        if j >= 0:
            _, ctop, cx1, cbottom = present[j]
            if h < cx1 and ctop <= v < cbottom:
                bins[j].append(i)
    found = iter(bins)
    return [None if cell is None else next(found) for cell in cells]


def _indent(chars: list[dict], left: float) -> float | None:
    """How far right of ``left`` the first line of a cell's text starts (a wrapped line starts at the rule)."""
    ink = [c for c in chars if not c["text"].isspace()]
    if not ink:
        return None
    top = min([c["top"] for c in ink])
    return min([c["x0"] for c in ink if c["top"] - top < DEFAULT_Y_TOLERANCE]) - left


def cell_text(chars: list[dict]) -> str:
    """``pdfplumber.utils.extract_text(chars)`` with the default settings, without its word and text-map
    objects: runs of upright and of rotated characters (in the given order), each cut into lines
    (characters clustered by ``top``, rotated ones by ``x0``, within the tolerance; each line ordered
    by ``x0``, rotated ones by ``top`` and ``bottom``), each line into words (a blank ends one, a
    character without text is one of its own, and a word ends where the next character starts before
    the last one's start, more than the tolerance after its end, or more than the tolerance off its
    line); words joined by a space and lines (words clustered by ``top``) by a line break.
    ``tests/etl/test_pdf_ruled.py`` compares it with pdfplumber's."""
    return _text(chars, None)[0] if chars else ""


def _text(chars: list[dict], left: float | None) -> tuple[str, float | None]:
    """:func:`cell_text` of ``chars`` (some), and their :func:`_indent` from ``left`` (None when ``left`` is)."""
    tops = [c["top"] for c in chars]
    if max(tops) <= min(tops) + DEFAULT_Y_TOLERANCE and all([c["upright"] for c in chars]):
        return _one_line(chars, left)
    words: list[tuple[float, str]] = []  # (top, text) in pdfplumber's order
    for upright, run in groupby(chars, key=_UPRIGHT):
        if upright:
            lines, order, along, across, end = _clusters(list(run), _TOP, DEFAULT_Y_TOLERANCE), _X0, "x0", "top", "x1"
        else:
            lines, order, along, across, end = _clusters(list(run), _X0, DEFAULT_X_TOLERANCE), _TTB, "top", "x0", "bottom"
        for line in lines:
            line.sort(key=order)
            word: list[dict] = []
            for c in line:
                text = c["text"]
                if text.isspace():
                    _word(word, words)
                    word = []
                elif text == "":  # pdfplumber splits at the "punctuation" "", which only the empty text is in
                    _word(word, words)
                    _word([c], words)
                    word = []
                elif word and (c[along] < word[-1][along] or c[along] > word[-1][end] + _TOLERANCE
                               or abs(c[across] - word[-1][across]) > _TOLERANCE):
                    _word(word, words)
                    word = [c]
                else:
                    word.append(c)
            _word(word, words)
    text = "\n".join(" ".join(text for _, text in line) for line in _clusters(words, _FIRST, DEFAULT_Y_TOLERANCE))
    return text, None if left is None else _indent(chars, left)


def _one_line(chars: list[dict], left: float | None) -> tuple[str, float | None]:
    """:func:`_text` of upright characters whose tops lie within the tolerance of the highest: one cluster
    (every top, and every word's, is within the tolerance of the one before it), so one line, its words
    joined by a space."""
    words, word, prev, blank = [], [], None, False
    line = sorted(chars, key=_X0)
    for c in line:
        text = c["text"]
        if text.isspace() or text == "":
            if word:
                words.append("".join(word))
            if text == "":
                words.append("")
            else:
                blank = True
            word, prev = [], None
            continue
        if prev is not None and (c["x0"] < prev["x0"] or c["x0"] > prev["x1"] + _TOLERANCE
                                 or abs(c["top"] - prev["top"]) > _TOLERANCE):
            words.append("".join(word))
            word = []
        word.append(LIGATURES.get(text, text))
        prev = c
    if word:
        words.append("".join(word))
    if left is None:
        return " ".join(words), None
    # the indent (:func:`_indent`): of the characters with ink near the highest, the first from the left
    ink = [c for c in line if not c["text"].isspace()] if blank else line
    if not ink:
        return " ".join(words), None
    top = min([c["top"] for c in ink])
    for c in ink:
        if c["top"] - top < DEFAULT_Y_TOLERANCE:
            return " ".join(words), c["x0"] - left


def _word(chars: list[dict], words: list[tuple[float, str]]) -> None:
    if chars:
        words.append((min(c["top"] for c in chars), "".join(LIGATURES.get(c["text"], c["text"] or "") for c in chars)))


def _clusters(objs: list, key, tolerance: float) -> list[list]:
    """``pdfplumber.utils.cluster_objects(objs, key, tolerance)``: the values of ``key`` chained into clusters
    (sorted, each within ``tolerance`` of the one before), and the objects of each cluster in their order."""
    if len(objs) == 1:
        return [list(objs)]
    index, n, last = {}, -1, None
    for value in sorted(set(map(key, objs))):
        if last is None or not value <= last + tolerance:  # cluster_list's test, as written (they differ for NaN)
            n += 1
        index[value] = n
        last = value
    if n == 0:
        return [list(objs)]
    out: list[list] = [[] for _ in range(n + 1)]
    for o in objs:
        out[index[key(o)]].append(o)
    return [c for c in out if c]


_UPRIGHT, _TOP, _BOTTOM, _X0, _X1 = (itemgetter(k) for k in ("upright", "top", "bottom", "x0", "x1"))
_FIRST = itemgetter(0)
_TTB = itemgetter("top", "bottom")  # pdfplumber's order of the characters of a rotated line
_TOLERANCE = DEFAULT_X_TOLERANCE  # pdfplumber's word gap and line offset (both 3 by default)
