"""The shared engine that turns a :class:`~budgetkg.etl.model.Table` into a :class:`TableRec`.

API: :class:`KindSpec` (what a table kind means) and :func:`extract_with`
``(table, spec, *, doc) -> TableRec``.

The per-kind modules only declare a :class:`KindSpec`: which code list
classifies the rows, which classifies the columns, which dimensions are fixed
for the whole table. The engine reads column roles from the header, rows from
the body, and raises :class:`~budgetkg.etl.model.EtlError` naming file, line, table and
column for a cell that is not an amount where an amount belongs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..amounts import Amount, looks_numeric, parse_amount, unit_multiplier
from ..codelists import NOT_APPLICABLE as NOT_APPLICABLE_CODE
from ..codelists import LEVELLED, TOTAL, CodeLists, codelists, concept_iri
from ..lexicon import CODE_HEADER_SUFFIX, CODE_HEADERS, CODE_HEADS, LABEL_HEADER_SUFFIX, LABEL_HEADERS
from ..lexicon import PHASE_SUFFIX_RE as _PHASE_SUFFIX
from ..lexicon import PHASE_WORDS as _PHASE_WORDS
from ..lexicon import CATALOGUE_LEVEL_RE
from ..lexicon import AMOUNT_HEADER_WORDS, CODE_NAME_RE, HEADER_QUALIFIER_RE, LABEL_HEADER_SCHEMES, NOT_APPLICABLE, PERCENT_HEADER_WORDS, PERCENT_RE
from ..lexicon import OF_WHICH_MARKS, QUANTITY_HEADER_PREFIX, QUANTITY_HEADERS, SELECTION_HEADER_RE, SEQ_HEADS, TEXT_HEADERS
from ..lexicon import SIDE_HEAD_SUFFIX_RE, SIDE_WORDS, THIS_YEAR_WORD, TOTAL_LINE, UNIT_COLUMN_HEADERS
from ..lexicon import TOTAL_WORDS as _TOTAL_WORDS
from ..lexicon import UNIT_IN_HEADER_RE as _UNIT_IN_HEADER
from ..model import Document, EtlError, Row, Table
from ..text import clean_cell, match_key
from .outline import fits_outline, label_indents, outline_parents, printed_parent
from .periods import CHANGE, PRIOR, column_periods, combine, period_of
from .records import ColumnRec, LineRec, NewConcept, ObsRec, TableRec, TextRec
from .units import assign_units, printed_organizations

SCHEME_DIM = {
    "functional": "functionalClassification",
    "economic": "economicClassification",
    "fund-source": "fundSource",
    "expenditure-type": "expenditureType",
    "three-public": "threePublicCategory",
    "asset": "assetCategory",
    "summary-item": "summaryItem",
}
_SCHEME_DIMS = frozenset(SCHEME_DIM.values())
COMMON_DIMS = ("organization", "fiscalYear", "budgetPhase", "operationCharacter", "lineItem", "column")

_CODE_RE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
# The lines of a summary table's income side that open the carry-over block (its fund lines follow).
_CARRY_OVER = concept_iri("fund-source", "carry-over")
_CARRY_OVER_LINES = {_CARRY_OVER, concept_iri("summary-item", "carry-over-in")}


@dataclass(frozen=True)
class KindSpec:
    key: str
    operation: str | None = None  # "revenue" / "expenditure"; None: by side
    code_scheme: str | None = None  # scheme of a printed code column
    row_schemes: tuple[str, ...] = ()  # schemes that classify a row by its label
    side_row_schemes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    column_schemes: tuple[str, ...] = ()
    constants: dict[str, str] = field(default_factory=dict)  # dimension -> scheme/notation
    dims: tuple[str, ...] = ()  # dimensions of the DSD beyond COMMON_DIMS
    multi_measure: bool = False  # amount and quantity: observations carry qb:measureType
    project_rows: bool = False  # each row is a project (its label the project's name)
    # schemes whose concept the title may name for the whole table where no column names one (财政拨款政府购买
    # 服务明细表: the appropriation's services, one amount column 预算金额)
    title_schemes: tuple[str, ...] = ()
    # the row label names the item listed (the thing bought, the project), not the code the row prints: a printed
    # code classifies the row, its label is no name of the code (the table-kind concept's bkg:rowLabelNamesItem)
    item_labels: bool = False


def _role(label: str, path: list[str]) -> str:
    key = match_key(label)
    key = HEADER_QUALIFIER_RE.sub("", key) or key
    if key in SEQ_HEADS:
        return "seq"
    if key in TEXT_HEADERS:  # before the code suffix: 单位编码 and 项目编号 are printed text, no classification
        return "text"
    if key in CODE_HEADERS or (key.endswith(CODE_HEADER_SUFFIX) and len(key) <= 10):
        return "code"
    if key in CODE_HEADS:
        return "code_part"
    if key in LABEL_HEADERS or key.endswith(LABEL_HEADER_SUFFIX):
        return "label"
    if any(w in key for w in PERCENT_HEADER_WORDS):
        return "text"
    if key in QUANTITY_HEADERS or key.startswith(QUANTITY_HEADER_PREFIX):
        return "quantity"
    return "amount"


def _role_by_content(cells: list[str]) -> str | None:
    """``text`` for a column of percentages, ``label`` for a column of words, under a header that says neither.

    A column is typed by what most of its filled cells print (合计 and 无 alone do not decide).
    """
    filled = [c.strip() for c in cells if c.strip() not in NOT_APPLICABLE and match_key(c) not in _TOTAL_WORDS]
    if not filled:
        return None
    if sum(bool(PERCENT_RE.match(c)) for c in filled) * 2 > len(filled):
        return "text"
    if sum(not looks_numeric(c) for c in filled) * 2 > len(filled):
        return "label"
    return None


def side_base(side: str | None) -> str:
    """``in`` / ``out`` of a side, also of a further block under the same heading (``out-3``).

    >>> side_base("out-3"), side_base("in"), side_base(None)
    ('out', 'in', '')
    """
    return (side or "").split("-")[0]


def _side_name(path: list[str], position: int) -> str:
    """``in``/``out`` for a segment printed under 收入/支出, else a letter by position."""
    top = SIDE_HEAD_SUFFIX_RE.sub("", match_key(path[0])) if path else ""
    return next((side for word, side in SIDE_WORDS if top.endswith(word)), "abcdefgh"[position])


def _labels_a_segment(cols: list[ColumnRec]) -> bool:
    """Whether the columns from a code or label column on print a label before their first amount: a segment
    of its own (科目编码 | 科目名称 | 金额), not the codes of the row printed after its quantity (数量 | 类 款 |
    预算金额: the economic class of a procurement line)."""
    for col in cols:
        if col.role == "label":
            return True
        if col.role in ("amount", "quantity"):
            return False
    return False


def _assign_sides(cols: list[ColumnRec]) -> None:
    """Split a table printing two (or more) row segments side by side.

    A new segment starts at a code or label column once the current segment
    already has a label and an amount (收支总表: income | expenditure; the 决算
    basic expenditure table: personnel | public). Single-segment tables keep no side.
    """
    segments: list[list[ColumnRec]] = [[]]
    for at, col in enumerate(cols):
        current = segments[-1]
        roles = {c.role for c in current}
        if col.role in ("code", "code_part", "label") and "label" in roles and roles & {"amount", "quantity"} \
                and _labels_a_segment(cols[at:]):
            segments.append([])
        segments[-1].append(col)
    if len(segments) < 2:
        return
    used: set[str] = set()
    for n, seg in enumerate(segments):
        label = next((c for c in seg if c.role == "label"), seg[0])
        side = _side_name(label.path, n)
        if side in used:  # a further block under the same heading (支出 by function, then by economic class)
            side = f"{side}-{n + 1}"
        used.add(side)
        for col in seg:
            # a 序号 before the first label numbers the printed row; a 行次 after a label numbers its side's line
            shared = col.role == "seq" and n == 0 and col.index < label.index
            col.side = None if shared else side




def _column_concept(lists: CodeLists, schemes: tuple[str, ...], path: list[str]) -> dict[str, str]:
    """The concepts a column stands for: the leaf first, then the groups above it.

    A column printed as 预算数 / 决算数 (budget beside execution) also carries its phase, also after 上年
    (上年执行数: the prior year's execution beside this year's budget).
    """
    dims: dict[str, str] = {}
    for cell in reversed(path):
        key = match_key(cell)
        phase = next((p for word, p in _PHASE_WORDS if key == word or (key.endswith(word) and period_of(key) == PRIOR)),
                     None)
        if phase:
            dims["budgetPhase"] = concept_iri("phase", phase)
            break
    for scheme in schemes:
        for at in range(len(path) - 1, -1, -1):
            # the header as printed first: 一般公共预算 is a fund source, not 一般公共 + the phase word 预算
            key = match_key(path[at])
            iri = lists.match(scheme, key, suffix=False) if key not in _TOTAL_WORDS else None
            cell = _PHASE_SUFFIX.sub("", key)
            if not iri and (not cell or cell in _TOTAL_WORDS):
                continue
            iri = iri or lists.match(scheme, cell)
            if iri:
                # a concept printed under a group of the same scheme is its part within the group
                # (一般公共预算 under 上年结转结余 is the carry-over of general-budget funds)
                for group in path[:at]:
                    above = lists.match(scheme, match_key(group), suffix=False)
                    if above:
                        iri = lists.part_of(above, iri)
                dims[SCHEME_DIM[scheme]] = iri
                break
        else:
            if path and match_key(path[-1]) in _TOTAL_WORDS:
                dims[SCHEME_DIM[scheme]] = concept_iri(scheme, TOTAL)
    totals = [i for i, cell in enumerate(path[:-1]) if match_key(cell) in _TOTAL_WORDS]
    for scheme in schemes:
        # 总计 over 一般公共预算 | 政府性基金预算 ... beside 因公出国（境）费 over the same funds: a group headed by a
        # total word whose cells below name another scheme's concepts is this scheme's total, split by them
        # (a 合计 below 财政拨款“三公”经费 is that concept's total, not another scheme's).
        if SCHEME_DIM[scheme] not in dims and totals and any(
                lists.match(other, match_key(cell), suffix=False)
                for cell in path[totals[-1] + 1:] for other in schemes if other != scheme):
            dims[SCHEME_DIM[scheme]] = concept_iri(scheme, TOTAL)
    return dims


def _columns(table: Table, spec: KindSpec, lists: CodeLists) -> list[ColumnRec]:
    cols = []
    numbers = table.column_numbers or []
    for i, path in enumerate(table.header_paths()):
        label = path[-1] if path else ""
        role = _role(label, path)
        if role == "amount" and not any(w in match_key(label) for w in AMOUNT_HEADER_WORDS):
            role = _role_by_content([r.cells[i] if i < len(r.cells) else "" for r in table.rows]) or role
        col = ColumnRec(i + 1, label, path, numbers[i] if i < len(numbers) and i > 0 else None, role)
        if role in ("amount", "quantity"):
            col.dims = _column_concept(lists, spec.column_schemes, path)
            if _selection(path, table.title):
                col.dims = {dim: iri for dim, iri in col.dims.items() if dim not in _SCHEME_DIMS}
        cols.append(col)
    _of_which_within_their_whole(cols, spec, lists)
    _assign_sides(cols)
    _second_classification_is_text(cols)
    _unit_name_beside_a_label_is_text(cols)
    _deepest_level_labels(cols)
    # The first label column of a side is the row label; later ones are text cells.
    seen: set[str | None] = set()
    for col in cols:
        if col.role == "label":
            if col.side in seen:
                col.role = "text"
            seen.add(col.side)
    column_periods(cols)
    return cols


def _deepest_level_labels(cols: list[ColumnRec]) -> None:
    """Levels of a catalogue printed as columns (指导性目录: 一级 | 二级 | 三级): the deepest printed level labels
    the row (the service bought), the levels above it are its groups, printed text."""
    levels = [c for c in cols if CATALOGUE_LEVEL_RE.match(match_key(c.label))]
    if len(levels) < 2:
        return
    for col in levels:
        col.role = "text"
    levels[-1].role = "label"


def _selection(path: list[str], title: str) -> bool:
    """Whether a column's header names a figure selected or adjusted by another criterion than the table's
    (SELECTION_HEADER_RE): it stands for no concept of the table's schemes, its 小计 for no total of them.

    >>> _selection(["2026年政府采购项目", "小计"], "支出总表"), _selection(["项目支出", "扣除基建项目后预算数"], "一般公共预算支出表")
    (True, True)
    >>> _selection(["政府采购预算", "合计"], "政府采购预算表"), _selection(["预算数", "合计"], "支出总表")
    (False, False)
    """
    return not SELECTION_HEADER_RE.search(match_key(title)) and any(SELECTION_HEADER_RE.search(match_key(c)) for c in path)


def _of_which_within_their_whole(cols: list[ColumnRec], spec: KindSpec, lists: CodeLists) -> None:
    """An amount column printed as ``其中：X`` beside its whole in one header group (本级财政拨款: 金额 |
    其中：经费拨款) breaks down that whole, it is not one more part of the group's total. Where X names no
    concept of the column's classifications, the column took its whole's concepts from the group above it:
    its cells keep them, but the column does not stand for them (合计 = 金额 + 其中 would count the whole
    twice). A column whose X is a concept (其中：一般公共预算) keeps it.
    """
    def of_which(col: ColumnRec) -> bool:
        return clean_cell(col.label).replace(" ", "").startswith(OF_WHICH_MARKS)

    for at, col in enumerate(cols):
        if col.role != "amount" or not of_which(col):
            continue
        if any(lists.match(scheme, col.label, suffix=False) for scheme in spec.column_schemes):
            continue
        whole = next((c for c in reversed(cols[:at]) if c.role == "amount" and c.path[:-1] == col.path[:-1]
                      and not of_which(c)), None)
        if whole is None:
            continue
        shared = {dim: iri for dim, iri in col.dims.items() if whole.dims.get(dim) == iri and dim != "budgetPhase"}
        for dim in shared:
            del col.dims[dim]
        col.cell_dims.update(shared)


def _unit_name_beside_a_label_is_text(cols: list[ColumnRec]) -> None:
    """A unit column (单位名称) before another label column of its side (项目名称) names the row's organisation
    as a 预算单位 column does: printed text, the other column labels the row (单位名称 | 项目名称 | 总计 ...)."""
    for col in cols:
        if col.role == "label" and match_key(col.label) in UNIT_COLUMN_HEADERS and any(
                c.role == "label" and c.side == col.side and c.index > col.index for c in cols):
            col.role = "text"


def _second_classification_is_text(cols: list[ColumnRec]) -> None:
    """Code columns printed after a side's code and label columns are a second classification of the row
    (部门经济科目编码 | 名称 | 政府经济科目编码 | 名称: 30101 基本工资 | 50101 工资奖金津补贴), and so are 类/款/项
    columns that start again after the code's last part (类 款 项 | ... | 类 款 | 类 款): kept as printed
    text, not joined to the row's code (3010150101)."""
    coded: set[str | None] = set()
    labelled: set[str | None] = set()
    second: set[str | None] = set()  # sides whose second classification has begun: their later code columns too
    level: dict[str | None, int] = {}  # the last 类/款/项 column of the side's code
    for col in cols:
        if col.role in ("code", "code_part"):
            key = match_key(col.label)
            head = CODE_HEADS.index(key) if col.role == "code_part" and key in CODE_HEADS else None
            # a 类 after the side's 款 (or 项) starts another code (部门 | 政府 economic class, 类 款 | 类 款)
            if col.side in second or (col.side in labelled and col.side in coded) or (
                    head is not None and head <= level.get(col.side, -1)):
                col.role = "text"
                second.add(col.side)
            else:
                coded.add(col.side)
                if head is not None:
                    level[col.side] = head
        elif col.role == "label" and col.side in coded:
            labelled.add(col.side)


