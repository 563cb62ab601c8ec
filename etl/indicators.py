"""Project performance target tables (项目绩效目标表) to projects and indicators.

API: :func:`extract_indicators` ``(doc, rec)`` (a pipeline extractor: fills
``rec.performance`` with :class:`ProjectRec` records);  (their triples:
:mod:`budgetkg.etl.indicators_rdf`); :func:`basis_documents` ``(text) -> list[str]``;
:func:`basis_key`; :data:`KIND`.

A table reads as a careful reader reads it: the 绩效目标 header row is the
project's goal; a blank 一级/二级指标 cell inherits from the row above; a row
whose level cells are blank and which has no target (or no name) continues the
cells of the row above (a cell cut by a page break or a multi-line cell); a
level-3 cell into which text extraction merged the names of the following rows,
or the row's own description, is cut back to the row's own name. Every join and
every repair lands in ``doc.repairs``; every row, column or target that cannot
be read is kept as printed and reported with ``rec.skip``.

>>> basis_documents("《甲办法》，《乙关于〈丙〉的通知》")
['《甲办法》', '《乙关于〈丙〉的通知》']
>>> basis_documents("某市政府《关于某事的意见》")
['某市政府《关于某事的意见》']
>>> basis_key("《关于 2019 年〈某〉的通知》 (某字 [2019]1号)") == basis_key("《关于2019年<某>的通知》（某字[2019]1 号）")
True
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace

from .codelists import codelists, concept_iri
from .lexicon import (
    ACHIEVED_SUBLABEL,
    BASIS_NOT_APPLICABLE,
    EXECUTION_RATE_WEIGHT_RE,
    GOAL_SUBLABELS,
    GOALS_AMOUNT_SUFFIX,
    GOALS_TABLE_ROLES,
    INDICATOR_BASIS_SUFFIX,
    INDICATOR_DESCRIPTION_WORD,
    INDICATOR_HEADER_KEYS,
    INDICATOR_LEVELS_AND_NAME_HEADER,
    INDICATOR_ROLE_LABELS,
    INDICATOR_SECTION_SUFFIX,
    INDICATOR_TARGET_WORDS,
    INDICATOR_WEIGHT_PREFIXES,
    LEVEL1_HEADER,
    LEVEL2_HEADER,
    PERFORMANCE_TITLE_ROW_RE,
    PERFORMANCE_TITLE_SUFFIX_RE,
    FUND_TOTAL_SUFFIXES,
    PROJECT_AMOUNT_EXTRAS,
    PROJECT_AMOUNT_MEASURES,
    PROJECT_AMOUNT_WORDS,
    PROJECT_FACT_FIELDS,
    PROJECT_FACT_KEYS,
    PROJECT_GOAL_KEYS,
    PROJECT_NAME_KEYS,
    PROJECT_UNIT_IN_LABEL_RE,
    PROJECT_UNIT_LINE_RE,
    SCORE_TOTAL_KEYS,
    TASK_BLOCK_KEYS,
    TASK_COLUMNS,
    TABLE_NUMBER_RE,
    WEIGHT_PERCENT,
    WEIGHT_POINTS,
    YES_NO,
)
from .amounts import Amount, parse_amount
from .model import Document, Paragraph, Row, Table
from .recognize import UNKNOWN_KIND
from .targets import Target, is_comparator, parse_target, unit_of_name
from .text import match_key, strip_ordinal

KIND = "performance_targets"
FUND_SCHEME, EXPENDITURE_SCHEME = "fund-source", "expenditure-type"
_TOTAL_LABEL, _EXECUTED_LABEL = "资金总额", "全年执行数"  # measures named in PROJECT_AMOUNT_MEASURES
SCHEME = "indicator-level"
# Columns of an indicator row, and columns that state the project (tables of several projects).
ROLES = ("level1", "level2", "level3", "description", "target", "basis", "comparator", "unit",
         "weight", "score", "actual", "deviation", "scoring", "remark", "core", "activity")
# Roles of a single figure or word: a row continuing the cells above does not join them to the text.
FIGURE_ROLES = ("weight", "score", "core")
PROJECT_ROLES = ("project", "amount", "goal", "unit_code", "implementer")
ORDINAL_ROLE = "ordinal"  # a row number: its position, which the record keeps as its index
ROLE_LABELS = INDICATOR_ROLE_LABELS
_BRACKETS = {"《": "》", "〈": "〉", "<": ">", "（": "）", "(": ")", "[": "]", "【": "】", "“": "”"}
_SEPARATORS = "，,；;、"
_PROSE_END = tuple("。；;！!？?")
_KEY_TRANSLATE = str.maketrans({"〈": "<", "〉": ">", "《": "<", "》": ">", "“": '"', "”": '"', "‘": "'", "’": "'", "【": "[", "】": "]"})
_LONGEST_LEVEL_LABEL = 12  # characters: no level label of the code list is longer
_SPACE_NEAR_WIDE = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")


@dataclass
class IndicatorRec:
    index: int  # 1-based position in the project's table, after joins
    line: int
    page: int | None
    level1: str  # as printed, blank cells inherited
    level2: str
    name: str  # 三级指标
    description: str
    target: Target
    basis: str  # as printed (joined)
    level1_concept: str | None = None
    level2_concept: str | None = None
    lines: list[int] = field(default_factory=list)  # every source line the row was read from
    notes: list[str] = field(default_factory=list)  # repairs of this row
    weight: Amount | None = None  # the points (or percent: weight_unit) the indicator weighs
    weight_unit: str | None = None
    score: Amount | None = None  # the score of a self-evaluation (得分)
    actual: Target | None = None  # the value achieved (实际完成值), read as a target is
    deviation: str = ""  # 偏差原因分析及改进措施, as printed
    scoring: str = ""  # 评（扣）分标准, as printed
    remark: str = ""  # 备注, as printed
    core: bool | None = None  # 是否核心
    activity: str = ""  # 活动 of a department-level table, as printed

    @property
    def bases(self) -> list[str]:
        return basis_documents(self.basis)


@dataclass
class ProjectRec:
    index: int  # 1-based position among the document's performance tables
    title: str
    name: str
    goal: str | None
    line: int
    page: int | None
    indicators: list[IndicatorRec] = field(default_factory=list)
    amount: Amount | None = None  # the project's funds as printed (资金总额)
    amount_unit: str | None = None
    supervisor: str | None = None  # 主管部门, as printed
    implementer: str | None = None  # 实施单位, as printed
    implementer_code: str | None = None  # its code (单位编码), as printed
    period: str | None = None  # 实施期限, as printed
    overview: str | None = None  # 项目概况, as printed
    remark: str | None = None  # 备注, as printed
    achieved: str | None = None  # 实际完成情况 of a self-evaluation, as printed
    rate_weight: Amount | None = None  # the points the execution rate weighs (执行率分值（10分）)
    weight: Amount | None = None  # the points of all its indicators and its funds' execution (总分 row)
    score: Amount | None = None  # the score of a self-evaluation (总分 row)
    funds: list[FundLine] = field(default_factory=list)  # every printed amount of the project's funds
    tasks: list[TaskRec] = field(default_factory=list)  # the main tasks of a department-level table


@dataclass
class FundLine:
    """One printed amount of a project's funds: a fund line (资金总额, 其中：财政拨款, 其他资金) in one measure
    (实施期资金总额, 年度资金总额, 年初预算数, 全年执行数 ...); a self-evaluation's weight, execution rate
    and score of the line stand on its executed amount."""

    index: int  # 1-based among the project's amounts
    label: str  # the fund line as printed
    total: bool  # the line is the total of the project's funds
    measure: str  # a value of PROJECT_AMOUNT_MEASURES
    amount: Amount
    unit: str | None
    line: int
    page: int | None
    weight: Amount | None = None
    rate: Amount | None = None  # percent
    score: Amount | None = None
    fund: str | None = None  # where the label is a header path (财政拨款/基本支出): its fund source part
    expenditure: str | None = None  # and its expenditure type part (合计, 基本支出, 项目支出)
    task: int | None = None  # the index of the task (年度主要任务) whose amount it is
    task_total: bool = False  # the task's total (总额)


@dataclass
class TaskRec:
    """A main task of a department-level table (年度主要任务): its name and content as printed; its amounts are
    fund lines of the project (FundLine.task)."""

    index: int
    name: str
    content: str
    line: int
    page: int | None


@dataclass
class _Raw:
    cells: dict[str, str]
    line: int
    page: int | None
    lines: list[int]
    notes: list[str] = field(default_factory=list)
    weight_unit: str | None = None  # the scale of the weight column, from its header


def _weight_unit(header: str) -> str | None:
    """The scale a weight column's header states: percent, points (分值, 90分), or none (权重)."""
    key = match_key(header)
    return next((u for u in (WEIGHT_PERCENT, WEIGHT_POINTS) if u in key), None)


