"""Table grids of a PDF page, for :mod:`etl.read_pdf`.

API: :func:`ruled_grids` (tables drawn with ruling lines, via pdfplumber's
``find_tables``), :func:`positional_grid` (a table without ruling lines, rebuilt
from the x-positions of the text segments of its lines), :func:`norm` and
:func:`cell_text` (cell normalisation), :func:`split_header` (header rows /
栏次 row / data rows), :func:`repair_rows` (row repairs of a careful reader, each
reported as a human-readable note), :func:`is_empty_table` and the predicates
:func:`is_amount` / :func:`is_data_row`.

A :class:`Grid` is one printed table fragment on one page: ``rows`` of cell texts
(``None`` cells of merged spans already turned into ``""``) and, for ruled grids,
``spans[r][c]`` = how many columns the cell starting at ``c`` covers (0 where the
cell is covered by a merged cell), so that a label printed across the code and
name columns can be placed in the name column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CJK = (
    "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31c0-\u31ef\u3200-\u9fff"
    "\uf900-\ufaff\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026\u00b7"
)
_CJK_RE = re.compile(f"[{_CJK}]")
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_WS = re.compile(r"[\s\u3000\u00a0]+")
AMOUNT_RE = re.compile(r"^[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
ORDINAL_RE = re.compile(r"^(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十]+[)）]|\d+[、．.](?!\d))")
TOTAL_LABELS = {"合计", "总计", "小计", "无"}
CODE_HEADS = ("类", "款", "项")


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def norm(text: str | None) -> str:
    """Collapse white space and drop the spaces between CJK characters."""
    if not text:
        return ""
    text = _WS.sub(" ", text).strip()
    return _SPACE_BETWEEN_CJK.sub("", text)


def join_lines(parts: list[str]) -> str:
    """Join the printed lines of one wrapped text: no space unless both sides are Latin letters."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and part[0].isascii() and part[0].isalpha():
            out += " "
        out += part
    return norm(out)


def cell_text(raw: str | None) -> str:
    return join_lines(raw.split("\n")) if raw else ""


def is_amount(cell: str) -> bool:
    return bool(AMOUNT_RE.match(cell.replace(" ", ""))) if cell else False


def is_data_row(cells: list[str]) -> bool:
    """A body row: it prints an amount or code, an ordinal label, or a total / 无."""
    filled = [c for c in cells if c]
    if not filled:
        return False
    if any(is_amount(c) for c in filled):
        return True
    if ORDINAL_RE.match(filled[0]):
        return True
    return len(filled) == 1 and filled[0] in TOTAL_LABELS


def is_colnum_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    if not filled:
        return False
    if filled[0] in ("栏次", "档次"):
        return True
    return len(filled) >= 3 and all(c.isdigit() for c in filled) and [int(c) for c in filled] == list(
        range(int(filled[0]), int(filled[0]) + len(filled))
    ) and filled[0] in ("0", "1")


@dataclass
class Grid:
    bbox: tuple[float, float, float, float]
    rows: list[list[str]]
    spans: list[list[int]] | None = None
    ruled: bool = True
    notes: list[str] = field(default_factory=list)  # repairs made while building the grid

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def ruled_grids(page) -> list[Grid]:
    """Tables drawn with ruling lines; one-column boxes (framed text) are not tables."""
    if not (page.rects or page.lines or page.curves):
        return []
    grids = []
    for table in page.find_tables():
        raw = table.extract()
        if not raw or max(len(r) for r in raw) < 2:
            continue
        xs = _column_edges(table)
        spans = []
        for trow in table.rows:
            srow = []
            for cell in trow.cells:
                if cell is None:
                    srow.append(0)
                else:
                    srow.append(max(1, sum(1 for x in xs if cell[0] - 0.5 <= x < cell[2] - 0.5)))
            spans.append(srow)
        rows = [[cell_text(c) for c in r] for r in raw]
        grids.append(Grid(tuple(table.bbox), rows, spans, True))
    return grids


def _column_edges(table) -> list[float]:
    width = max(len(r.cells) for r in table.rows)
    edges = []
    for i in range(width):
        x0s = [r.cells[i][0] for r in table.rows if i < len(r.cells) and r.cells[i] is not None]
        edges.append(min(x0s) if x0s else float("inf"))
    return edges


# --------------------------------------------------------------- positional grids


def positional_grid(lines, page_no: int) -> Grid | None:
    """Rebuild a table without ruling lines from its text lines.

    ``lines`` are :class:`etl.read_pdf.Line` objects (already merged across the small
    baseline offsets some producers give to digits), each with ``segments``:
    ``(x0, x1, text)`` runs separated by wide gaps. Columns are the union of the
    x-ranges of the segments of the body lines; header segments are put into the
    first column they overlap. Returns ``None`` when no column structure is found.
    """
    body = [ln for ln in lines if is_data_row([s[2] for s in ln.segments])]
    if not body:
        return None
    spans: list[list[float]] = []
    for ln in body:
        for x0, x1, _ in ln.segments:
            spans.append([x0, x1])
    spans.sort()
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1] + 1:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    if len(cols) < 2:
        return None
    notes = []
    rows = []
    for ln in lines:
        cells = [""] * len(cols)
        for x0, x1, text in ln.segments:
            idx = next((i for i, (c0, c1) in enumerate(cols) if x0 <= c1 and x1 >= c0), None)
            if idx is None:  # in a gap between columns: nearest column on the left
                idx = max([i for i, (c0, _) in enumerate(cols) if c0 <= x0] or [0])
            cells[idx] = norm(f"{cells[idx]} {text}") if cells[idx] else text
        rows.append(cells)
        if getattr(ln, "offset_parts", None):
            moved = ", ".join(f"'{t}'" for t in ln.offset_parts)
            notes.append(
                f"page {page_no}: {moved} printed {ln.offset:.1f}pt below the baseline of "
                f"'{ln.segments[0][2]}'; read as part of that row"
            )
    x0 = min(c[0] for c in cols)
    x1 = max(c[1] for c in cols)
    return Grid((x0, lines[0].top, x1, lines[-1].bottom), rows, None, False, notes)