def _unit(table: Table, doc: Document) -> str | None:
    if "unit" in table.meta:
        return table.meta["unit"]
    for row in table.header:
        for cell in row:
            m = _UNIT_IN_HEADER.search(cell)
            if m:
                return m.group(1)
    return doc.meta.get("unit")


def _drop_beyond_header(table: Table, doc: Document) -> None:
    """Cells right of every header and 栏次 cell have no column: reported and dropped.

    Without this a row with 2,000 stray cells made 2,000 columns without a header, and as many
    observations of nothing.
    """
    width = max([len(r) for r in table.header] + [len(table.column_numbers or [])], default=0)
    if not width:
        return
    for row in table.rows:
        extra = row.cells[width:]
        if not extra:
            continue
        row.cells = row.cells[:width]
        filled = sum(1 for c in extra if c)
        if filled:
            where = f"page {row.page}" if row.page is not None else f"line {row.line}"
            values = [c for c in extra if c]
            shown = ", ".join(map(repr, values[:3])) + (", ..." if len(values) > 3 else "")
            doc.repairs.append(
                f"{where}: {filled} cell(s) right of the {width} columns of the header skipped "
                f"({shown}) (table {table.title!r})"
            )


def _check_width(table: Table, width: int, doc: Document) -> None:
    """Rows whose trailing empty cells were dropped are padded; a cut-off last row is an error."""
    keeps_trailing = any(len(r) == width and not r[-1] for r in table.header) or any(
        len(r.cells) == width and not r.cells[-1] for r in table.rows
    )
    for n, row in enumerate(table.rows):
        if len(row.cells) > width:
            extra = [c for c in row.cells[width:] if c]
            if extra:
                raise EtlError(
                    f"row has {len(row.cells)} cells but the table has {width} columns",
                    doc.location(row.line, row.page, table.title),
                )
            row.cells = row.cells[:width]
        elif len(row.cells) < width:
            if keeps_trailing and n == len(table.rows) - 1:
                raise EtlError(
                    f"table cut off mid-row: {len(row.cells)} of {width} cells",
                    doc.location(row.line, row.page, table.title),
                )
            row.cells = row.cells + [""] * (width - len(row.cells))


