"""Spreadsheets (XLSX, with openpyxl) of query results and printed tables.

API: :func:`workbook` ``(header, rows, *, title="results") -> bytes``; :func:`write` ``(path, header, rows,
*, title="results")`` (atomic: a temporary file renamed into place); :func:`cell_value` ``(text, datatype)``;
:data:`MEDIA_TYPE`.

``header`` is a list of column names (one header row), or the rows of
:func:`budgetkg.headers.grid` (a printed header: its group cells become merged cells). Amounts
are written as numbers from their exact decimal text, with the printed number of decimals as the
cell's number format; text stays text; an empty cell stays empty (never zero).

>>> from io import BytesIO
>>> import openpyxl
>>> wb = openpyxl.load_workbook(BytesIO(workbook(["code", "amount"], [["210", cell_value("440.00", "decimal")]])))
>>> ws = wb.active
>>> ws["A2"].value, ws["B2"].value, ws["B2"].number_format
('210', 440, '#,##0.00')
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from .errors import OutputRefused
from .headers import HeaderCell
from .names import XSD

CREATOR = "budgetkg"
_FILE_MODE = 0o666
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMERIC = {"decimal", "integer", "int", "long", "double", "float", "nonNegativeInteger", "positiveInteger"}


def cell_value(text: str | None, datatype: str | None = None):
    """A typed value for a cell: Decimal for xsd:decimal (and other numbers), None for nothing, else the text."""
    if text is None or text == "":
        return None
    if datatype and datatype.removeprefix(XSD) in NUMERIC:
        return Decimal(text)
    return text


def _number_format(value: Decimal) -> str:
    places = max(0, -value.as_tuple().exponent)
    return "#,##0" + ("." + "0" * places if places else "")


def workbook(header, rows, *, title: str = "results") -> bytes:
    """The XLSX bytes of one sheet: the header (names or a merged printed header) above the rows."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    wb.properties.creator = CREATOR  # how write() knows a workbook it may replace
    ws = wb.active
    ws.title = title[:31]  # Excel's sheet-name limit
    grid = header if header and isinstance(header[0], list) and header[0] and isinstance(header[0][0], HeaderCell) else None
    if grid is None:
        ws.append(list(header))
        depth = 1
        for cell in ws[1]:
            cell.font = Font(bold=True)
    else:
        depth = len(grid)
        for r, level in enumerate(grid, 1):
            for c in level:
                cell = ws.cell(row=r, column=c.col + 1, value=c.text)
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                if c.colspan > 1 or c.rowspan > 1:
                    ws.merge_cells(start_row=r, start_column=c.col + 1, end_row=r + c.rowspan - 1, end_column=c.col + c.colspan)
    for row in rows:
        ws.append([None if v == "" else v for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = _number_format(cell.value)
    ws.freeze_panes = ws.cell(row=depth + 1, column=1)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _ours(path: Path) -> bool:
    """Whether ``path`` is a workbook this module wrote (its creator property says so)."""
    try:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return f">{CREATOR}</dc:creator>" in core


def write(path: str | Path, header, rows, *, title: str = "results") -> Path:
    """Write the workbook to ``path`` through a temporary file in the same folder (no partial output).

    An existing file is only replaced when it is a workbook written here before; the file gets the
    user's umask like any file they make.

    :raises OutputRefused: when ``path`` exists and is something else.
    :raises OSError: when the folder cannot be written.
    """
    path = Path(path)
    if (path.exists() or path.is_symlink()) and not (path.is_file() and _ours(path)):
        raise OutputRefused(f"{path} exists and is not a workbook budgetkg wrote; nothing was written. Give --out a new file.")
    data = workbook(header, rows, title=title)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _FILE_MODE & ~_umask())  # mkstemp makes it 0o600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
