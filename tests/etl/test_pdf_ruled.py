"""The ruled-table finder of the reader (budgetkg.etl.pdf_ruled) against pdfplumber's own.

pdfplumber's ``TableFinder`` with its default settings and ``Table.extract`` are the reference: on
every page of the bundled and corpus PDFs (characters and paths as the reader takes them from pdfium,
or from pdfminer where pdfium cannot place them), the same tables (box, cells) with the same cell
texts; and the reader's documents of the bundled PDFs are the same when its pages' tables come from
pdfplumber's finder.
"""

from itertools import permutations
from pathlib import Path

import pytest
from pdfplumber.table import TableFinder
from pdfplumber.utils import curve_to_edges, extract_text, line_to_edge, rect_to_edges

from budgetkg.etl import pdf_raw, pdf_ruled
from budgetkg.etl.read_pdf import read_pages, read_pdf
from tests.etl.test_pdf_raw import PDFS, summary

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "data" / "samples").glob("*.pdf"))


def tables(found) -> list:
    return [(t.bbox, t.cells, t.extract()) for t in found]


def plumber_edges(lines: list[dict], rects: list[dict], curves: list[dict]) -> list[dict]:
    """pdfplumber's ``Page.edges`` of these lines, rectangles and curves (its helpers, in its order)."""
    return ([line_to_edge(ln) for ln in lines] + [e for r in rects for e in rect_to_edges(r)]
            + [e for c in curves for e in curve_to_edges(c)])


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_same_tables_as_pdfplumber_on_every_page(path):
    ruled = 0  # tables found
    with pdf_raw.PdfPages(path.read_bytes(), path.name) as pages:
        for i in range(len(pages)):
            page = pages.page(i)
            # the page's own edges (open_ends' rules, the reader's, come after them) are pdfplumber's Page.edges
            own = page.edges[:len(page.edges) - len(page.opened)]
            assert repr(own) == repr(plumber_edges(page.lines, page.rects, page.curves)), f"page {i + 1}"
            if not page.edges:
                continue
            expected = tables(TableFinder(page).tables)
            assert tables(pdf_ruled.find_tables(page)) == expected, f"page {i + 1}"
            ruled += len(expected)
    assert ruled or path.name.startswith("beijing_czj_2026_budget_dept.")  # a narrative: its tables are a separate PDF


class _PlumberTables(pdf_raw.RawPage):
    """A page whose tables are pdfplumber's own (``TableFinder``, ``Table.extract`` over all its characters)."""

    def find_tables(self) -> list:
        return TableFinder(self).tables if self.edges else []


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_reader_tables_are_pdfplumbers(path):
    """The whole document, read with pdfplumber's table finder on the same pages, is the reader's."""
    expected = read_pdf(path)
    doc = type(expected)(expected.path, expected.sha256, "pdf")
    with pdf_raw.PdfPages(path.read_bytes(), path.name) as pages:

        def load(i):
            p = pages.page(i)
            return _PlumberTables(p.no, p.bbox, p.chars, p.rects, p.lines, p.curves, p.images)

        read_pages(doc, pages.pdf, [lambda i=i: load(i) for i in range(len(pages))])
    assert summary(doc) == summary(expected)
    assert expected.tables()


def char(text, x0, top, size=10.0, upright=True):
    return {"text": text, "x0": x0, "x1": x0 + size, "top": top, "bottom": top + size, "doctop": top,
            "size": size, "upright": upright}


CELLS = [
    [char("合", 10, 5), char("计", 20, 5)],  # one word
    [char("1", 10, 5), char("2", 24, 5.4)],  # a gap of 4 > 3: two words
    [char("1", 10, 5), char(" ", 20, 5), char("2", 30, 5)],  # a blank between
    [char("一", 10, 5), char("般", 20, 5), char("公", 10, 18), char("共", 20, 18)],  # two lines
    [char("a", 10, 5), char("b", 21, 7.5)],  # offset by 2.5, within the tolerance
    [char("a", 10, 5), char("b", 21, 7.95)],  # near the tolerance: read by pdfplumber
    [char("\ufb01", 10, 5), char("x", 20, 5)],  # a ligature expanded
    [char("", 10, 5), char("x", 20, 5)],  # a character without text is a word of its own
    [char("x", 10, 5), char("y", 10, 20, upright=False)],  # rotated text
    [char("b", 20, 5), char("a", 10, 5), char("c", 19, 5, size=2)],  # printed out of order
    [char(" ", 10, 5)], [char("x", 10, 5)],
    [char("a", 10, 5), char("b", 10, 5, size=4)],  # the same start: in the given order, not by their ends
    [char("a", 10, 5), char("b", 21, 7.5), char("c", 32, 10), char("d", 10, 30)],  # lines chained within 3
    [char("x", 10, 5), char("y", 10, 20, upright=False), char("z", 30, 5)],  # a rotated run between
    [char("p", 10, 5, upright=False), char("q", 10, 16, upright=False), char("r", 30, 5, upright=False)],
    [char("a", 10, 5), char("", 20, 5), char(" ", 30, 5), char("\ufb02", 40, 18), char("b", 50, 18)],
    [char(" ", 10, 5), char("x", 21, 6), char("y", 30, 5)],  # a blank first, then a line offset by 1
    [char("x", 30, 5), char("y", 18, 7.9)],  # the lower character starts further left, within the tolerance
]