def extract_with(table: Table, spec: KindSpec, *, doc: Document, department: str | None = None) -> TableRec:
    """Extract ``table`` as a table of kind ``spec``; ``department`` is the name of the publishing department
    (default: the one the document prints), which a table listing units may name.

    :raises EtlError: for a non-numeric amount, a row wider than the table, a cut-off row,
        or amounts without a unit.
    """
    lists = codelists()
    _drop_beyond_header(table, doc)
    columns = _columns(table, spec, lists)
    width = len(columns)
    _check_width(table, width, doc)
    unit = _unit(table, doc)
    multiplier = None
    if unit is not None:
        try:
            multiplier = unit_multiplier(unit)
        except ValueError as exc:
            raise EtlError(str(exc), doc.location(table.line, table.page, table.title)) from None
    rec = TableRec(
        key=spec.key, title=table.title, line=table.line, page=table.page, unit=unit,
        multiplier=multiplier, columns=columns, items=[], observations=[], notes=list(table.notes),
        as_of=table.meta.get("as_of"), multi_measure=spec.multi_measure,
        organization=table.meta.get("department_name"), project_rows=spec.project_rows,
    )
    rec.constants = {dim: concept_iri(*value.split("/", 1)) for dim, value in spec.constants.items()}
    for scheme in spec.title_schemes:
        dim = SCHEME_DIM[scheme]
        if dim not in rec.constants and not any(dim in c.dims for c in columns) and (
                iri := lists.named_in(scheme, table.title)):
            rec.constants[dim] = iri
    sides = sorted({c.side for c in columns if c.role in ("label", "amount", "quantity")}, key=str)
    previous_code = ""
    row_periods: dict[str | None, str] = {}  # side -> the period a row heading a group of rows names
    printed, by_column = printed_organizations(table, columns, department or doc.meta.get("department_name"))
    indents = label_indents(table.rows, columns)
    for index, row in enumerate(table.rows, start=1):
        carried: dict[str, str] = {}  # 支出合计 merged across two blocks of one heading: its amount is in the next
        for side in sides:
            number = _row_number(row, columns, side)
            label, amounts = (_side_cells(row, columns, side, roles) for roles in (("label",), ("amount", "quantity")))
            inherited = "" if label else carried.pop(side_base(side), "")
            carried.pop(side_base(side), None)  # carried to the next block of its heading only
            if label and not amounts:
                carried[side_base(side)] = label
            period = _row_period(row, columns, side)
            if period and not amounts:  # a row naming only a year (2025年) heads the rows below it
                row_periods[side] = period
            period = period or row_periods.get(side)
            outlined = (index, side) in indents
            parent = printed_parent(rec.items, indents, index, side) if outlined else None
            item, previous_code = _line_item(row, index, side, number, columns, spec, lists, rec, previous_code, doc,
                                             table, inherited, printed.get(index), by_column, period,
                                             (parent,) if outlined else None)
            if item is None:
                continue
            if parent is not None and item.classification is None:
                item.parent = parent.index  # a name the code lists cannot place: a part of the line it is indented below
            rec.items.append(item)
            for col in columns:
                if col.side != side:
                    continue
                cell = row.cells[col.index - 1]
                cell_period = combine(period, col.period)
                if col.role in ("amount", "quantity") and cell_period == CHANGE and PERCENT_RE.match(cell.strip()):
                    rec.texts.append(TextRec(item, col, cell))  # a change in percent: printed text, not an amount
                    continue
                if cell and (col.role in ("text", "code_part") or (col.role == "code" and not item.code)):
                    rec.texts.append(TextRec(item, col, cell))
                if col.role not in ("amount", "quantity"):
                    continue
                amount = _amount(cell, doc, row, table, col)
                if amount is None:
                    continue
                if unit is None and col.role == "amount":
                    raise EtlError("amounts printed without a unit (元/万元)", doc.location(row.line, row.page, table.title))
                rec.observations.append(ObsRec(item, col, amount, col.role, _dims(spec, item, col, rec), cell_period))
    outline_parents(rec.items, _is_total_label)
    _row_categories_not_column_totals(rec, spec)
    assign_units(rec, printed, by_column)
    return rec