# ---------------------------------------------------------------- basis documents


def basis_documents(text: str) -> list[str]:
    """The documents a 指标值确定依据 cell cites (display form), none for 不涉及 or blank.

    A cell that lists several titles (``《甲》，《乙》``) gives one document each; any
    other cell is one document as printed.
    """
    text = text.strip()
    if not text or match_key(text) in BASIS_NOT_APPLICABLE:
        return []
    parts, start, closing = [], 0, []
    for i, ch in enumerate(text):
        if ch in _BRACKETS:
            closing.append(_BRACKETS[ch])
        elif closing and ch == closing[-1]:
            closing.pop()
        elif not closing and ch in _SEPARATORS:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    parts = [p.strip() for p in parts if p.strip()]
    if len(parts) > 1 and all("《" in p and "》" in p for p in parts):
        return [_display(p) for p in parts]
    return [_display(text)]


def _display(text: str) -> str:
    """Spaces next to CJK characters dropped (``关于 2019 年`` -> ``关于2019年``)."""
    return _SPACE_NEAR_WIDE.sub("", text).strip().rstrip("。.")


def basis_key(title: str) -> str:
    """The key under which two printings of one document are the same document."""
    text = unicodedata.normalize("NFKC", title).translate(_KEY_TRANSLATE)
    return re.sub(r"\s+", "", text).rstrip("。.,，;；")


def basis_slug(title: str) -> str:
    return hashlib.sha1(basis_key(title).encode("utf-8")).hexdigest()[:12]


# ---------------------------------------------------------------- extraction


def _column_role(cell: str) -> str | None:
    key = match_key(cell)
    if key in INDICATOR_HEADER_KEYS:
        return INDICATOR_HEADER_KEYS[key]
    if not key:
        return None
    if key.endswith(INDICATOR_BASIS_SUFFIX):
        return "basis"
    if key.startswith(INDICATOR_WEIGHT_PREFIXES):
        return "weight"
    if INDICATOR_DESCRIPTION_WORD in key:
        return "description"
    if any(w in key for w in INDICATOR_TARGET_WORDS):
        return "target"
    return None


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a} {b}"
    return a + b


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _project_name(title: str) -> str:
    """The project a title names: without its ordinal, table number (预算13表) and 绩效目标表."""
    name = PERFORMANCE_TITLE_SUFFIX_RE.sub("", TABLE_NUMBER_RE.sub("", strip_ordinal(title), count=1)).strip()
    return name or title


@dataclass
class _Reading:
    """A project being read: its record and its indicator rows so far."""

    project: ProjectRec
    raws: list[_Raw] = field(default_factory=list)
    named: bool = False  # the name came from a 项目名称 row or column, not from the title
    goal_below: bool = False  # a goal label whose text stands in the next row
    unit: str | None = None  # the amount unit printed in a label or a 单位： line above the amount
    achieved_below: bool = False  # the goal label row also labels the achievement (实际完成情况) below
    in_funds: bool = False  # the rows read last print the project's funds
    fund_columns: dict[int, str] = field(default_factory=dict)  # position -> measure or extra of the fund columns
    pair_measures: list[str] = field(default_factory=list)  # the measure of each label | value pair of the total line
    fund_heads: list[dict[int, str]] = field(default_factory=list)  # header rows of fund columns, their cells by position
    task_cols: dict[str, int] = field(default_factory=dict)  # the name and content columns of a tasks block


def extract_indicators(doc: Document, rec) -> None:
    """Read every performance target table of the document into ``rec.performance``."""
    projects: list[ProjectRec] = []
    joined: set[int] = set()
    for n, (table, kind) in enumerate(rec.kinds):
        if kind != KIND or n in joined:
            continue
        head = _cut_head(doc, rec, *rec.kinds[n - 1], table) if n else None
        table = _continued(doc, rec, n, table, joined)
        for reading in _table(doc, rec, table, len(projects) + 1, head):
            _repair_description_merge(doc, table, reading.raws)
            _repair_merged_names(doc, table, reading.raws)
            _indicators(doc, rec, table, reading.project, reading.raws)
            projects.append(reading.project)
    rec.performance = projects


def _cut_head(doc, rec, before: Table, kind: str | None, table: Table) -> Table | None:
    """The head of ``table`` cut off by a page break before its column row: the table right before it
    (nothing printed between), at the end of the previous page, of project facts only (a 项目名称 row,
    no 一级指标), so of no kind the recognizer knows, while ``table`` itself names no project. Its
    report as a table of an unknown kind is withdrawn: it is read here.
    """
    if kind is not None or before.page is None or table.page != before.page + 1 or not _adjacent(doc, before, table):
        return None
    head = [list(h) for h in before.header] + [r.cells for r in before.rows]
    if not any(_first_key(cells) in PROJECT_NAME_KEYS for cells in head) or any(_is_column_row(c) for c in head):
        return None
    rows = [list(h) for h in table.header] + [r.cells for r in table.rows]
    above = rows[: next((i for i, cells in enumerate(rows) if _is_column_row(cells)), len(rows))]
    if any(_first_key(cells) in PROJECT_NAME_KEYS for cells in above):
        return None
    where = doc.location(before.line, before.page, before.title)
    rec.skipped = [s for s in rec.skipped if not (s.location == where and s.reason.startswith(UNKNOWN_KIND))]
    doc.repairs.append(f"page {before.page}: table {before.title!r} is the head of the performance table on page"
                       f" {table.page} (cut by the page break before its column row); read with it")
    return before