# --------------------------------------------------------------- header and rows


def split_header(rows: list[list[str]]) -> tuple[list[list[str]], list[str] | None, int]:
    """Header rows (above the 栏次 row or the first data row), 栏次 row, index of the first body row."""
    header: list[list[str]] = []
    for i, cells in enumerate(rows):
        if is_colnum_row(cells):
            return [h for h in header if any(h)], cells, i + 1
        if is_data_row(cells):
            return [h for h in header if any(h)], None, i
        header.append(cells)
    return [h for h in header if any(h)], None, len(rows)


def split_code_head(cells: list[str]) -> tuple[list[str], list[str]] | None:
    """A ruled row holding both the 类/款/项 header cells and the first body row (合计)."""
    n = 0
    while n < len(cells) and n < 3 and cells[n] == CODE_HEADS[n]:
        n += 1
    if n < 2 or not any(cells[n:]):
        return None
    return cells[:n] + [""] * (len(cells) - n), [""] * n + cells[n:]


def name_columns(header: list[list[str]], width: int) -> list[int]:
    cols = []
    for i in range(width):
        if any(i < len(h) and "名称" in h[i] for h in header):
            cols.append(i)
    return cols


def place_spanning_labels(rows, spans, header, width) -> list[str]:
    """Move a label printed across the code and name columns into the name column."""
    if not spans:
        return []
    names = name_columns(header, width)
    moved = []
    for cells, srow in zip(rows, spans):
        for c, span in enumerate(srow):
            if span <= 1 or c >= len(cells) or not cells[c] or is_amount(cells[c]):
                continue
            target = next((n for n in names if c < n < c + span), None)
            if target is not None and not cells[target]:
                cells[target], cells[c] = cells[c], ""
                moved.append(cells[target])
    return moved


def is_empty_table(rows: list[list[str]]) -> bool:
    """Only 无 / 合计 markers and no amounts: the table is printed empty."""
    return all(all(c in TOTAL_LABELS for c in cells if c) for cells in rows)


def _amount_columns(rows: list[list[str]]) -> set[int]:
    width = max((len(r) for r in rows), default=0)
    cols = set()
    for i in range(width):
        vals = [r[i] for r in rows if i < len(r) and r[i]]
        if vals and sum(is_amount(v) for v in vals) * 2 > len(vals):
            cols.add(i)
    return cols


def _is_code(cell: str) -> bool:
    return cell.isdigit() and len(cell) <= 7


def repair_rows(rows: list[list[str]], tops: list[float], page_no: int) -> tuple[list[list[str]], list[str]]:
    """Repairs for body rows read from text positions (no ruling lines).

    * amounts printed on the line below their labels: a row holding only amounts,
      each under an empty cell of the row above, is joined to that row;
    * wrapped names: a line holding only part of a name (no code, no amount, no
      ordinal) is joined to the name of the nearer row, above or below it.
    """
    amount_cols = _amount_columns(rows)
    notes: list[str] = []
    out: list[list[str]] = []
    out_tops: list[float] = []
    held: tuple[int, str, float] | None = None  # a name part waiting for the row below
    for k, (cells, top) in enumerate(zip(rows, tops)):
        filled = {i: c for i, c in enumerate(cells) if c}
        if not filled:
            continue
        prev = out[-1] if out else None
        if held is not None:
            col, text, htop = held
            held = None
            if col < len(cells) and cells[col] and not ORDINAL_RE.match(cells[col]) and cells[col] not in TOTAL_LABELS:
                notes.append(f"page {page_no}: name '{text}' wrapped above its row; joined to '{cells[col]}'")
                cells = list(cells)
                cells[col] = join_lines([text, cells[col]])
                out.append(cells)
                out_tops.append(top)
                continue
            out.append([text if i == col else "" for i in range(len(cells))])
            out_tops.append(htop)
            prev = out[-1]
        only_amounts = all(i in amount_cols and is_amount(c) for i, c in filled.items())
        if prev is not None and only_amounts and all(i < len(prev) and not prev[i] for i in filled):
            label = " | ".join(c for i, c in enumerate(prev) if c and i not in amount_cols)
            shown = ", ".join(f"'{c}'" for c in filled.values())
            notes.append(f"page {page_no}: amounts {shown} printed on the line below '{label}'; joined to that row")
            for i, c in filled.items():
                prev[i] = c
            continue
        label_only = len(filled) == 1 and not any(
            i in amount_cols or _is_code(c) or ORDINAL_RE.match(c) or c in TOTAL_LABELS for i, c in filled.items()
        )
        if label_only and prev is not None:
            ((col, text),) = filled.items()
            up = top - out_tops[-1]
            down = tops[k + 1] - top if k + 1 < len(rows) else float("inf")
            if col < len(prev) and prev[col] and up <= down:
                notes.append(f"page {page_no}: wrapped name '{prev[col]}' + '{text}' joined")
                prev[col] = join_lines([prev[col], text])
                continue
            held = (col, text, top)
            continue
        out.append(list(cells))
        out_tops.append(top)
    if held is not None:
        col, text, _ = held
        out.append([text if i == col else "" for i in range(max(col + 1, len(out[-1]) if out else 0))])
    return out, notes