def _row_categories_not_column_totals(rec: TableRec, spec: KindSpec) -> None:
    """Where a table prints its categories down the rows (“三公”经费, 公务接待费 ... as row labels), a column's
    bare 合计 is the total over the columns' other dimension (the fund sources), not over the rows' categories:
    a row naming no category of the scheme (行政经费 above “三公”经费) is not their total but outside the scheme.
    """
    for scheme in spec.row_schemes:
        dim, total = SCHEME_DIM[scheme], concept_iri(scheme, TOTAL)
        if any(col.dims.get(dim, total) != total for col in rec.columns):
            _total_rows_total_units(rec, scheme, dim, total)
            continue
        if not any(it.scheme == scheme and it.classification != total for it in rec.items):
            continue  # categories printed as columns (or not at all): a column's 合计 is their total
        for obs in rec.observations:
            if obs.item.scheme != scheme and obs.dims.get(dim) == total and obs.column.dims.get(dim) == total:
                obs.dims[dim] = concept_iri(scheme, NOT_APPLICABLE_CODE)


def _total_rows_total_units(rec: TableRec, scheme: str, dim: str, total: str) -> None:
    """Where a table prints its categories across the columns (“三公”经费合计 | 因公出国（境）费 | 公务接待费 ...),
    its rows are units or fund sources, and a 合计 row totals those rows, not the categories: the row is not
    classified in the scheme, and each of its cells carries its own column's category (公务接待费 of 合计 is
    公务接待费); a cell under a column naming no category (会议费 beside the 三公) is outside the scheme (_Z).
    """
    for item in rec.items:
        if item.scheme == scheme and item.classification == total:
            item.scheme = item.classification = None
    for obs in rec.observations:
        if obs.item.scheme is None and dim not in obs.column.dims:
            obs.dims[dim] = concept_iri(scheme, NOT_APPLICABLE_CODE)