def _continued(doc, rec, n: int, table: Table, joined: set[int]) -> Table:
    """``table`` with the tables that continue it on the next pages: of the same title, with no other
    table or heading between, of no kind the recognizer knows or without a column row of their own,
    their rows as many cells as the column row labels (or one more: the row-label column at the left,
    printed again), because the reader cut the page's grid without the columns left blank there and so
    did not join them: each cell goes to the column of its rank. A row that prints only in the
    row-label column (its merged label again) is left out, with a note. Their reports as tables of an
    unknown kind are withdrawn: they are read here."""
    rows = [list(h) for h in table.header] + [r.cells for r in table.rows]
    column_row = next((cells for cells in reversed(rows) if _is_column_row(cells)), None)
    if column_row is None:
        return table
    first = next(i for i, c in enumerate(column_row) if c and _name_role(column_row, i) in ("level1", "level3"))
    labelled = [i for i, c in enumerate(column_row)  # a row label left of the indicators (年度绩效指标) is no column
                if c and not (i < first and match_key(c).endswith(INDICATOR_SECTION_SUFFIX))]
    shapes = {len(labelled): labelled}
    if labelled and labelled[0] > 0:
        shapes[len(labelled) + 1] = [0, *labelled]
    extra, last = [], table
    for k in range(n + 1, len(rec.kinds)):
        cont, kind = rec.kinds[k]
        pages = [r.page for r in last.rows] or [last.page]
        cont_rows = [Row(list(h), cont.line, cont.page) for h in cont.header] + list(cont.rows)
        if (cont.title != table.title or not cont_rows or None in pages or cont.page != max(pages) + 1
                or not (kind is None or kind == KIND and not any(_is_column_row(r.cells) for r in cont_rows))
                or not _only_text_between(doc, last, cont) or len(labelled) == len(column_row)
                or len({len(r.cells) for r in cont_rows}) != 1 or len(cont_rows[0].cells) not in shapes):
            break
        where = shapes[len(cont_rows[0].cells)]
        for r in cont_rows:
            cells = [""] * len(column_row)
            for i, cell in zip(where, r.cells):
                cells[i] = cell
            if not any(cells[i] for i in labelled):
                doc.repairs.append(f"line {r.line}: {' | '.join(c for c in cells if c)!r} printed again in the row-label"
                                   f" column of the continued performance table (page {cont.page}); left out")
                continue
            extra.append(replace(r, cells=cells))
        loc = doc.location(cont.line, cont.page, cont.title)
        rec.skipped = [s for s in rec.skipped if not (s.location == loc and s.reason.startswith(UNKNOWN_KIND))]
        doc.repairs.append(f"page {cont.page}: table {cont.title!r} continues the performance table of page"
                           f" {table.page} without its blank columns; its cells read into the columns of their rank")
        joined.add(k)
        last = cont
    return replace(table, rows=[*table.rows, *extra]) if extra else table


def _only_text_between(doc, before: Table, table: Table) -> bool:
    blocks = doc.blocks
    i = next((k for k, b in enumerate(blocks) if b is before), None)
    j = next((k for k, b in enumerate(blocks) if b is table), None)
    return i is not None and j is not None and i < j and all(isinstance(b, Paragraph) for b in blocks[i + 1: j])


def _adjacent(doc, before: Table, table: Table) -> bool:
    blocks = doc.blocks
    i = next((k for k, b in enumerate(blocks) if b is before), None)
    return i is not None and i + 1 < len(blocks) and blocks[i + 1] is table


def _first_key(cells: list[str]) -> str:
    return match_key(next((c for c in cells if c), ""))


def _is_column_row(cells: list[str]) -> bool:
    """The row that names the indicator columns: 一级指标, or (tables without levels) a name and a
    target column with no project column beside them."""
    keys = {match_key(c) for c in cells if c}
    if LEVEL1_HEADER in keys:
        return True
    roles = {_column_role(c) for c in cells if c}
    named = "level3" in roles or INDICATOR_LEVELS_AND_NAME_HEADER in keys
    return named and "target" in roles and "project" not in roles and not keys & PROJECT_NAME_KEYS


def _name_role(cells: list[str], i: int) -> str | None:
    """The role of cell ``i`` of a column row: its own, or level3 for a 绩效指标 column printing the
    levels before the name where the row has no other name column."""
    role = _column_role(cells[i])
    if role is None and match_key(cells[i]) == INDICATOR_LEVELS_AND_NAME_HEADER and not any(
            _column_role(c) == "level3" for c in cells if c):
        return "level3"
    return role


def _columns(rec, loc, column_row: list[str], above: list[list[str]]) -> dict[str, int] | None:
    """Column roles of a column row; a blank cell takes a project role printed above it (two-row headers)."""
    cols: dict[str, int] = {}
    first_level = next(i for i, c in enumerate(column_row) if c and _name_role(column_row, i) in ("level1", "level3"))
    for i, cell in enumerate(column_row):
        role = _name_role(column_row, i) if cell else None
        if role is None and not cell:
            role = next((r for row in reversed(above) if i < len(row) and (r := _column_role(row[i]))), None)
            if role not in PROJECT_ROLES:
                role = None
        if role and role not in cols:
            cols[role] = i
        elif cell and i > first_level:
            rec.skip(loc, f"column {cell!r} of a performance table not mapped; its cells are reported row by row")
    missing = [ROLE_LABELS[r] for r in ("level3", "target") if r not in cols]
    if missing:
        rec.skip(loc, f"performance table without {'/'.join(missing)} column, not mapped")
        return None
    return cols


