"""The printed header of a table as a grid of merged cells, from each column's header path.

API: :func:`paths` ``(columns) -> list[list[str]]``; :func:`grid` ``(paths) -> list[list[HeaderCell]]``;
:func:`joined` ``(path) -> str``; :class:`HeaderCell` ``(text, col, colspan, rowspan)``; :data:`SEPARATOR`, :data:`JOIN`.

Each column of the graph carries its leaf header (``rdfs:label``) and the header cells above it
(``bkg:headerPath``, joined by :data:`SEPARATOR`, leaf last). :func:`grid` lays them out as
printed: a group cell spans the neighbouring columns that share it, and a column whose path is
shorter than the deepest reaches down to the last header row, so the leaves always end on the
last row. HTML pages (``colspan``/``rowspan``) and spreadsheets (merged cells) draw the same grid.

>>> g = grid([["序号"], ["资金性质", "合计"], ["资金性质", "一般公共预算"]])
>>> [[(c.text, c.col, c.colspan, c.rowspan) for c in row] for row in g]
[[('序号', 0, 1, 2), ('资金性质', 1, 2, 1)], [('合计', 1, 1, 1), ('一般公共预算', 2, 1, 1)]]
>>> paths([("项目", None), ("预算数", "收入 / 预算数")])
[['项目'], ['收入', '预算数']]
>>> joined(["公务接待费", "预算数"])
'公务接待费/预算数'
"""

from __future__ import annotations

from dataclasses import dataclass

SEPARATOR = " / "  # how bkg:headerPath joins the header cells of a column (leaf last)
JOIN = "/"  # how a one-line header (CSV, DataFrame columns) joins them: 公务接待费/预算数


@dataclass(frozen=True)
class HeaderCell:
    text: str
    col: int  # 0-based first column
    colspan: int
    rowspan: int


def paths(columns) -> list[list[str]]:
    """Each column's header cells from top to leaf, from ``(label, header path or None)`` pairs."""
    out = []
    for label, path in columns:
        out.append(path.split(SEPARATOR) if path else [label or ""])
    return out


def joined(path: list[str]) -> str:
    """A column's whole header path on one line (a CSV or DataFrame column name)."""
    return JOIN.join(path)


def grid(header_paths: list[list[str]]) -> list[list[HeaderCell]]:
    """The header rows, each a list of cells left to right (columns covered by a cell above are left out)."""
    depth = max((len(p) for p in header_paths), default=0)
    rows: list[list[HeaderCell]] = [[] for _ in range(depth)]
    for level in range(depth):
        col = 0
        while col < len(header_paths):
            path = header_paths[col]
            if level >= len(path):  # covered by this column's leaf above
                col += 1
                continue
            leaf = level == len(path) - 1
            span = 1
            if not leaf:  # a group cell: the neighbours with the same cells down to this level share it
                while (col + span < len(header_paths) and len(header_paths[col + span]) - 1 > level
                       and header_paths[col + span][:level + 1] == path[:level + 1]):
                    span += 1
            rows[level].append(HeaderCell(path[level], col, span, depth - level if leaf else 1))
            col += span
    return rows