@pytest.mark.parametrize("chars", CELLS)
def test_cell_text_is_pdfplumbers(chars):
    assert pdf_ruled.cell_text(chars) == extract_text(chars)


@pytest.mark.parametrize("chars", CELLS)
def test_cell_text_and_indent_in_one_pass(chars):
    """The text and the indent read together are the text and the indent read apart: the indent is where the
    leftmost character with ink within the tolerance of the highest one starts, from the cell's left rule."""
    ink = [c for c in chars if not c["text"].isspace()]
    high = min(c["top"] for c in ink) if ink else None
    indent = min(c["x0"] for c in ink if c["top"] - high < 3) - 4.0 if ink else None
    assert pdf_ruled._text(chars, 4.0) == (extract_text(chars), indent)


def _box(kind: str, x0: float, top: float, x1: float, bottom: float, **more) -> dict:
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top + 100.0,
            "y0": 800.0 - bottom, "y1": 800.0 - top, "width": x1 - x0, "height": bottom - top, **more}


def test_page_edges_are_pdfplumbers():
    """The edges of lines, rectangles and curves are the dicts pdfplumber's helpers make: keys in their order and
    values of their types (a rectangle side's height or width is the integer 0), min() and max() of equal values
    taking the first (0.0 and -0.0), a curve's points in any direction, a slanted side without orientation; a curve
    of no point or of one has no side (and nothing else of it is read: these have no heights), and of a point with
    more than two coordinates the first two are read."""
    lines = [_box("line", 1.0, 2.0, 9.0, 2.0), _box("line", 4.0, 2.0, 4.0, 8.5)]
    rects = [_box("rect", 1.0, 2.0, 3.0, 6.0), _box("rect", -0.0, 0.0, 0.0, 0.0)]
    curves = [_box("curve", -0.0, 0.0, 5.0, 5.0, pts=[(5.0, 5.0), (0.0, 5.0), (0.0, 0.0), (-0.0, -0.0), (3.0, 4.5),
                                                        (5.0, 5.0)]),
              {"object_type": "curve", "pts": []}, {"object_type": "curve", "pts": [(1.0, 2.0)]},
              _box("curve", 0.0, 0.0, 5.0, 5.0, pts=[(0.0, 0.0, 1.0), (5.0, 0.0, 1.0), (5.0, 5.0, 7.0)])]
    assert repr(pdf_ruled.page_edges(lines, rects, curves)) == repr(plumber_edges(lines, rects, curves))


def _h(x0: float, x1: float, y: float) -> dict:
    return {"orientation": "h", "object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "doctop": y,
            "width": x1 - x0, "height": 0.0}


def _v(x: float, top: float, bottom: float) -> dict:
    return {"orientation": "v", "object_type": "line", "x0": x, "x1": x, "top": top, "bottom": bottom, "doctop": top,
            "width": 0.0, "height": bottom - top}


def test_open_ends_with_a_rule_at_no_height():
    """A horizontal rule at a NaN height is no rule across either end of a vertical rule: the rule at x=100 from 10
    to 50 meets none of the rules at 10 and 50 (they end at 20), so it is open at both ends, and by the rules of
    open_ends' docstring the rule at its top height is carried from its end (20) to it, and so is the rule at its
    bottom height (a rule open at both ends)."""
    nan = float("nan")
    edges = [_h(0.0, 20.0, 10.0), _h(0.0, 20.0, 50.0), _v(100.0, 10.0, 50.0), _h(0.0, 100.0, nan)]
    found = [(e["x0"], e["x1"], e["top"], e["bottom"], e["open"]) for e in pdf_ruled.open_ends(edges)]
    assert found == [(20.0, 100.0, 10.0, 10.0, "top"), (20.0, 100.0, 50.0, 50.0, "bottom")]


class _EdgesPage:
    """A page of edges only, as TableFinder and find_tables read one."""

    def __init__(self, edges: list[dict]):
        self.edges, self.chars, self.bbox = edges, [], (0.0, 0.0, 200.0, 200.0)


@pytest.mark.parametrize("odd", ["h", "v"])
def test_tables_of_a_grid_with_an_edge_at_nan_are_pdfplumbers(odd):
    """A grid of two cells and an edge at a NaN position: pdfplumber's clustering (cluster_list joins a value
    when ``x <= last + tolerance``, never for NaN) and so its tables, in every order of the edges."""
    nan = float("nan")
    grid = [_h(0.0, 100.0, 0.0), _h(0.0, 100.0, 50.0), _v(0.0, 0.0, 50.0), _v(50.0, 0.0, 50.0), _v(100.0, 0.0, 50.0)]
    grid.append(_h(0.0, 100.0, nan) if odd == "h" else _v(nan, 0.0, 50.0))
    for order in permutations(grid):
        page = _EdgesPage(list(order))
        expected = tables(TableFinder(page).tables)
        assert [bbox for bbox, _, _ in expected] == [(0.0, 0.0, 100.0, 50.0)]  # the grid, as pdfplumber finds it
        assert tables(pdf_ruled.find_tables(page)) == expected, order