def _table(doc, rec, table: Table, index: int, head: Table | None = None) -> list[_Reading]:
    """The projects of one performance table: one, or one per project the table prints.

    Rows above the column row (一级指标 ...) state the project: name, amount, goal; ``head`` holds
    the first of them when a page break cut them off (:func:`_cut_head`), and a single cell at the
    top of the next page ends the name the 项目名称 row printed last. Below indicator rows, a
    项目名称 row, a title row or a project fact row (主管部门: the reader joined tables of one
    title and dropped the repeated 项目名称 row as a header) starts the next project, and so does a
    new name in a 项目名称 column.
    """
    loc = doc.location(table.line, table.page, table.title)
    reported = len(rec.skipped)
    rows = []
    if head is not None:
        rows += [(list(h), head.line, head.page, True) for h in head.header]
        rows += [(r.cells, r.line, r.page, True) for r in head.rows]
    rows += [(list(h), table.line, table.page, True) for h in table.header]
    rows += [(r.cells, r.line, r.page, False) for r in table.rows]
    if not any(_is_column_row(cells) for cells, *_ in rows):
        goals = _goals_table(doc, rec, table, index)
        if goals is None:
            rec.skip(loc, "performance table without a 一级指标 header row, not mapped")
            return []
        return goals
    readings = [_Reading(ProjectRec(index, table.title, _project_name(table.title), None, table.line, table.page))]
    cols: dict[str, int] | None = None
    column_key: list[str] = []
    above: list[list[str]] = []
    name_page = None  # the page of the 项目名称 row, while it is the last row read
    weight_unit = None
    fund_cols: dict[int, tuple[str, str]] = {}
    for cells, line, page, in_header in rows:
        filled = [c for c in cells if c]
        if not filled:
            continue
        row_loc = doc.location(line, page, table.title)
        if name_page is not None and page != name_page and len(filled) == 1 and cols is None:
            cur = readings[-1]
            cur.project.name = _join(cur.project.name, filled[0])
            doc.repairs.append(f"page {page}: {filled[0]!r} at the top of the page ends the project name"
                               f" {cur.project.name!r} broken by the page break; joined to it (table {table.title!r})")
            name_page = None
            continue
        name_page = None
        if _is_column_row(cells):
            key = [match_key(c) for c in filled]
            if key != column_key:  # else the column header repeated after a page break
                cols, column_key = _columns(rec, row_loc, cells, above if in_header else []), key
                if cols is None:
                    return []
                weight_unit = _weight_unit(cells[cols["weight"]]) if "weight" in cols else None
                fund_cols = _fund_columns(cells, cols)
            continue
        first = match_key(filled[0])
        if in_header and cols is None and first not in PROJECT_GOAL_KEYS | PROJECT_NAME_KEYS | PROJECT_FACT_KEYS and any(
                _column_role(c) for c in cells):
            above.append(cells)  # the upper row of a two-row column header
            continue
        if in_header and cols is not None and len(below := _fund_columns(cells, cols)) == len(filled):
            # a header row below the column row whose every cell names a fund source (or an expenditure type):
            # the columns the project's amount is split by (项目总额, 其中： over 财政资金 | 其他资金)
            fund_cols.update(below)
            continue
        values = {} if cols is None else {r: (cells[i] if i < len(cells) else "") for r, i in cols.items()}
        indicator = any(values.get(r) for r in ROLES)
        is_title = len(filled) == 1 and bool(PERFORMANCE_TITLE_ROW_RE.search(first))
        if first in PROJECT_GOAL_KEYS | PROJECT_NAME_KEYS | PROJECT_FACT_KEYS or first.rstrip(":") in PROJECT_FACT_FIELDS or is_title or not (
                indicator or values.get("project")):
            if _fact_row(doc, rec, table, readings, cells, row_loc):
                cols, column_key = None, []  # the next project prints its own column row
            if first in PROJECT_NAME_KEYS and len(filled) > 1:
                name_page = page
            continue
        cur = readings[-1]
        if first in SCORE_TOTAL_KEYS and cols is not None:
            _score_total(rec, cur.project, values, row_loc)
            continue
        name = values.get("project", "").strip()
        if name:
            if not (cur.named and _squash(name) == _squash(cur.project.name)):
                if cur.raws or cur.named:
                    cur = _next(readings, line, page, title=table.title)
                cur.project.name, cur.named = name, True
                cur.project.line, cur.project.page = line, page
        if name or not cur.raws:
            _project_cells(rec, table, cur, values, row_loc)
            if not cur.project.funds:
                _fund_cells(rec, table, cur, cells, fund_cols, row_loc)
        if not indicator:
            continue
        extra = [c for i, c in enumerate(cells) if c and i not in cols.values() and i not in fund_cols
                 and not _section_label(c, i, cols)]
        if extra:
            rec.skip(row_loc, f"cells outside the indicator columns not mapped: {' | '.join(extra)}")
        values = {r: v for r, v in values.items() if r in ROLES}
        if _is_continuation(values):
            if not cur.raws:
                rec.skip(row_loc, "row continues a cell but no indicator row stands above it; not mapped: "
                         + " | ".join(v for v in values.values() if v))
                continue
            _continue(doc, rec, table, cur.raws[-1], values, row_loc)
            continue
        cur.raws.append(_Raw(values, line, page, [line], weight_unit=weight_unit))
    if cols is None:
        rec.skip(loc, "performance table without a 一级指标 header row, not mapped")
        return []
    if all(not r.named and not any(raw.cells.get("target", "").strip() for raw in r.raws) for r in readings):
        # A blank form: its rows are field names, nothing of them is a fact; one report says so.
        del rec.skipped[reported:]
        rec.skip(loc, "performance table printed as a blank form (no project named, no target filled in); not mapped")
        return []
    kept = []
    unit = None  # a row naming a unit (its code, its name, its total) heads the projects of that code below it
    for reading in readings:
        p = reading.project
        if reading.raws or len(readings) == 1:
            if unit is not None and p.implementer_code is None and kept and kept[-1].project.implementer_code:
                # a blank 单位编码 under the code of the project above: the cell merged over both (长沙 p22)
                p.implementer_code = kept[-1].project.implementer_code
            if unit is not None and p.implementer_code == unit.implementer_code and p.implementer is None:
                p.implementer = unit.name
            kept.append(reading)
            continue
        where = doc.location(p.line, p.page, table.title)
        if p.implementer_code:
            unit = p
            total = f"; its total {p.amount.printed()} not mapped" if p.amount else ""
            rec.skip(where, f"row of the unit {p.name!r} ({p.implementer_code}): the unit of the projects of its code below{total}")
        else:
            rec.skip(where, f"project {p.name!r} without indicator rows, not mapped")
    for n, reading in enumerate(kept):
        reading.project.index = index + n
    return kept


def _goals_role(cell: str) -> str | None:
    key = match_key(cell)
    for role, words in GOALS_TABLE_ROLES:
        if key in words or any(key.startswith(w) for w in words if role == "amount") or (
                role in ("goal", "amount") and key.endswith(words[0] if role == "goal" else GOALS_AMOUNT_SUFFIX)):
            return role
    return None


def _goals_table(doc, rec, table: Table, index: int) -> list[_Reading] | None:
    """A table of projects with their amount and goal but no indicators (重点项目绩效目标): one project a row.

    A row without a project name continues the goal above it (a cell cut by a page break),
    or, with only an amount, is a total row (reported). None when the header is not such a table's.
    """
    header = next((h for h in reversed(table.header) if any(_goals_role(c) for c in h)), None)
    cols = {}
    for i, cell in enumerate(header or []):
        role = _goals_role(cell) or _column_role(cell)
        if role and role not in cols:
            cols[role] = i
    if not {"project", "goal"} <= cols.keys():
        return None
    # Indicators without levels beside the goal (指标名称 | 指标性质 | 指标值 | 计量单位): rows of the project above.
    indicator_cols = {r: i for r, i in cols.items() if r in ROLES} if {"level3", "target"} <= cols.keys() else {}
    cols = {r: i for r, i in cols.items() if r in PROJECT_ROLES or r in indicator_cols or r == ORDINAL_ROLE}
    unit = next((m.group(1) for c in header if (m := PROJECT_UNIT_IN_LABEL_RE.search(c))), None) or table.meta.get("unit")
    weight_unit = _weight_unit(header[cols["weight"]]) if "weight" in cols else None
    readings: list[_Reading] = []
    for row in table.rows:
        cells = row.cells
        get = lambda role: (cells[cols[role]].strip() if role in cols and cols[role] < len(cells) else "")  # noqa: E731
        loc = doc.location(row.line, row.page, table.title)
        others = [c for i, c in enumerate(cells) if c and i not in cols.values()]
        name, goal = get("project"), get("goal")
        indicator = {r: get(r) for r in indicator_cols}
        if not name and readings and indicator.get("level3"):
            readings[-1].raws.append(_Raw(indicator, row.line, row.page, [row.line], weight_unit=weight_unit))
            if others:
                rec.skip(loc, f"cells of a project goals table not mapped: {' | '.join(others)}")
            continue
        if not name:
            if goal and readings and not get("amount"):
                readings[-1].project.goal = _join(readings[-1].project.goal or "", goal)
                doc.repairs.append(f"line {row.line}: 绩效目标 continued from the row above joined (table {table.title!r})")
            elif any(cells):
                rec.skip(loc, "row of a project goals table without a project not mapped: " + " | ".join(c for c in cells if c))
            continue
        reading = _Reading(ProjectRec(index + len(readings), table.title, name, goal or None, row.line, row.page,
                                      implementer=get("implementer") or None), named=True)
        if get("amount") and not _amount(rec, table, reading.project, get("amount"), "", loc, unit):
            rec.skip(loc, f"project amount {get('amount')!r} is not an amount; not mapped")
        if others:
            rec.skip(loc, f"cells of a project goals table not mapped: {' | '.join(others)}")
        if indicator.get("level3"):
            reading.raws.append(_Raw(indicator, row.line, row.page, [row.line], weight_unit=weight_unit))
        readings.append(reading)
    return readings


