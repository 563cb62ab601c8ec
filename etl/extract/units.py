"""Tables listing several budget units: which organisation each row belongs to.

API: :func:`printed_organizations` ``(table, columns, department) -> ({row index: OrgRef}, by column)`` (the rows that
name an organisation, and whether it is a unit or the department itself), :func:`assign_units`
``(rec, printed, by_column)`` (every line of such a table gets the organisation of its row segment) and
:func:`settle_across_tables` ``(tables)`` (the codes of every table decide what one table alone cannot).

A department with subordinate units prints some tables by unit: a unit column (单位名称, 预算单位,
部门名称, with or without a 单位编码) beside the amounts or above the unit's classified rows, or a unit's
name as a row label heading its rows. A row naming an organisation starts its segment; the rows after it
without a name of their own are the same organisation's; a total row (合计) is the department's.

Which named row is the department itself (its own total row) and which a unit:
- by code: a code that the other printed codes extend is the department's (101 above 101001, 101002);
  a code extending another is a unit's, also when the other is printed in another table of the document;
- by name: a row naming the department is its total when the next row names it again (the department,
  then its own office as a unit) and it prints no line of its own (a project beside the name), or when the
  table lists no other organisation; beside other units it
  is the department's own office, a unit (a bureau's own row among its prisons, under a larger 合计).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby

from ..docmeta import split_scope
from ..jurisdictions import find_jurisdiction
from ..lexicon import ORG_NAME_SUFFIXES, UNIT_CODE_HEADERS, UNIT_COLUMN_HEADERS
from ..lexicon import TOTAL_WORDS as _TOTAL_WORDS
from ..model import Table
from ..text import match_key
from .records import ColumnRec, OrgRef, TableRec


def names_department(name: str, department: str | None) -> bool:
    """``name`` is the publishing ``department``, also with its scope (某市某局（本级）)."""
    return bool(name) and bool(department) and split_scope(match_key(name))[0] == split_scope(match_key(department))[0]


def _is_total(text: str) -> bool:
    key = match_key(text)
    return bool(key) and key.endswith(tuple(_TOTAL_WORDS)) and not any(ch.isdigit() for ch in key)


def looks_like_organization(label: str, department: str | None) -> bool:
    """A row label naming an organisation: the department, or a place's name followed by a body's name
    (某市某中心); a classification's name never begins with a place.

    >>> [looks_like_organization(t, "南京市审计局") for t in ("南京市审计局", "南京市东郊监狱", "监狱", "行政运行", "南京市")]
    [True, True, False, False, False]
    """
    name = split_scope(match_key(label))[0]
    if not name or names_department(name, department):
        return bool(name)
    if not name.endswith(ORG_NAME_SUFFIXES):  # first: the cheap test, most labels stop here
        return False
    place = find_jurisdiction(name)
    return place is not None and not name.endswith(place.name_zh)


def unit_columns(columns: list[ColumnRec]) -> tuple[ColumnRec | None, ColumnRec | None]:
    """The column naming the unit of a row and the column printing its code (each ``None`` when absent)."""
    name = next((c for c in columns if match_key(c.label) in UNIT_COLUMN_HEADERS), None)
    code = next((c for c in columns if match_key(c.label) in UNIT_CODE_HEADERS), None)
    return name, code


def printed_organizations(table: Table, columns: list[ColumnRec], department: str | None) -> tuple[dict[int, OrgRef], bool]:
    """The rows (1-based index) naming an organisation, with it; and whether a unit column names them.
    ``department``: the name of the publishing department.

    Without a unit name column, a row label that names an organisation (:func:`looks_like_organization`)
    is one, with the code of a unit code column if the table prints one.
    """
    name_col, code_col = unit_columns(columns)
    label_col = next((c for c in columns if c.role == "label"), None)
    found: dict[int, tuple[str, str | None]] = {}
    labelled: set[int] = set()  # rows of a unit column printing a line of their own (a project, a class)
    for index, row in enumerate(table.rows, start=1):
        code = row.cells[code_col.index - 1].replace(" ", "") if code_col else ""
        code = code if code.isdigit() else None
        label = row.cells[label_col.index - 1].strip() if label_col else ""
        if name_col is not None:
            name = row.cells[name_col.index - 1].strip()
            if label and not _is_total(label) and label != name:
                labelled.add(index)
        else:
            name = label if label and looks_like_organization(label, department) else ""
        if name and not _is_total(name):
            found[index] = (name, code)
    return _decide(found, department, labelled), name_col is not None


def _decide(found: dict[int, tuple[str, str | None]], department_name: str | None,
            labelled: frozenset[int] | set[int] = frozenset()) -> dict[int, OrgRef]:
    """Which rows of ``found`` are the department's own total; a row in ``labelled`` prints a line of its
    own (单位名称 | 项目名称: the department's name beside each of its projects) and is never that total."""
    codes = [code for _, code in found.values() if code]
    department = {i for i, (name, _) in found.items() if names_department(name, department_name)}
    others = len(found) > len(department)
    out: dict[int, OrgRef] = {}
    for i, (name, code) in found.items():
        if code and any(c != code and c.startswith(code) for c in codes):
            is_department = True
        elif code and any(c != code and code.startswith(c) for c in codes):
            is_department = False
        elif i not in department:
            is_department = False
        elif i + 1 in department and i not in labelled:
            is_department = True  # the department, then its own office under the same name
        elif i - 1 in department and out[i - 1].department:
            is_department = False
        else:
            is_department = not others
        out[i] = OrgRef(name, code, is_department)
    return out


def settle_across_tables(tables: list[TableRec]) -> None:
    """Decide by the codes the whole document prints which named row is the department itself.

    A table listing a single organisation cannot tell by itself whether it is the department or one of its
    units (the department's own office often bears the department's name); the codes printed in the other
    tables can: a code extending another printed code (101001 beside 101) is a unit's, wherever it is printed.
    The lines of a table whose decision changes get their organisation again (:func:`assign_units`).

    >>> from .records import TableRec
    >>> listing = TableRec("a", "", 1, None, None, None, [], [], [], printed_orgs={2: OrgRef("某局", "101", True), 3: OrgRef("某局", "101001")})
    >>> alone = TableRec("b", "", 9, None, None, None, [], [], [], printed_orgs={1: OrgRef("某局", "101001", True)})
    >>> settle_across_tables([listing, alone]); alone.printed_orgs[1].department, listing.printed_orgs[2].department
    (False, True)
    """
    codes = {ref.code for t in tables for ref in t.printed_orgs.values() if ref.code}
    for t in tables:
        units = {i: replace(ref, department=False) for i, ref in t.printed_orgs.items()
                 if ref.department and ref.code and any(c != ref.code and ref.code.startswith(c) for c in codes)}
        if units:
            t.printed_orgs.update(units)
            assign_units(t, t.printed_orgs, t.orgs_by_column)


def assign_units(rec: TableRec, printed: dict[int, OrgRef], by_column: bool) -> None:
    """Set the organisation of every line of a table listing units (``rec.by_unit``).

    A printed row continues the segment of the row above it when it names no organisation: under a unit column,
    while its cell is blank; under a name printed as a row label, while the row prints no label of its own
    or a coded or classified one (the unit's 类/款/项), not a row of another level (货物, 服务 above the units).
    A total row (合计) is the department's and ends the segment. The lines of one printed row (its segments
    side by side) are of the same organisation.
    """
    rec.printed_orgs, rec.orgs_by_column = printed, by_column
    if not printed:
        return
    rec.by_unit = True
    current: OrgRef | None = None
    for index, row in groupby(rec.items, key=lambda item: item.index):
        items = list(row)
        ref = printed.get(index)
        if ref is not None:
            current = None if ref.department else ref
        elif any(_is_total(item.label or item.text_label) for item in items):
            current = None
        elif not by_column and any(item.label for item in items) \
                and not any(item.code or item.classification for item in items):
            current = None
        for item in items:
            item.organization = current