def _amount(cell: str, doc: Document, row: Row, table: Table, col: ColumnRec) -> Amount | None:
    try:
        return parse_amount(cell)
    except ValueError as exc:
        raise EtlError(f"{exc} in column {col.index} ({col.label})", doc.location(row.line, row.page, table.title)) from None


def _row_period(row: Row, columns: list[ColumnRec], side: str | None) -> str | None:
    """The period the row's label or one of its text cells names as a whole (2025年, 增减变化金额, 上年)."""
    return next((p for c in columns if c.role in ("label", "text") and c.side in (side, None)
                 if (p := period_of(row.cells[c.index - 1]))), None)


def _row_number(row: Row, columns: list[ColumnRec], side: str | None) -> int | None:
    for col in sorted(columns, key=lambda c: c.side != side):  # the side's own 行次 first, else the shared 序号
        if col.role == "seq" and col.side in (side, None):
            text = match_key(row.cells[col.index - 1])
            return int(text) if text.isdigit() else None
    return None


def _side_cells(row: Row, columns: list[ColumnRec], side: str | None, roles: tuple[str, ...]) -> str:
    """The printed text of the columns of ``side`` with one of ``roles`` in ``row``, joined."""
    return "".join(row.cells[c.index - 1] for c in columns if c.side == side and c.role in roles)