def _section_label(cell: str, i: int, cols: dict[str, int]) -> bool:
    """A row label left of the indicator columns (``绩效指标``, ``年度绩效指标``): a label, not a fact."""
    first = min((cols[r] for r in ("level1", "level3") if r in cols), default=0)
    return i < first and match_key(cell).endswith(INDICATOR_SECTION_SUFFIX)


def _next(readings: list[_Reading], line: int, page: int | None, *, title: str) -> _Reading:
    reading = _Reading(ProjectRec(readings[-1].project.index + 1, title, _project_name(title), None, line, page))
    readings.append(reading)
    return reading


def _score_total(rec, project: ProjectRec, values: dict[str, str], loc) -> None:
    """The 总分 row of a self-evaluation: the project's total weight and score."""
    for role in ("weight", "score"):
        printed = values.get(role, "").strip()
        try:
            setattr(project, role, _number(printed, WEIGHT_POINTS))
        except ValueError:
            rec.skip(loc, f"{ROLE_LABELS[role]} {printed!r} of the 总分 row is not a number; not mapped")
    others = [v for r, v in values.items() if v and r not in ("weight", "score")]
    if others:
        rec.skip(loc, "cells of the 总分 row not mapped: " + " | ".join(others))


def _fund_columns(column_row: list[str], cols: dict[str, int]) -> dict[int, tuple[str, str]]:
    """Columns left of the indicators that print the project's funds by fund source or expenditure type
    (一般公共预算 | 其他资金 | 基本支出 | 项目支出 under 按收入性质分 / 按支出性质分): position -> (scheme, label)."""
    first = min((cols[r] for r in ("level1", "level3") if r in cols), default=len(column_row))
    lists, found = codelists(), {}
    for i, cell in enumerate(column_row[:first]):
        if not cell or i in cols.values():
            continue
        for scheme in (FUND_SCHEME, EXPENDITURE_SCHEME):
            if lists.match(scheme, cell, suffix=False):
                found[i] = (scheme, cell)
                break
    return found


def _fund_cells(rec, table, cur: _Reading, cells: list[str], fund_cols: dict[int, tuple[str, str]], loc) -> None:
    """The amounts of a project row in its fund columns, each a fund line of the project."""
    for i, (scheme, label) in sorted(fund_cols.items()):
        printed = cells[i].strip() if i < len(cells) else ""
        if not printed:
            continue
        if not _is_amount(printed):
            rec.skip(loc, f"{label} {printed!r} of the project is not an amount; not mapped")
            continue
        line = _fund_line(rec, table, cur, label, False, PROJECT_AMOUNT_MEASURES[_TOTAL_LABEL], printed, loc)
        if scheme == FUND_SCHEME:
            line.fund = label
        else:
            line.expenditure = label


def _project_cells(rec, table, cur: _Reading, values: dict[str, str], loc) -> None:
    """Goal and amount printed in the columns of a project row (repeated after a page break: read once)."""
    goal = values.get("goal", "").strip()
    if goal and cur.project.goal is None:
        cur.project.goal = goal
    if (code := values.get("unit_code", "").strip()) and cur.project.implementer_code is None:
        cur.project.implementer_code = code
    if (unit := values.get("implementer", "").strip()) and cur.project.implementer is None:
        cur.project.implementer = unit
    printed = values.get("amount", "").strip()
    if printed and cur.project.amount is None and not _amount(rec, table, cur.project, printed, "", loc, cur.unit):
        rec.skip(loc, f"project amount {printed!r} is not an amount; not mapped")


def _amount(rec, table: Table, project: ProjectRec, printed: str, label: str, loc, unit: str | None = None) -> bool:
    """Set the project's amount from a printed cell; False when the cell is not an amount."""
    try:
        amount = parse_amount(printed)
    except ValueError:
        return False
    if amount is None:
        return False
    m = PROJECT_UNIT_IN_LABEL_RE.search(label)
    project.amount = amount
    project.amount_unit = m.group(1) if m else unit or table.meta.get("unit")
    if project.amount_unit is None:
        rec.skip(loc, f"project amount {printed!r} printed without a unit; kept without one")
    return True


def _fact_row(doc, rec, table: Table, readings: list[_Reading], cells: list[str], loc) -> bool:
    """A row that states a fact of the project (title, name, goal, amount, funds, 主管部门 ...); any other row
    is reported.

    :returns: whether the row starts the next project.
    """
    cur = readings[-1]
    filled = [c for c in cells if c]
    key = match_key(filled[0])
    rest = [c for c in filled[1:] if match_key(c) != key]
    if m := PROJECT_UNIT_LINE_RE.search(key):
        cur.unit = m.group(1)
        if len(filled) == 1:
            return False
    if len(filled) == 1 and PERFORMANCE_TITLE_ROW_RE.search(key) and not cur.goal_below:
        if cur.raws or cur.named:
            _next(readings, loc.line, loc.page, title=filled[0])
            return True
        cur.project.title, cur.project.name = filled[0], _project_name(filled[0])
        return False
    if key in PROJECT_NAME_KEYS and rest:
        started = bool(cur.raws or cur.named)
        if started:
            cur = _next(readings, loc.line, loc.page, title=table.title)
        cur.project.name, cur.named = rest[0], True
        cur.project.line, cur.project.page = loc.line, loc.page
        if len(rest) > 1 and not _fields(rec, cur, rest[1:], loc):  # 项目名称 | X | 主管部门 | Y
            rec.skip(loc, "cells of a 项目名称 row not mapped: " + " | ".join(rest[1:]))
        return started
    if key in PROJECT_FACT_KEYS and cur.raws:
        # The reader dropped this project's 项目名称 row as a repetition of the table's header: the name is the header's.
        cur = _next(readings, loc.line, loc.page, title=table.title)
        named = next((r for h in table.header if _first_key(h) in PROJECT_NAME_KEYS
                      for r in [[c for c in h if c][1:]] if r), None)
        if named:
            cur.project.name, cur.named = named[0], True
        _fact_row(doc, rec, table, readings, cells, loc)
        return True
    if key in PROJECT_GOAL_KEYS:
        cur.in_funds, cur.fund_columns, cur.fund_heads, cur.task_cols = False, {}, [], {}
        text = "".join(c for c in rest if match_key(c) not in PROJECT_GOAL_KEYS | GOAL_SUBLABELS)
        if text:
            _goal(doc, table, cur.project, filled[0], text)
        else:
            cur.goal_below = True
            cur.achieved_below = any(match_key(c) == ACHIEVED_SUBLABEL for c in rest)
        return False
    if cur.goal_below and not cur.raws:
        cur.goal_below = False
        _goal(doc, table, cur.project, filled[0], filled[0])
        if cur.achieved_below and len(filled) == 2 and cur.project.achieved is None:
            cur.project.achieved = filled[1]
        elif len(filled) > 1:
            rec.skip(loc, "cells beside the goal not mapped: " + " | ".join(filled[1:]))
        return False
    if unit := PROJECT_UNIT_IN_LABEL_RE.search(key):
        cur.unit = unit.group(1)
    if _fields(rec, cur, cells, loc) or _funds(rec, table, cur, cells, loc):
        return False
    if any(w in key for w in PROJECT_AMOUNT_WORDS) and cur.project.amount is None:
        for i, cell in enumerate(filled[1:], start=1):
            if _amount(rec, table, cur.project, cell, " ".join(filled[:i]), loc, cur.unit):
                return False
    rec.skip(loc, "row of a performance table not mapped: " + " | ".join(filled))
    return False


