"""Typed records: what a table says, before it is RDF.

API: :class:`ColumnRec`, :class:`OrgRef`, :class:`LineRec`, :class:`ObsRec`, :class:`TextRec`,
:class:`NewConcept`, :class:`TableRec`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..amounts import Amount


@dataclass
class ColumnRec:
    index: int  # 1-based position in the printed table
    label: str  # leaf header as printed
    path: list[str]
    number: str | None  # 栏次
    role: str  # seq | code | code_part | label | text | amount | quantity
    side: str | None = None  # "in" / "out" on two-sided tables ("out-3": a further block under 支出)
    dims: dict[str, str] = field(default_factory=dict)  # dimension -> concept IRI
    # the year its figures are of, as its header (or a header over the columns before it) names it: None (the
    # document's), "prior" (上年), "change" (增减), "current" (本年), or a printed year ("2025"); see periods.py
    period: str | None = None
    # concepts its cells carry that the column does not stand for: an of-which column (其中：经费拨款) naming no
    # concept of its own is a part of the column before it, its cells that column's concepts (see engine)
    cell_dims: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OrgRef:
    """An organisation a row of a table listing units names: a budget unit, or the department itself."""

    name: str  # as printed
    code: str | None = None  # 单位编码 as printed
    department: bool = False  # the publishing department (its own total row), not one of its units


@dataclass
class LineRec:
    index: int  # 1-based row position in the table
    line: int
    page: int | None
    side: str | None
    number: int | None  # 序号 as printed
    code: str | None
    label: str
    classification: str | None = None  # concept IRI
    scheme: str | None = None
    bold: bool = False
    # the row's label printed outside its label column (合计 in a cell merged over the code columns): its rdfs:label
    text_label: str = ""
    # the budget unit the line belongs to in a table listing units (None: the department)
    organization: OrgRef | None = None
    period: str | None = None  # as ColumnRec.period, named by the row's label or a text cell of it (2025年, 增减变化金额)
    # the row index of the line of its side this one is a part of by the outline (1、 under 一、, 其中 under the line
    # above: :mod:`.outline`), where the code hierarchy cannot say it
    parent: int | None = None


@dataclass
class ObsRec:
    item: LineRec
    column: ColumnRec
    amount: Amount
    measure: str  # "amount" or "quantity"
    dims: dict[str, str]
    period: str | None = None  # of its row and column (periods.combine): None for a figure of the document's year


@dataclass
class TextRec:
    """A printed text cell that is neither the row label nor its code (e.g. 计量单位)."""

    item: LineRec
    column: ColumnRec
    text: str


@dataclass(frozen=True)
class NewConcept:
    scheme: str
    notation: str
    label: str
    line: int


@dataclass
class TableRec:
    key: str
    title: str
    line: int
    page: int | None
    unit: str | None
    multiplier: int | None
    columns: list[ColumnRec]
    items: list[LineRec]
    observations: list[ObsRec]
    texts: list[TextRec] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    new_concepts: list[NewConcept] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # labels not found in a code list, with line
    constants: dict[str, str] = field(default_factory=dict)
    as_of: str | None = None
    multi_measure: bool = False
    organization: str | None = None  # the 编制单位 of the table's header (audit: one organization)
    by_unit: bool = False  # the table lists several units: each line names its organisation
    printed_orgs: dict[int, OrgRef] = field(default_factory=dict)  # row index -> the organisation the row names
    orgs_by_column: bool = False  # a unit column names them (else row labels)
    project_rows: bool = False  # each line is a project, named by its label

    @property
    def empty(self) -> bool:
        return not self.items
