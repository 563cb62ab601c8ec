"""Document model shared by every reader.

API: :class:`Document` made of :class:`Heading`, :class:`Paragraph` and :class:`Table`
blocks in source order; :class:`Row`; :class:`Location`; :class:`Skipped`; :class:`EtlError`.

A reader (text or PDF) turns a file into a :class:`Document`; recognition,
extraction and mapping only ever see this model, so every template is read once
and mapped by the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetkg.errors import InputError


@dataclass(frozen=True)
class Location:
    """Where something stands in a source file (line is 1-based; page when known)."""

    file: str
    line: int | None = None
    page: int | None = None
    table: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.table:
            parts.append(f"table {self.table!r}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Skipped:
    """Something of the input that is not mapped (a page without text, a table without
    structure, a table of an unknown kind), where it stands and why; a ``bkg:SkippedItem``.

    >>> loc, reason = Skipped(Location("a.pdf", page=3), "no text layer (image only)")
    >>> str(loc)
    'a.pdf, page 3'
    """

    location: Location
    reason: str

    def __iter__(self):
        # Unpacks as (location, reason), the pair the extractors report.
        return iter((self.location, self.reason))


class EtlError(InputError):
    """Bad input: the message names file, page or line, and table."""

    def __init__(self, message: str, location: Location):
        super().__init__(message, location)


@dataclass
class Heading:
    level: int
    text: str
    line: int
    page: int | None = None


@dataclass
class Paragraph:
    text: str
    line: int
    page: int | None = None


@dataclass
class Row:
    cells: list[str]
    line: int
    page: int | None = None
    bold: bool = False
    # how far right of its cell's left rule each cell's text starts (points; None: not measured, or empty):
    # the level of a name in a tree printed without codes (PDF ruled tables only)
    indents: tuple[float | None, ...] | None = None


@dataclass
class Table:
    """One printed table, page-break continuations already merged.

    ``header`` holds the header rows (above the 栏次 row or the first data row);
    ``column_numbers`` the 栏次/档次 row when printed; ``notes`` the 注： lines.
    """

    title: str
    line: int
    page: int | None = None
    meta: dict[str, str] = field(default_factory=dict)
    header: list[list[str]] = field(default_factory=list)
    column_numbers: list[str] | None = None
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    # per header row, the number of columns the cell starting at each column covers (0: covered by a merged
    # cell), when the reader knows the cells (a ruled PDF table); None: the header text alone tells
    header_spans: list[list[int]] | None = None

    @property
    def width(self) -> int:
        widths = [len(r) for r in self.header] + [len(r.cells) for r in self.rows]
        return max(widths, default=0)

    def leaf_headers(self) -> list[str]:
        """The lowest non-empty header cell of each column."""
        leaves = []
        for i in range(self.width):
            leaf = ""
            for hrow in self.header:
                if i < len(hrow) and hrow[i]:
                    leaf = hrow[i]
            leaves.append(leaf)
        return leaves

    def header_paths(self) -> list[list[str]]:
        """For each column, the header cells from top to leaf.

        An empty cell of an upper header row belongs to the group on its left when
        a leaf stands below it (a horizontal span); otherwise the column's header
        is a vertical span and the empty cell adds nothing. Where the reader knows the
        merged cells (``header_spans``), a cell covered by the group's merged cell
        belongs to it and an empty cell of its own does not, whatever stands below:
        预算数 over 合计 | 因公出国（境）费 (merged over the two lower rows) | 公务用车 …,
        but not an empty ruled cell over 总计 beside 支出项目类别.

        >>> t = Table("三公", 1, header=[["预算数", "", ""], ["合计", "因公出国（境）费", "公务用车"],
        ...                               ["", "", "小计"]], header_spans=[[3, 0, 0], [1, 1, 1], [0, 0, 1]])
        >>> t.header_paths()
        [['预算数', '合计'], ['预算数', '因公出国（境）费'], ['预算数', '公务用车', '小计']]
        >>> t.header_spans = [[1, 1, 1], [1, 1, 1], [0, 0, 1]]
        >>> t.header_paths()[1]
        ['因公出国（境）费']
        """
        if self.header_spans is not None and len(self.header_spans) == len(self.header):
            return self._merged_header_paths(self.header_spans)
        width = self.width
        leaves = self.header[-1] if self.header else []
        paths: list[list[str]] = [[] for _ in range(width)]
        for r, hrow in enumerate(self.header):
            group, origin = "", -1
            above = [list(p) for p in paths]
            for i in range(width):
                cell = hrow[i] if i < len(hrow) else ""
                if cell:
                    group, origin = cell, i
                    paths[i].append(cell)
                elif (
                    group
                    and r < len(self.header) - 1
                    and i < len(leaves)
                    and leaves[i]
                    and above[i] == above[origin]  # not under another group's vertical span
                ):
                    paths[i].append(group)
                else:
                    group = ""
        return paths

    def _merged_header_paths(self, spans: list[list[int]]) -> list[list[str]]:
        paths: list[list[str]] = [[] for _ in range(self.width)]
        for hrow, hspans in zip(self.header, spans):
            origin = -1  # the cell of this row that the current column is in
            for i in range(self.width):
                span = hspans[i] if i < len(hspans) else 1
                if span:
                    origin = i
                cell = hrow[origin] if span == 0 and 0 <= origin < len(hrow) and origin + hspans[origin] > i else (
                    hrow[i] if i < len(hrow) else "")
                if cell:
                    paths[i].append(cell)
        return paths


Block = Heading | Paragraph | Table


@dataclass
class Document:
    path: str
    sha256: str
    fmt: str  # "text" or "pdf"
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    repairs: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # what the reader could not read

    @property
    def name(self) -> str:
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def location(self, line: int | None = None, page: int | None = None, table: str | None = None) -> Location:
        return Location(self.name, line, page, table)
