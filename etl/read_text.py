"""Read a disclosure extracted to text into the document model.

API: :func:`read_text` ``(text, *, path="<string>") -> Document``;
:func:`read_text_file` ``(path) -> Document``.

The text is what PDF-to-text tools give for these disclosures: ``#`` headings,
paragraphs, tab-separated table rows, and on every table page a page header
(``501 <department>``, ``预算年度：2022``, ``单位：万元``) and the repeated
column header. The reader merges a table continued over a page break into one
table, drops repeated page headers, strips ``<b>`` markup and rejoins cells that
stray spaces broke (``资源勘探工业信息 等支出``).

>>> doc = read_text("## 表\\n\\n501 某局\\n\\n单位：万元\\n\\n序号\\t项目\\t金额\\n栏次\\t1\\t2\\n1\\t合计\\t3.00\\n")
>>> t = doc.tables()[0]
>>> (t.title, t.meta["unit"], t.leaf_headers(), t.rows[0].cells)
('表', '万元', ['序号', '项目', '金额'], ['1', '合计', '3.00'])
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .amounts import looks_numeric
from .inputs import decode_text, refuse_foreign
from .lexicon import COLUMN_NUMBER_WORDS as _COLUMN_NUMBERS
from .lexicon import EXPLANATION_WORD, PAGE_ORG_RE, TEXT_META_FIELDS, TEXT_META_RE, TEXT_NOTE_RE
from .lexicon import HEADER_FIRST_WORDS as _HEADER_FIRST
from .model import Document, EtlError, Heading, Paragraph, Row, Table
from .text import clean_cell, is_bold

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_SENTENCE_END = tuple("。；;：:！!？?）)」』”\"…")
_LIST_ITEM = re.compile(r"^\s*[-*]\s+")


def read_text_file(path: str | Path) -> Document:
    """Read a text disclosure from disk.

    Read as UTF-8, else GB18030 (the encoding used is noted in ``doc.repairs``).

    :raises EtlError: when the file is another kind of file (Word, Excel, an image: said so),
        is text in neither encoding (the line of the bad byte named), or holds no table.
    """
    path = Path(path)
    data = path.read_bytes()
    refuse_foreign(path, data)
    text, encoding = decode_text(path, data)
    doc = read_text(text, path=str(path), sha256=hashlib.sha256(data).hexdigest())
    if encoding != "UTF-8":
        doc.repairs.append(f"read as {encoding} text (the file is not UTF-8)")
    return doc


def read_text(text: str, *, path: str = "<string>", sha256: str | None = None) -> Document:
    """Parse disclosure text into a :class:`Document`.

    :raises EtlError: when the text holds no table at all (not a disclosure).
    """
    if sha256 is None:
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    doc = Document(path=path, sha256=sha256, fmt="text")
    _Builder(doc).feed(text.splitlines())
    if not doc.tables():
        raise EtlError("no table found: not a budget disclosure of a known template", doc.location(line=1))
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 1 and doc.title is None and EXPLANATION_WORD in block.text:
            doc.title = block.text
    for table in doc.tables():
        for key in ("department_code", "department_name", "year"):
            if key in table.meta and key not in doc.meta:
                doc.meta[key] = table.meta[key]
    return doc


class _Builder:
    """State machine over lines; one instance per document."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.table: Table | None = None
        self.table_rows: list[Row] = []  # raw rows of the open table, header included
        self.pending_meta: dict[str, str] = {}
        self.heading: Heading | None = None
        self.para_break = False

    def feed(self, lines: list[str]) -> None:
        for no, raw in enumerate(lines, start=1):
            self.line(no, raw)
        self.close_table()

    def line(self, no: int, raw: str) -> None:
        if "\t" in raw and raw.strip():
            self.table_line(no, raw)
            return
        text = raw.strip()
        if not text:
            self.para_break = True
            return
        m = _HEADING.match(text)
        if m:
            self.close_table()
            self.heading = Heading(len(m.group(1)), clean_cell(m.group(2)), no)
            self.doc.blocks.append(self.heading)
            self.pending_meta = {}
            return
        meta = self.meta_line(text)
        if meta:
            self.pending_meta.update(meta)
            return
        if TEXT_NOTE_RE.match(text) and self.table is not None:
            self.table.notes.append(clean_cell(text))
            return
        self.close_table()
        self.paragraph(no, text)

    @staticmethod
    def meta_line(text: str) -> dict[str, str] | None:
        m = TEXT_META_RE.match(text)
        if m:
            return {TEXT_META_FIELDS[m.group(1)]: clean_cell(m.group(2))}
        m = PAGE_ORG_RE.match(text)
        if m:
            return {"department_code": m.group(1), "department_name": clean_cell(m.group(2))}
        return None

    def paragraph(self, no: int, text: str) -> None:
        text = clean_cell(_LIST_ITEM.sub("", text))
        last = self.doc.blocks[-1] if self.doc.blocks else None
        # A sentence cut by a page break goes on in the next paragraph.
        if (
            self.para_break
            and isinstance(last, Paragraph)
            and not last.text.endswith(_SENTENCE_END)
            and not _LIST_ITEM.match(text)
        ):
            self.doc.repairs.append(f"line {no}: paragraph continued from line {last.line} joined")
            last.text += text
        else:
            self.doc.blocks.append(Paragraph(text, no))
        self.para_break = False

    def table_line(self, no: int, raw: str) -> None:
        cells = raw.rstrip("\r\n").split("\t")
        row = Row([clean_cell(c) for c in cells], no, bold=any(is_bold(c) for c in cells))
        if self.table is None:
            title = self.heading.text if self.heading else ""
            self.table = Table(title=title, line=no, meta=dict(self.pending_meta))
            self.doc.blocks.append(self.table)
            self.table_rows = []
        else:
            # Page header facts repeated on a continuation page only fill gaps.
            for key, value in self.pending_meta.items():
                self.table.meta.setdefault(key, value)
        self.pending_meta = {}
        self.table_rows.append(row)
        self.para_break = False

    def close_table(self) -> None:
        if self.table is None:
            return
        _finish(self.table, self.table_rows)
        self.table = None
        self.table_rows = []