def _label_key(cell: str) -> str:
    return match_key(cell).rstrip(":")


def _fields(rec, cur: _Reading, cells: list[str], loc) -> bool:
    """A row of project facts in label | value pairs (主管部门 | X | 实施单位 | Y; 备注 | text): each value
    fills its field; a label without a value prints nothing. False when the row starts with no such label."""
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if not filled or _label_key(filled[0][1]) not in PROJECT_FACT_FIELDS:
        return False
    field_name = None
    for _, cell in filled:
        key = _label_key(cell)
        if key in PROJECT_FACT_FIELDS:
            field_name = PROJECT_FACT_FIELDS[key]
            continue
        if field_name is None:
            rec.skip(loc, f"cell {cell!r} of a project facts row not mapped")
            continue
        printed = getattr(cur.project, field_name)
        if printed is None:
            setattr(cur.project, field_name, cell.strip())
        elif _squash(printed) != _squash(cell):
            rec.skip(loc, f"second {field_name} {cell!r} of the project not mapped (kept {printed!r})")
        field_name = None
    return True


def _number(cell: str, *suffixes: str) -> Amount | None:
    """A printed number (a weight, a score, a rate without its %); None when blank or not applicable (--).

    :raises ValueError: when the cell holds something else.
    """
    text = cell.strip()
    for suffix in suffixes:
        text = text.removesuffix(suffix)
    return parse_amount(text)


def _is_amount(cell: str) -> bool:
    try:
        return parse_amount(cell) is not None
    except ValueError:
        return False


def _funds(rec, table: Table, cur: _Reading, cells: list[str], loc) -> bool:
    """The rows of a project's funds: a row of measure words (年初预算数 | 全年预算数 | 全年执行数 | 分值 |
    执行率 | 得分) makes the columns of the fund lines below it; else a fund line prints label | amount pairs,
    a label that names a measure (实施期资金总额：) being the total of that measure, and the lines below it
    (其中：财政拨款, 其他资金) its parts in the measure of the same pair. False when the row is none of these."""
    keys = [_label_key(c) for c in cells]
    if _tasks(rec, table, cur, cells, keys, loc):
        return True
    if sum(k in PROJECT_AMOUNT_MEASURES for k in keys) >= 2:
        cur.fund_columns = {i: k for i, k in enumerate(keys) if k in PROJECT_AMOUNT_MEASURES or k in PROJECT_AMOUNT_EXTRAS}
        cur.in_funds = True
        return True
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if not filled:
        return False
    first_key = keys[filled[0][0]]
    if cur.fund_columns and not _is_amount(filled[0][1]) and any(_is_amount(cells[i]) for i in cur.fund_columns if i < len(cells)):
        _fund_columns_row(rec, table, cur, cells, filled, loc)
        return True
    amounts = [_is_amount(c) for _, c in filled]
    if not any(amounts) and len(filled) >= 3 and (any(w in first_key for w in PROJECT_AMOUNT_WORDS) or cur.fund_heads):
        # A header of fund columns over the amounts row below (总体资金情况（万元） | 预算支出总额 | 财政拨款 | 其他资金,
        # then 合计 | 基本支出 | 项目支出 under each): the block's label, then the labels by position.
        start = 1 if any(w in first_key for w in PROJECT_AMOUNT_WORDS) and not cur.fund_heads else 0
        cur.fund_heads.append({i: c for i, c in filled[start:]})
        cur.in_funds = True
        return True
    if cur.fund_heads and all(amounts):
        _head_lines(rec, table, cur, filled, loc)
        cur.fund_heads = []
        return True
    pairs, others = [], []
    k = 0
    while k < len(filled):
        i, cell = filled[k]
        if k + 1 < len(filled) and not _is_amount(cell) and _is_amount(filled[k + 1][1]):
            pairs.append((cell, filled[k + 1][1]))
            k += 2
            continue
        others.append(cell)
        k += 1
    if cur.in_funds and not pairs and not any(amounts) and len(filled) <= 2:
        return True  # a fund line printed without an amount (其中：中央财政资金 | blank): nothing to map
    if not pairs or not (cur.in_funds or any(w in first_key for w in PROJECT_AMOUNT_WORDS)):
        return False
    cur.in_funds = True
    for rank, (label, printed) in enumerate(pairs):
        key = _label_key(label)
        total = key in PROJECT_AMOUNT_MEASURES
        if total:
            measure = PROJECT_AMOUNT_MEASURES[key]
            cur.pair_measures[rank:rank + 1] = [measure]
        else:
            measure = cur.pair_measures[rank] if rank < len(cur.pair_measures) else PROJECT_AMOUNT_MEASURES[_TOTAL_LABEL]
        _fund_line(rec, table, cur, label, total or any(w in key for w in PROJECT_AMOUNT_WORDS) and rank == 0 and not
                   cur.project.funds, measure, printed, loc)
    for cell in others:
        key = _label_key(cell)
        if m := EXECUTION_RATE_WEIGHT_RE.match(key):
            cur.project.rate_weight = parse_amount(m.group(1))
        elif not (cell == filled[0][1] and any(w in key for w in PROJECT_AMOUNT_WORDS)):  # the block's label: 资金金额（万元）
            rec.skip(loc, f"cell {cell!r} of a project funds row not mapped")
    return True


def _head_lines(rec, table: Table, cur: _Reading, filled: list[tuple[int, str]], loc, task: int | None = None) -> None:
    """The amounts of a row under a header of fund columns: each a fund line labelled by its header path
    (财政拨款/基本支出: the fund, then the expenditure type under it); the block's own label (预算金额（万元）)
    is no part of a path."""
    for i, printed in filled:
        path = []
        for n, head in enumerate(cur.fund_heads):
            at = max((k for k in head if k <= i), default=None)
            # a lower header cell belongs to the nearest upper one at or left of it; a cell merged down has no lower one
            if at is not None and (n == 0 or at == i) and not PROJECT_UNIT_IN_LABEL_RE.search(head[at]):
                path.append(head[at])
        top = _label_key(path[0]) if path else ""
        total = top.endswith(FUND_TOTAL_SUFFIXES) or top in PROJECT_AMOUNT_MEASURES
        line = _fund_line(rec, table, cur, "/".join(path), total and task is None,
                          PROJECT_AMOUNT_MEASURES.get(top, PROJECT_AMOUNT_MEASURES[_TOTAL_LABEL]), printed, loc)
        line.fund, line.expenditure = (path[0], path[1] if len(path) > 1 else None) if path else (None, None)
        line.task, line.task_total = task, total


