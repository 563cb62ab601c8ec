"""Project performance target tables (项目绩效目标表) to projects and indicators.

API: :func:`extract_indicators` ``(doc, rec)`` (a pipeline extractor: fills
``rec.extra["performance"]`` with :class:`ProjectRec` records); :func:`map_indicators`
``(rec, minter, emit)`` (a mapper); :func:`basis_documents` ``(text) -> list[str]``;
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
from dataclasses import dataclass, field

import pyoxigraph as ox

from .codelists import codelists, concept_iri
from .model import Document, Row, Table
from .targets import Target, parse_target
from .text import match_key, strip_ordinal
from .vocab import BKG, DCT, PROV, RDFS, A, decimal, emit_location, integer, lit, typed

KIND = "performance_targets"
SCHEME = "indicator-level"
ROLES = ("level1", "level2", "level3", "description", "target", "basis")
ROLE_LABELS = {
    "level1": "一级指标", "level2": "二级指标", "level3": "三级指标",
    "description": "绩效指标描述", "target": "指标值", "basis": "指标值确定依据",
}
_HEADER_KEYS = {
    "一级指标": "level1", "二级指标": "level2", "三级指标": "level3", "指标名称": "level3",
    "绩效指标描述": "description", "指标描述": "description", "指标内容": "description", "指标解释": "description",
    "指标值": "target", "目标值": "target", "指标值(目标值)": "target", "年度指标值": "target", "指标目标值": "target",
    "指标值确定依据": "basis", "确定依据": "basis", "指标值设定依据": "basis", "设定依据": "basis", "依据": "basis",
}
_GOAL_KEYS = {"绩效目标", "年度绩效目标", "项目绩效目标", "年度目标", "总体目标", "年度总体目标"}
_NAME_KEYS = {"项目名称"}
_TITLE_SUFFIX = re.compile(r"(?:绩效目标(?:申报|设置)?表|绩效目标)$")
_BRACKETS = {"《": "》", "〈": "〉", "<": ">", "（": "）", "(": ")", "[": "]", "【": "】", "“": "”"}
_SEPARATORS = "，,；;、"
_PROSE_END = tuple("。；;！!？?")
_NOT_APPLICABLE = {"不涉及", "不适用", "无", "/", "-", "—", "——"}
_KEY_TRANSLATE = str.maketrans({"〈": "<", "〉": ">", "《": "<", "》": ">", "“": '"', "”": '"', "‘": "'", "’": "'", "【": "[", "】": "]"})
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


@dataclass
class _Raw:
    cells: dict[str, str]
    line: int
    page: int | None
    lines: list[int]
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- basis documents


def basis_documents(text: str) -> list[str]:
    """The documents a 指标值确定依据 cell cites (display form), none for 不涉及 or blank.

    A cell that lists several titles (``《甲》，《乙》``) gives one document each; any
    other cell is one document as printed.
    """
    text = text.strip()
    if not text or match_key(text) in _NOT_APPLICABLE:
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
    if key in _HEADER_KEYS:
        return _HEADER_KEYS[key]
    if not key:
        return None
    if key.endswith("依据"):
        return "basis"
    if "描述" in key:
        return "description"
    if "指标值" in key or "目标值" in key:
        return "target"
    return None


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a} {b}"
    return a + b


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _project_name(table: Table) -> str:
    name = _TITLE_SUFFIX.sub("", strip_ordinal(table.title)).strip()
    return name or table.title


def extract_indicators(doc: Document, rec) -> None:
    """Read every performance target table of the document into ``rec.extra["performance"]``."""
    projects: list[ProjectRec] = []
    for table, kind in rec.kinds:
        if kind != KIND:
            continue
        project = _project(doc, rec, table, len(projects) + 1)
        if project is not None:
            projects.append(project)
    rec.extra["performance"] = projects


def _project(doc: Document, rec, table: Table, index: int) -> ProjectRec | None:
    loc = doc.location(table.line, table.page, table.title)
    column_row = next((h for h in table.header if any(match_key(c) == "一级指标" for c in h)), None)
    if column_row is None:
        rec.skip(loc, "performance table without a 一级指标 header row, not mapped")
        return None
    cols: dict[str, int] = {}
    for i, cell in enumerate(column_row):
        role = _column_role(cell)
        if role and role not in cols:
            cols[role] = i
        elif cell:
            rec.skip(loc, f"column {cell!r} of a performance table not mapped; its cells are reported row by row")
    missing = [ROLE_LABELS[r] for r in ("level3", "target") if r not in cols]
    if missing:
        rec.skip(loc, f"performance table without {'/'.join(missing)} column, not mapped")
        return None
    project = ProjectRec(index, table.title, _project_name(table), None, table.line, table.page)
    for hrow in table.header:
        if hrow is not column_row:
            _header_row(doc, rec, table, project, hrow, loc)
    raws = _rows(doc, rec, table, cols, column_row, project)
    _repair_description_merge(doc, table, raws)
    _repair_merged_names(doc, table, raws)
    _indicators(doc, rec, table, project, raws)
    return project


def _header_row(doc, rec, table, project: ProjectRec, cells: list[str], loc) -> None:
    """Read a 绩效目标 / 项目名称 row; report any other header row."""
    filled = [c for c in cells if c]
    if not filled:
        return
    key = match_key(filled[0])
    text = "".join(filled[1:]) if len(filled) > 1 else ""
    if key in _GOAL_KEYS:
        if project.goal is None:
            project.goal = text
        elif _squash(text) != _squash(project.goal):
            project.goal = _join(project.goal, text)
            doc.repairs.append(f"table at line {table.line}: second {filled[0]} row joined to the goal")
    elif key in _NAME_KEYS and text:
        project.name = text
    else:
        rec.skip(loc, f"header row {' | '.join(filled)!r} of a performance table not mapped")


def _rows(doc, rec, table: Table, cols, column_row, project) -> list[_Raw]:
    header_key = [match_key(c) for c in column_row if c]
    raws: list[_Raw] = []
    for row in table.rows:
        cells = row.cells
        if not any(cells):
            continue
        first = match_key(next(c for c in cells if c))
        if first == header_key[0] and [match_key(c) for c in cells if c] == header_key:
            continue  # the column header repeated after a page break
        if first in _GOAL_KEYS | _NAME_KEYS:
            _header_row(doc, rec, table, project, cells, doc.location(row.line, row.page, table.title))
            continue
        values = {role: (cells[i] if i < len(cells) else "") for role, i in cols.items()}
        extra = [c for i, c in enumerate(cells) if c and i not in cols.values()]
        if extra:
            rec.skip(doc.location(row.line, row.page, table.title),
                     f"cells outside the indicator columns not mapped: {' | '.join(extra)}")
        if _is_continuation(values):
            if not raws:
                rec.skip(doc.location(row.line, row.page, table.title),
                         "row continues a cell but no indicator row stands above it; not mapped: "
                         + " | ".join(v for v in values.values() if v))
                continue
            _continue(doc, table, raws[-1], values, row)
            continue
        raws.append(_Raw(values, row.line, row.page, [row.line]))
    return raws


def _is_continuation(values: dict[str, str]) -> bool:
    """A row whose level cells are blank and that has no target, or no name, continues the row above."""
    if values.get("level1") or values.get("level2"):
        return False
    return not values.get("target") or not values.get("level3")


def _continue(doc, table: Table, prev: _Raw, values: dict[str, str], row: Row) -> None:
    joined, repeated = [], []
    for role in ROLES:
        part = values.get(role, "")
        if not part:
            continue
        if _squash(prev.cells.get(role, "")).endswith(_squash(part)):
            repeated.append(role)
            continue
        prev.cells[role] = _join(prev.cells.get(role, ""), part)
        joined.append(role)
    prev.lines.append(row.line)
    if joined:
        note = (f"line {row.line}: {', '.join(ROLE_LABELS[r] for r in joined)} continued from line {prev.line} joined"
                f" (table {table.title!r})")
        prev.notes.append(note)
        doc.repairs.append(note)
    if repeated:
        note = (f"line {row.line}: {', '.join(ROLE_LABELS[r] for r in repeated)} fragment repeats the end of the cell"
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
        target = parse_target(c.get("target", ""), year)
        if target.kind == "unparsed":
            rec.skip(loc, f"指标值 {target.text!r} not parsed ({target.reason}); kept as printed text")
        ind = IndicatorRec(
            n, raw.line, raw.page, level1, level2, c.get("level3", "").strip(), c.get("description", "").strip(),
            target, c.get("basis", "").strip(), lines=raw.lines, notes=raw.notes,
        )
        ind.level1_concept = _level(lists, level1, None, loc, rec, "一级指标", memo)
        ind.level2_concept = _level(lists, level2, ind.level1_concept, loc, rec, "二级指标", memo)
        if not ind.name:
            rec.skip(loc, "indicator row without a 三级指标 name; kept with its other cells")
        project.indicators.append(ind)


def _level(lists, text: str, parent: str | None, loc, rec, what: str, memo: dict) -> str | None:
    if not text:
        return None
    if (what, text) not in memo:
        memo[what, text] = lists.match(SCHEME, text, suffix=False)
    iri = memo[what, text]
    want_top = what == "一级指标"
    if iri is None or (lists.broader.get(iri) is None) != want_top:
        rec.skip(loc, f"{what} {text!r} is not a {what} of the indicator-level code list; kept as printed text")
        return None
    if not want_top and parent and lists.broader.get(iri) != parent:
        rec.skip(loc, f"{what} {text!r} does not belong under the row's 一级指标; both kept")
    return iri


# ---------------------------------------------------------------- RDF


def map_indicators(rec, m, emit) -> None:
    """Projects, indicators and basis documents of ``rec.extra["performance"]`` as triples."""
    projects: list[ProjectRec] = rec.extra.get("performance") or []
    if not projects:
        return
    source = m.source(rec.doc.sha256)
    org = m.department()
    year = typed(rec.year, "gYear")
    ds = m.dataset(KIND)
    emit(ds, A, BKG.PerformanceTargetSet)
    emit(ds, BKG.tableKind, ox.NamedNode(concept_iri("table-kind", KIND)))
    emit(ds, RDFS.label, lit("项目绩效目标表", "zh"))
    emit(ds, PROV.wasDerivedFrom, source)
    emit(ds, BKG.sourceDocument, source)
    emit(ds, BKG.organization, org)
    emit(ds, BKG.fiscalYear, year)
    emit(ds, BKG.budgetPhase, ox.NamedNode(concept_iri("phase", rec.phase)))
    bases: dict[str, list[tuple[str, str]]] = {}  # printed basis cell -> (slug, title) of its documents
    labelled: set[str] = set()
    for p in projects:
        pn = m.node(f"project/{p.index}")
        emit(ds, BKG.hasProject, pn)
        emit(pn, A, BKG.Project)
        emit(pn, RDFS.label, lit(p.name, "zh"))
        emit(pn, DCT.title, lit(p.title, "zh"))
        if p.goal is not None:
            emit(pn, BKG.goal, lit(p.goal, "zh"))
        emit(pn, DCT.isPartOf, ds)
        emit(pn, BKG.rowIndex, integer(p.index))
        emit(pn, BKG.sourceDocument, source)
        emit_location(emit, pn, p.line, p.page)
        emit(pn, BKG.organization, org)
        emit(pn, BKG.fiscalYear, year)
        for ind in p.indicators:
            if ind.basis not in bases:
                bases[ind.basis] = [(basis_slug(title), title) for title in basis_documents(ind.basis)]
            _indicator(m, emit, pn, p, ind, source, bases[ind.basis], labelled)


def _indicator(m, emit, pn, p: ProjectRec, ind: IndicatorRec, source, bases, labelled: set[str]) -> None:
    node = m.node(f"indicator/{p.index}/{ind.index}")
    emit(pn, BKG.hasIndicator, node)
    emit(node, A, BKG.PerformanceIndicator)
    emit(node, BKG.project, pn)
    emit(node, BKG.rowIndex, integer(ind.index))
    emit(node, BKG.sourceDocument, source)
    emit_location(emit, node, ind.line, ind.page)
    if ind.level1:
        emit(node, BKG.level1Label, lit(ind.level1, "zh"))
    if ind.level2:
        emit(node, BKG.level2Label, lit(ind.level2, "zh"))
    if ind.level1_concept:
        emit(node, BKG.indicatorLevel1, ox.NamedNode(ind.level1_concept))
    if ind.level2_concept:
        emit(node, BKG.indicatorLevel2, ox.NamedNode(ind.level2_concept))
    emit(node, BKG.indicatorName, lit(ind.name, "zh"))
    if ind.name:
        emit(node, RDFS.label, lit(ind.name, "zh"))
    emit(node, BKG.indicatorDescription, lit(ind.description, "zh"))
    t = ind.target
    emit(node, BKG.targetText, lit(t.text))
    emit(node, BKG.targetKind, lit(t.kind))
    if t.comparator:
        emit(node, BKG.comparator, lit(t.comparator))
    if t.printed_value is not None:
        emit(node, BKG.targetValue, decimal(t.printed_value))
    if t.unit:
        emit(node, BKG.targetUnit, lit(t.unit))
    if t.deadline:
        emit(node, BKG.deadline, typed(t.deadline.isoformat(), "date"))
    emit(node, BKG.basisText, lit(ind.basis, "zh"))
    for slug, title in bases:
        b = m.resource(f"basis/{slug}")
        emit(node, BKG.basis, b)
        if slug not in labelled:
            labelled.add(slug)
            emit(b, A, BKG.BasisDocument)
            emit(b, RDFS.label, lit(title, "zh"))
            emit(b, DCT.title, lit(title, "zh"))
    for note in ind.notes:
        emit(node, BKG.note, lit(note))