def _line_item(row, index, side, number, columns, spec, lists, rec, previous_code, doc, table, inherited="", org=None,
               by_column=False, period=None, outline=None):
    """The line of ``side`` in ``row``; ``inherited`` is the label a block on the left printed across this one
    (it classifies this block's line, which prints no label of its own); ``org`` the organisation the row names
    in a table listing units (``by_column``: in a unit column, not as the row's label); ``period`` the year (or
    change) its label names, which is no category; ``outline``, where the names are printed as a tree by
    their indent, holds the line the row's name is indented below (None at the top level)."""
    label_cols = [c for c in columns if c.side == side and c.role == "label"]
    code_cols = [c for c in columns if c.role in ("code", "code_part") and (c.side == side or c.side is None)]
    label = row.cells[label_cols[0].index - 1] if label_cols else ""
    code = "".join(row.cells[c.index - 1].replace(" ", "") for c in code_cols) or None
    total_word = ""
    if code and _is_total_label(code):  # 合计 / 人员经费合计 printed in (or across from) the code column: a total line
        total_word, code = code, None  # kept where printed (a text cell of the code column)
    elif code and not _CODE_RE.match(code) and (m := CODE_NAME_RE.match(code)):
        code = m.group(1)  # code and name printed in the code column
    elif not label and not code:  # 合计 printed in a text column (单位编码) of a row without a label
        total_word = next((row.cells[c.index - 1] for c in columns if c.role == "text" and c.side in (side, None)
                           and _is_total_label(row.cells[c.index - 1])), "")
    if not code and not code_cols and spec.code_scheme and (m := CODE_NAME_RE.match(label)):
        code = m.group(1)  # code and name printed in one label cell: classified by the code, label kept as printed
    parts = [row.cells[c.index - 1].replace(" ", "") for c in code_cols if c.role == "code_part"]
    if code and parts:
        # A split-code row printing only 款 and/or 项 belongs under the 类 (and 款) of the row above:
        # the columns left blank before the first printed part are inherited from it.
        first = next(i for i, part in enumerate(parts) if part)
        above = [previous_code[:3], previous_code[3:5], previous_code[5:7]][:first]
        if first and all(above):
            code = "".join(above) + "".join(parts[first:])
    amounts = [c for c in columns if c.side == side and c.role in ("amount", "quantity")]
    has_amount = any(row.cells[c.index - 1] for c in amounts)
    # a side printing only its own 行次 is a line too (the row is numbered, its label left blank)
    own_number = any(c.role == "seq" and c.side == side and side is not None and row.cells[c.index - 1] for c in columns)
    if not label and not code and not has_amount and not own_number and not total_word:
        return None, previous_code
    item = LineRec(index, row.line, row.page, side, number, code, label, bold=row.bold, text_label=total_word,
                   period=period)
    key = match_key(label or total_word or inherited)
    if not code and org is not None and org.department and (not key or (not by_column and key == match_key(org.name))):
        # the department's own row of a table listing units (预算单位 | 科目编码 | 科目名称), or its name printed
        # as a row label above the classified rows (支出项目类别: 某市某局（本级）, 工资福利支出 ...): its total
        key = TOTAL_LINE
    if not label_cols and not code_cols and not key and spec.code_scheme:
        key = TOTAL_LINE  # a classified table printing amounts without a code or label column prints its totals
    code_scheme = spec.code_scheme or (_scheme_of_code(lists, code) if spec.item_labels else None)
    if code and code_scheme and code.isdigit() and not _CODE_RE.match(code):
        # a local code of another length (301501, 3020150201): kept as printed and reported, not refused
        rec.unmatched.append(f"line {row.line}: code {code} is not a 类/款/项 code (3, 5 or 7 digits); not classified")
    elif code and code_scheme:
        if not _CODE_RE.match(code):
            raise EtlError(f"not a classification code: {code!r}", doc.location(row.line, row.page, table.title))
        item.scheme = code_scheme
        item.classification = concept_iri(code_scheme, code)
        if not lists.known(item.classification):
            # a row naming an item gives the code no name
            rec.new_concepts.append(NewConcept(code_scheme, code, "" if spec.item_labels else label, row.line))
        previous_code = code
    else:
        schemes = _row_schemes(spec, side, label_cols[0].path if label_cols else [])
        side_total = _side_total(lists, side, key) if key in _TOTAL_WORDS and spec.side_row_schemes else None
        if side_total:
            # A bare 总计 / 合计 on one side of a summary table is that side's total line.
            item.scheme, item.classification = "summary-item", side_total
        elif key in _TOTAL_WORDS and schemes:
            item.scheme = spec.code_scheme or schemes[0]
            item.classification = concept_iri(item.scheme, TOTAL)
        else:
            for scheme in schemes:
                # a label several concepts share (行政运行) is the one under the line printed above it, or,
                # in a tree printed by indent, under the line it is indented below
                near = next((it.classification for it in reversed(rec.items)
                             if it.side == side and it.scheme == scheme and it.classification), None)
                parent = outline[0] if outline is not None else None
                if outline is not None and scheme in LEVELLED and (parent is None or parent.scheme in (scheme, None)):
                    near = parent.classification if parent is not None else None
                iri = lists.match(scheme, label or total_word or inherited, suffix=False, near=near)
                if iri and outline is not None and not fits_outline(lists, scheme, iri, key, parent):
                    above = parent.label or parent.text_label
                    rec.unmatched.append(f"line {row.line}: {label} (printed under {above}: not the {scheme} "
                                         f"concept of that name elsewhere in the list)")
                    break
                if iri and scheme == "fund-source":
                    # a fund line printed below the carry-over line (上年结转结余, then 一般公共预算拨款)
                    # breaks the carry-over down: it is that fund's carry-over, not the year's income
                    above = next((it.classification for it in reversed(rec.items)
                                  if it.side == side and it.classification), None)
                    if above and _CARRY_OVER_LINES & set(lists.lineage(above)):
                        iri = lists.part_of(_CARRY_OVER, iri)
                if iri:
                    item.scheme, item.classification = scheme, iri
                    break
            else:
                if (label or total_word) and schemes and not (period and period_of(label or total_word)):
                    rec.unmatched.append(f"line {row.line}: {label or total_word}")
    return item, previous_code