def _tasks(rec, table: Table, cur: _Reading, cells: list[str], keys: list[str], loc) -> bool:
    """The main tasks of a department-level table (年度主要任务 | 任务名称 | 主要内容 | 预算金额（万元）: 总额 |
    财政拨款 | 其他资金): one task a row with its amounts under the fund columns; the total row (金额合计) gives
    the department's fund lines. False when the row is none of these."""
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if filled and keys[filled[0][0]] in TASK_BLOCK_KEYS:
        cols = {TASK_COLUMNS[k]: i for i, k in enumerate(keys) if k in TASK_COLUMNS}
        if "name" not in cols:
            return False
        cur.task_cols, cur.in_funds = cols, True
        last = max(cols.values())
        head = {}
        for i, cell in filled:
            if i <= last:
                continue
            if m := EXECUTION_RATE_WEIGHT_RE.match(keys[i]):
                cur.project.rate_weight = parse_amount(m.group(1))
                continue
            if unit := PROJECT_UNIT_IN_LABEL_RE.search(match_key(cell)):
                cur.unit = unit.group(1)
            head[i] = cell
        cur.fund_heads = [head]
        return True
    if not cur.task_cols or not cur.fund_heads:
        return False
    name_at = cur.task_cols["name"]
    amounts = [(i, c) for i, c in filled if i > max(cur.task_cols.values()) and _is_amount(c)]
    name = cells[name_at].strip() if name_at < len(cells) else ""
    if not amounts or not name:
        return False
    rest = [c for i, c in filled if i != name_at and i != cur.task_cols.get("content") and (i, c) not in amounts]
    if rest:
        rec.skip(loc, "cells of a task row not mapped: " + " | ".join(rest))
    if _label_key(name).endswith(FUND_TOTAL_SUFFIXES):
        _head_lines(rec, table, cur, amounts, loc)
        return True
    at = cur.task_cols.get("content")
    cur.project.tasks.append(TaskRec(len(cur.project.tasks) + 1, name, cells[at].strip() if at is not None else "",
                                     loc.line, loc.page))
    _head_lines(rec, table, cur, amounts, loc, task=len(cur.project.tasks))
    return True


def _fund_line(rec, table: Table, cur: _Reading, label: str, total: bool, measure: str, printed: str, loc) -> FundLine:
    amount = parse_amount(printed)
    project = cur.project
    if total and project.amount is None:
        _amount(rec, table, project, printed, label, loc, cur.unit)
    unit = project.amount_unit or cur.unit or table.meta.get("unit")
    line = FundLine(len(project.funds) + 1, label.strip().rstrip(":："), total, measure, amount, unit, loc.line, loc.page)
    project.funds.append(line)
    return line


def _fund_columns_row(rec, table: Table, cur: _Reading, cells: list[str], filled, loc) -> None:
    """A fund line under the columns of measures (a 决算 self-evaluation): one amount per measure; the
    weight, execution rate and score of the line on its executed amount."""
    label = filled[0][1]
    key = _label_key(label)
    total = key in PROJECT_AMOUNT_MEASURES
    lines, extras = [], {}
    for i, what in sorted(cur.fund_columns.items()):
        cell = cells[i] if i < len(cells) else ""
        try:
            if what in PROJECT_AMOUNT_MEASURES:
                if _is_amount(cell):
                    lines.append(_fund_line(rec, table, cur, label, total, PROJECT_AMOUNT_MEASURES[what], cell, loc))
            elif (value := _number(cell, "%")) is not None:
                extras[PROJECT_AMOUNT_EXTRAS[what]] = value
        except ValueError:
            rec.skip(loc, f"{what} {cell!r} of the fund line {label!r} is not a number; not mapped")
    executed = next((ln for ln in lines if ln.measure == PROJECT_AMOUNT_MEASURES[_EXECUTED_LABEL]), None)
    if extras and executed is None:
        rec.skip(loc, f"{', '.join(extras)} of the fund line {label!r} without an executed amount; not mapped")
    elif executed is not None:
        for name, value in extras.items():
            setattr(executed, name, value)
    used = {i for i in cur.fund_columns} | {filled[0][0]}
    for i, cell in filled[1:]:
        if i not in used:
            rec.skip(loc, f"cell {cell!r} of a project funds row not mapped")


def _goal(doc, table: Table, project: ProjectRec, label: str, text: str) -> None:
    if project.goal is None:
        project.goal = text
    elif _squash(text) != _squash(project.goal):
        project.goal = _join(project.goal, text)
        doc.repairs.append(f"table at line {table.line}: second {label} row joined to the goal")


def _is_continuation(values: dict[str, str]) -> bool:
    """A row whose level cells are blank and that has no target, or no name, continues the row above."""
    if values.get("level1") or values.get("level2"):
        return False
    return not values.get("target") or not values.get("level3")


def _continue(doc, rec, table: Table, prev: _Raw, values: dict[str, str], loc) -> None:
    line = loc.line
    joined, repeated = [], []
    for role in ROLES:
        part = values.get(role, "")
        if not part:
            continue
        if _squash(prev.cells.get(role, "")).endswith(_squash(part)):
            repeated.append(role)
            continue
        if role in FIGURE_ROLES and prev.cells.get(role):
            rec.skip(loc, f"{ROLE_LABELS[role]} {part!r} in a row continuing the row of line {prev.line}, which prints"
                          f" {prev.cells[role]!r}; not mapped")
            continue
        prev.cells[role] = _join(prev.cells.get(role, ""), part)
        joined.append(role)
    prev.lines.append(line)
    if joined:
        note = (f"line {line}: {', '.join(ROLE_LABELS[r] for r in joined)} continued from line {prev.line} joined"
                f" (table {table.title!r})")
        prev.notes.append(note)
        doc.repairs.append(note)
    if repeated:
        note = (f"line {line}: {', '.join(ROLE_LABELS[r] for r in repeated)} fragment repeats the end of the cell"
                f" at line {prev.line}; not appended (table {table.title!r})")
        prev.notes.append(note)
        doc.repairs.append(note)


def _repair_description_merge(doc, table: Table, raws: list[_Raw]) -> None:
    """A level-3 cell that ends with the row's own description (a sentence) holds both."""
    for raw in raws:
        name, desc = _squash(raw.cells.get("level3", "")), _squash(raw.cells.get("description", ""))
        if len(desc) >= 4 and desc.endswith(_PROSE_END) and name.endswith(desc) and len(name) - len(desc) >= 2:
            kept = _cut(raw.cells["level3"], len(name) - len(desc))
            note = (f"line {raw.line}: 三级指标 cell held the row's description too (merged by text extraction);"
                    f" kept {kept!r} (table {table.title!r})")
            raw.cells["level3"] = kept
            raw.notes.append(note)
            doc.repairs.append(note)


def _cut(text: str, n: int) -> str:
    """The first ``n`` non-space characters of ``text``, as printed."""
    seen = 0
    for i, ch in enumerate(text):
        if not ch.isspace():
            seen += 1
            if seen == n:
                return text[: i + 1].strip()
    return text.strip()


def _repair_merged_names(doc, table: Table, raws: list[_Raw]) -> None:
    """A level-3 cell that is its own name followed by the names of the next rows holds them all.

    Rows are repaired from the bottom up, so a merged cell further down is cut back
    before the cells above are compared with it. A cell followed by only one
    other row's name is reported, not cut: one name may well end with another.
    """
    names = [_squash(r.cells.get("level3", "")) for r in raws]
    for i in range(len(raws) - 2, -1, -1):
        name = names[i]
        chain, best = "", 0
        for k in range(i + 1, len(raws)):
            if not names[k]:
                break
            chain += names[k]
            if len(chain) > len(name) - 2:
                break
            if name.endswith(chain):
                best = k
        if not best:
            continue
        own_len = len(name) - len("".join(names[i + 1 : best + 1]))
        count = best - i
        if count < 2:
            note = (f"line {raws[i].line}: 三级指标 {raws[i].cells['level3']!r} ends with the next row's name;"
                    f" kept as printed (table {table.title!r})")
            doc.repairs.append(note)
            continue
        kept = _cut(raws[i].cells["level3"], own_len)
        note = (f"line {raws[i].line}: 三级指标 cell held the names of the next {count} rows (merged by text"
                f" extraction); kept {kept!r} (table {table.title!r})")
        raws[i].cells["level3"] = kept
        raws[i].notes.append(note)
        doc.repairs.append(note)
        names[i] = _squash(kept)