def _same_row(a: list[str], b: list[str]) -> bool:
    return [c.replace(" ", "") for c in a if c] == [c.replace(" ", "") for c in b if c]


def _is_column_numbers(cells: list[str]) -> bool:
    return bool(cells) and cells[0].replace(" ", "") in _COLUMN_NUMBERS


def _header_length(rows: list[Row]) -> int:
    """How many leading rows are column header."""
    for i, row in enumerate(rows[:6]):
        if _is_column_numbers(row.cells):
            return i
    for i, row in enumerate(rows[:4]):
        if row.cells and row.cells[0] in _HEADER_FIRST:
            return i + 1
    n = 1
    while n < len(rows) and "" in rows[n - 1].cells[1:-1] and not any(looks_numeric(c) for c in rows[n].cells):
        n += 1
    return n


def _finish(table: Table, raw_rows: list[Row]) -> None:
    """Split raw rows into header, 栏次 row and data rows; drop repeated headers."""
    n = _header_length(raw_rows)
    table.header = [r.cells for r in raw_rows[:n]]
    body = raw_rows[n:]
    if body and _is_column_numbers(body[0].cells):
        table.column_numbers = body[0].cells
        body = body[1:]
    repeated = [h for h in table.header] + ([table.column_numbers] if table.column_numbers else [])
    rows: list[Row] = []
    i = 0
    while i < len(body):
        # A repeated header after a page break is recognised by its first row.
        if repeated and _same_row(body[i].cells, repeated[0]) and i + len(repeated) <= len(body):
            if all(_same_row(body[i + k].cells, repeated[k]) or _is_column_numbers(body[i + k].cells)
                   for k in range(len(repeated))):
                i += len(repeated)
                continue
        rows.append(body[i])
        i += 1
    table.rows = rows