def _scheme_of_code(lists: CodeLists, code: str | None) -> str | None:
    """The levelled code list whose 类 begins ``code``, for a row printing a code in a table of a kind that is
    classified by no code list (a procurement line's functional 项 2010507): 2xx functional, 3xx economic, as
    the shipped lists have them; None for another (政府预算 economic 5xx, not shipped) or no code.

    >>> _scheme_of_code(codelists(), "2010507"), _scheme_of_code(codelists(), "30227"), _scheme_of_code(codelists(), "50205")
    ('functional', 'economic', None)
    """
    if not code or not _CODE_RE.match(code):
        return None
    return next((scheme for scheme in LEVELLED if lists.known(concept_iri(scheme, code[:3]))), None)


def _row_schemes(spec: KindSpec, side: str | None, path: list[str]) -> tuple[str, ...]:
    """The code lists that may classify the labels of a row-label column, in order.

    A header naming the column's classification (支出功能分类科目, 部门预算支出经济分类科目) keeps only that
    classification among the kind's (a summary table printing expenditure by function, then by economic
    class: 其他支出 is the functional 类 in one block, the economic 类 in the other); a classification
    without a shipped list (政府预算支出经济分类, 501-599) leaves its labels unclassified, never matched
    by a name the other list shares.

    >>> spec = KindSpec("s", side_row_schemes={"out": ("functional", "summary-item", "economic")})
    >>> _row_schemes(spec, "out-3", ["支出", "部门预算支出经济分类科目（按大类）"])
    ('summary-item', 'economic')
    >>> _row_schemes(spec, "out-4", ["支出", "政府预算支出经济分类科目（按大类）"])
    ('summary-item',)
    >>> _row_schemes(spec, "out", ["支出", "项目"])
    ('functional', 'summary-item', 'economic')
    """
    schemes = spec.side_row_schemes.get(side_base(side), spec.row_schemes)
    for cell in reversed(path):
        key = match_key(cell)
        named = next((named for word, named in LABEL_HEADER_SCHEMES if word in key), None)
        if named is not None:
            classifications = {s for _, group in LABEL_HEADER_SCHEMES for s in group}
            return tuple(s for s in schemes if s not in classifications or s in named)
    return schemes