def _indicators(doc, rec, table: Table, project: ProjectRec, raws: list[_Raw]) -> None:
    lists = codelists()
    year = rec.year
    memo: dict[tuple[str, str], str | None] = {}
    level1 = level2 = ""
    for n, raw in enumerate(raws, start=1):
        c = raw.cells
        loc = doc.location(raw.line, raw.page, table.title)
        if c.get("level1"):
            if c["level1"] != level1 and not c.get("level2"):
                level2 = ""
                rec.skip(loc, f"二级指标 blank under a new 一级指标 {c['level1']!r}; the indicator has no level 2")
            level1 = c["level1"]
        if c.get("level2"):
            level2 = c["level2"]
        if "level1" not in c and "level2" not in c:  # no level columns: the levels may head the name
            level1, level2 = "", ""
            if split := _levels_in_name(lists, c.get("level3", "")):
                level1, level2, c["level3"] = split
                raw.notes.append(f"一级指标 {level1!r} and 二级指标 {level2!r} printed before the name in one cell; split off")
        target, composed = _target(c, year)
        if composed:
            raw.notes.append(composed)
        if target.kind == "quantitative" and target.unit is None and (unit := unit_of_name(c.get("level3", ""))):
            target = replace(target, unit=unit)
            raw.notes.append(f"unit {unit!r} of the target taken from the indicator name {c.get('level3', '')!r}")
        if target.kind == "unparsed":
            rec.skip(loc, f"指标值 {target.text!r} not parsed ({target.reason}); kept as printed text")
        ind = IndicatorRec(
            n, raw.line, raw.page, level1, level2, c.get("level3", "").strip(), c.get("description", "").strip(),
            target, c.get("basis", "").strip(), lines=raw.lines, notes=raw.notes,
        )
        _assessment(rec, ind, c, raw.weight_unit, year, loc)
        ind.level1_concept = _level(lists, level1, None, loc, rec, LEVEL1_HEADER, memo)
        ind.level2_concept = _level(lists, level2, ind.level1_concept, loc, rec, LEVEL2_HEADER, memo)
        if not ind.name:
            rec.skip(loc, "indicator row without a 三级指标 name; kept with its other cells")
        project.indicators.append(ind)


def _assessment(rec, ind: IndicatorRec, cells: dict[str, str], weight_unit: str | None, year, loc) -> None:
    """The cells beside the target: weight, score, value achieved, deviation, scoring rule, remark, core flag."""
    for role in ("weight", "score"):
        printed = cells.get(role, "").strip()
        try:
            value = _number(printed, WEIGHT_POINTS, WEIGHT_PERCENT)
        except ValueError:
            rec.skip(loc, f"{ROLE_LABELS[role]} {printed!r} is not a number; not mapped")
            continue
        setattr(ind, role, value)
    if ind.weight is not None:
        ind.weight_unit = weight_unit
    if actual := cells.get("actual", "").strip():
        ind.actual = parse_target(actual, year)
    for role in ("deviation", "scoring", "remark", "activity"):
        setattr(ind, role, cells.get(role, "").strip())
    core = match_key(cells.get("core", ""))
    if core in YES_NO:
        ind.core = YES_NO[core]
    elif core:
        rec.skip(loc, f"{ROLE_LABELS['core']} {cells['core']!r} is neither 是 nor 否; not mapped")


def _levels_in_name(lists, text: str) -> tuple[str, str, str] | None:
    """``(level 1, level 2, name)`` of a cell that prints a level-1 label, a level-2 label under it and
    the name (产出指标数量指标评审项目数量), each label the longest of the code list; None otherwise."""
    text = text.strip()
    top = _prefix(lists, text, want_top=True, parent=None)
    if top is None:
        return None
    second = _prefix(lists, text[top[0]:], want_top=False, parent=top[1])
    if second is None or not text[top[0] + second[0]:].strip():
        return None
    return text[: top[0]], text[top[0]: top[0] + second[0]], text[top[0] + second[0]:].strip()


def _prefix(lists, text: str, *, want_top: bool, parent: str | None) -> tuple[int, str] | None:
    """Length and concept of the longest start of ``text`` that is a label of a level (under ``parent``)."""
    for n in range(min(len(text), _LONGEST_LEVEL_LABEL), 1, -1):
        iri = lists.match(SCHEME, text[:n], suffix=False)
        if iri is None:
            continue
        iri = _concept(lists, text[:n], want_top=want_top)
        if (lists.broader.get(iri) is None) == want_top and (parent is None or lists.broader.get(iri) == parent):
            return n, iri
    return None


def _target(cells: dict[str, str], year) -> tuple[Target, str | None]:
    """The target of a row; with its sign and unit in columns of their own, read from the three cells.

    A sign column that holds a word (``定性``: qualitative) instead of a sign leaves the
    value cell to be read on its own.
    """
    value = cells.get("target", "").strip()
    sign, unit = cells.get("comparator", "").strip(), cells.get("unit", "").strip()
    if not sign and not unit:
        return parse_target(value, year), None
    cells_note = f"{ROLE_LABELS['comparator']} {sign!r}, {ROLE_LABELS['target']} {value!r}, {ROLE_LABELS['unit']} {unit!r}"
    text = value + unit if value and not value.endswith(unit) else value
    if is_comparator(sign) and value:
        text = sign + text
    target = parse_target(text, year)
    return replace(target, text=text), f"target read from the cells {cells_note}"


def _concept(lists, text: str, *, want_top: bool) -> str | None:
    """The concept a printed level names; of two concepts with one label (成本指标 is a level 1 in
    the newer framework and a level 2 of 产出指标 in the older one) the one of the column's level."""
    iri = lists.match(SCHEME, text, suffix=False)
    if iri is None or (lists.broader.get(iri) is None) == want_top:
        return iri
    label = match_key(lists.label(iri) or "")
    prefix = concept_iri(SCHEME, "")
    same = sorted(other for other, (zh, _) in lists.labels.items()
                  if other.startswith(prefix) and match_key(zh) == label and (lists.broader.get(other) is None) == want_top)
    return same[0] if same else iri


def _level(lists, text: str, parent: str | None, loc, rec, what: str, memo: dict) -> str | None:
    if not text:
        return None
    want_top = what == LEVEL1_HEADER
    if (what, text) not in memo:
        memo[what, text] = _concept(lists, text, want_top=want_top)
    iri = memo[what, text]
    if iri is None or (lists.broader.get(iri) is None) != want_top:
        rec.skip(loc, f"{what} {text!r} is not a {what} of the indicator-level code list; kept as printed text")
        return None
    if not want_top and parent and lists.broader.get(iri) != parent:
        rec.skip(loc, f"{what} {text!r} does not belong under the row's 一级指标; both kept")
    return iri