def _is_total_label(text: str) -> bool:
    """合计, 小计, 人员经费合计 ...: a label naming a total, never a code (no digit in it).

    >>> _is_total_label("合 计"), _is_total_label("人员经费合计"), _is_total_label("2010101"), _is_total_label("行政运行")
    (True, True, False, False)
    """
    key = match_key(text)
    return key.endswith(tuple(_TOTAL_WORDS)) and not any(ch.isdigit() for ch in key)


def _side_total(lists: CodeLists, side: str | None, key: str) -> str | None:
    word = {side: word for word, side in SIDE_WORDS}.get(side_base(side))
    if not word:
        return None
    return lists.match("summary-item", word + key, suffix=False) or lists.match("summary-item", f"{THIS_YEAR_WORD}{word}{key}", suffix=False)


def _dims(spec: KindSpec, item: LineRec, col: ColumnRec, rec: TableRec) -> dict[str, str]:
    dims = dict(rec.constants)
    dims.update(col.cell_dims)
    dims.update(col.dims)
    # a row naming an item is classified by its code on the line item; a dimension only where the kind has it
    if item.scheme and item.classification and (not spec.item_labels or SCHEME_DIM[item.scheme] in spec.dims):
        dim = SCHEME_DIM[item.scheme]
        # A 合计 row totals the rows (units, items); a column naming a category keeps it (公务接待费 of 合计).
        if not (item.classification.endswith(f"/{TOTAL}") and col.dims.get(dim, f"/{TOTAL}").rsplit("/", 1)[1] != TOTAL):
            dims[dim] = item.classification
    operation = spec.operation or {"in": "revenue", "out": "expenditure"}.get(side_base(item.side))
    # A stock (固定资产) is neither revenue nor expenditure.
    dims["operationCharacter"] = concept_iri("operation", operation or NOT_APPLICABLE_CODE)
    scheme_of = {v: k for k, v in SCHEME_DIM.items()}
    for dim in spec.dims:
        if dim not in dims and dim in scheme_of:
            dims[dim] = concept_iri(scheme_of[dim], NOT_APPLICABLE_CODE)
    return dims
